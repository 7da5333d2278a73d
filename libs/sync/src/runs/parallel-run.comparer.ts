import { Injectable } from '@nestjs/common';
import type { HistorySource, WebhookReceiver } from '@switchboard/core';
import { WebhookLogRepository, type CallRow } from '@switchboard/persistence';
import {
  inboundWebhookFromRow,
  referenceFold,
  toCallEventRow,
  type CallEventRow,
  type ReferenceCall,
} from '@switchboard/pipeline';
import { diffCall } from '../diff/call-diff.js';
import { SyncEngine } from '../engine/sync-engine.js';
import type { PageOutcome, PageTarget } from '../engine/sync-page-writer.js';
import type { SyncWindow } from '../window/sync-window.js';
import type { RunReportBuilder } from './run-report.js';

export interface ParallelRunChunk {
  target: PageTarget;
  /** Reads the provider's history and maps the connection's logged webhooks. */
  adapter: HistorySource & WebhookReceiver;
  window: SyncWindow;
  pageSize: number;
  report: RunReportBuilder;
  chunk: number;
  shouldStop: () => Promise<boolean>;
  onPage: (page: PageOutcome) => void;
}

/** Webhooks about calls started in a window keep arriving until the calls end: read this far past it. */
const WEBHOOK_TRAIL_MS = 24 * 3600 * 1000;
const LOG_PAGE = 500;

/**
 * The parallel-run report of a shadow connection (the seed plan's migration phase 2): what its
 * webhooks said, folded per call with the same merge rule as the pipeline, against what the
 * provider's API says for the same window. Nothing is written; the report tells an operator
 * whether switching the connection to live would give the calls the provider reports.
 * In the report, `missingHere` are calls the API lists that no webhook told us about, and
 * `missingAtProvider` calls webhooks told us about that the API does not list.
 */
@Injectable()
export class ParallelRunComparer {
  constructor(
    private readonly logs: WebhookLogRepository,
    private readonly engine: SyncEngine,
  ) {}

  /** Compares one chunk; true when it stopped early (canceled). */
  async compareChunk(input: ParallelRunChunk): Promise<boolean> {
    const fromWebhooks = await this.foldWebhooks(input);
    const listed = new Set<string>();
    for await (const { page, last } of this.engine.pages(input)) {
      const outcome: PageOutcome = {
        seen: page.calls.length + page.skipped.length,
        created: [],
        updated: [],
        completed: [],
        unchanged: 0,
        skipped: [...page.skipped],
        missingHere: [],
        mismatches: [],
        seenIds: [],
      };
      page.calls.forEach((call, index) => {
        let row: CallEventRow;
        try {
          row = toCallEventRow({
            ...input.target,
            source: 'sync',
            event: { type: 'call.updated', occurredAt: new Date(), call },
          });
        } catch (error) {
          outcome.skipped.push({ index, externalId: call?.externalId, reason: (error as Error).message });
          return;
        }
        const externalId = String(row.external_id);
        listed.add(externalId);
        outcome.seenIds.push(externalId);
        const told = fromWebhooks.get(externalId);
        if (!told) {
          outcome.missingHere.push(externalId);
          return;
        }
        const differences = diffCall(row, told);
        if (differences.length > 0) outcome.mismatches.push({ externalId, differences });
        else outcome.unchanged++;
      });
      input.onPage(outcome);
      if (!last && (await input.shouldStop())) return true;
    }
    const onlyWebhooks = [...fromWebhooks.entries()]
      .filter(([id, call]) => !listed.has(id) && startedWithin(call, input.window))
      .map(([id]) => id);
    input.report.addMissingAtProvider(onlyWebhooks, onlyWebhooks.length);
    return false;
  }

  /** Every verified webhook of the connection for the window, mapped and folded per call. */
  private async foldWebhooks(input: ParallelRunChunk): Promise<Map<string, CallRow>> {
    const folded = new Map<string, ReferenceCall>();
    const until = new Date(input.window.to.getTime() + WEBHOOK_TRAIL_MS);
    let after: { receivedAt: Date; id: string } | undefined;
    for (;;) {
      const rows = await this.logs.listVerifiedForConnection(
        input.target.connectionId,
        input.window.from,
        until,
        LOG_PAGE,
        after,
      );
      for (const log of rows) {
        try {
          const event = input.adapter.mapWebhook(inboundWebhookFromRow(log));
          referenceFold(
            [toCallEventRow({ ...input.target, source: 'webhook', webhookLogId: log.id, event })],
            folded,
          );
        } catch {
          // A webhook the plugin cannot map would have failed in live mode too: it simply adds nothing.
        }
      }
      if (rows.length < LOG_PAGE) break;
      const last = rows[rows.length - 1];
      after = { receivedAt: last.received_at, id: last.id };
    }
    const calls = new Map<string, CallRow>();
    for (const call of folded.values()) calls.set(call.externalId, asStoredCall(call));
    return calls;
  }
}

/** The folded webhook view in the shape diffCall compares against (values as the statement rows carry them). */
function asStoredCall(call: ReferenceCall): CallRow {
  const row: Record<string, unknown> = { external_id: call.externalId, status: call.status.value, tags: {} };
  for (const [column, field] of Object.entries(call.fields)) row[column] = field?.value ?? null;
  for (const [key, entry] of Object.entries(call.maps.tags ?? {}))
    (row.tags as Record<string, unknown>)[key] = entry.value;
  return row as unknown as CallRow;
}

function startedWithin(call: CallRow, window: SyncWindow): boolean {
  const started = call.started_at ? Date.parse(String(call.started_at)) : NaN;
  // A call whose start no webhook told is counted in the window its webhooks arrived in.
  return Number.isNaN(started) || (started >= window.from.getTime() && started < window.to.getTime());
}
