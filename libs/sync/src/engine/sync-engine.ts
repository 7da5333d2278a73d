import { Injectable } from '@nestjs/common';
import { ProviderError, type CallPage, type HistorySource, type NormalizedCall } from '@switchboard/core';
import type { SyncWindow } from '../window/sync-window.js';
import {
  SyncPageWriter,
  type PageOutcome,
  type PageTarget,
  type SkippedRecord,
  type SyncWritePolicy,
} from './sync-page-writer.js';

export interface WindowRun {
  target: PageTarget;
  adapter: HistorySource;
  window: SyncWindow;
  policy: SyncWritePolicy;
  pageSize: number;
  /** Asked between pages; true stops the run (canceled, connection deleted, shutting down). */
  shouldStop?: () => Promise<boolean> | boolean;
  /** Called after each page is written (progress, metrics). */
  onPage?: (page: PageOutcome, cursor: string | undefined) => Promise<void> | void;
}

export interface WindowOutcome {
  pages: number;
  seen: number;
  created: number;
  updated: number;
  skipped: number;
  /** The run stopped before the last page because shouldStop said so. */
  stopped: boolean;
}

/** A page as plugins may return it: the SDK's CallPage, optionally with the rows it had to skip. */
type PageWithSkips = CallPage & { skipped?: Array<{ index?: number; externalId?: string; reason?: string }> };

/** Guards against a provider (or plugin) whose cursor never ends. */
const MAX_PAGES_PER_WINDOW = 100_000;

/**
 * The one loop of the sync engine: pages through a provider's call history for a window and
 * hands each page to the SyncPageWriter under a write policy. Scheduled sync, backfill, recovery
 * and consistency checks are this loop over different windows and policies.
 *
 * Memory stays flat whatever the window: one page is written while the next is fetched, and
 * nothing else of the window is held. Rate limits, 429 pauses and retries of single requests are
 * the connection's HTTP client's business (shared with every other process through Redis).
 */
@Injectable()
export class SyncEngine {
  constructor(private readonly writer: SyncPageWriter) {}

  async run(run: WindowRun): Promise<WindowOutcome> {
    const outcome: WindowOutcome = { pages: 0, seen: 0, created: 0, updated: 0, skipped: 0, stopped: false };
    for await (const { page, fetchedAt, last } of this.pages(run)) {
      let written: PageOutcome;
      try {
        written = await this.writer.write(run.target, page.calls, fetchedAt, run.policy, page.skipped);
      } catch (error) {
        // A connection deleted while its page was being written fails that write (its calls'
        // foreign key): that is the run stopping, not failing.
        if (await run.shouldStop?.()) {
          outcome.stopped = true;
          break;
        }
        throw error;
      }
      outcome.pages++;
      outcome.seen += written.seen;
      outcome.created += written.created.length;
      outcome.updated += written.updated.length;
      outcome.skipped += written.skipped.length;
      await run.onPage?.(written, page.nextCursor);
      if (!last && (await run.shouldStop?.())) {
        outcome.stopped = true;
        break;
      }
    }
    return outcome;
  }

  /**
   * The provider's pages for a window, in order, each with the time it was fetched. The next page
   * is requested as soon as one arrives, so fetching overlaps with whatever the caller does.
   */
  async *pages(
    run: Pick<WindowRun, 'target' | 'adapter' | 'window' | 'pageSize'>,
  ): AsyncGenerator<{ page: FetchedPage; fetchedAt: Date; last: boolean }> {
    const fetch = (cursor?: string) => {
      const fetchedAt = new Date();
      const request = run.adapter
        .getCalls({ from: run.window.from, to: run.window.to, pageSize: run.pageSize }, cursor)
        .then((page) => ({ page: fetchedPage(page as PageWithSkips), fetchedAt }));
      // Fetched ahead while the previous page is handled: a failure surfaces when it is awaited.
      request.catch(() => undefined);
      return request;
    };
    let next = fetch(undefined);
    let previousCursor: string | undefined;
    for (let pages = 1; ; pages++) {
      const { page, fetchedAt } = await next;
      const cursor = page.nextCursor;
      if (cursor !== undefined && cursor === previousCursor) {
        throw new ProviderError(
          run.target.provider,
          'cursor_stuck',
          false,
          'the provider returned the same page cursor twice',
        );
      }
      if (cursor !== undefined && pages >= MAX_PAGES_PER_WINDOW) {
        throw new ProviderError(
          run.target.provider,
          'too_many_pages',
          false,
          `more than ${MAX_PAGES_PER_WINDOW} pages in one window`,
        );
      }
      if (cursor !== undefined) next = fetch(cursor);
      previousCursor = cursor;
      yield { page, fetchedAt, last: cursor === undefined };
      if (cursor === undefined) return;
    }
  }
}

/** A page as the engine hands it on: calls always an array, skipped rows normalized. */
export interface FetchedPage {
  calls: NormalizedCall[];
  nextCursor?: string;
  skipped: SkippedRecord[];
}

function fetchedPage(page: PageWithSkips): FetchedPage {
  return {
    calls: Array.isArray(page?.calls) ? page.calls : [],
    nextCursor: typeof page?.nextCursor === 'string' ? page.nextCursor : undefined,
    skipped: skippedRows(page),
  };
}

function skippedRows(page: PageWithSkips): SkippedRecord[] {
  if (!Array.isArray(page?.skipped)) return [];
  return page.skipped.map((s, i) => ({
    index: typeof s.index === 'number' ? s.index : i,
    externalId: typeof s.externalId === 'string' ? s.externalId : undefined,
    reason: typeof s.reason === 'string' ? s.reason : 'skipped by the plugin',
  }));
}
