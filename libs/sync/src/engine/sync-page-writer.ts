import { Injectable, Logger } from '@nestjs/common';
import { isFinalStatus, type CallStatus, type NormalizedCall } from '@switchboard/core';
import { CallRepository, type ComparedCallRow } from '@switchboard/persistence';
import {
  CallEventStore,
  StoredCallPublisher,
  toCallEventRow,
  type CallEventRow,
} from '@switchboard/pipeline';
import { changesCall, diffCall, type CallDifference } from '../diff/call-diff.js';

/**
 * What a run does with the provider's records:
 * - `merge` (scheduled sync, backfill): writes every call that is new or that the provider knows
 *   more about, through the same merge upsert as webhooks;
 * - `recover` (missed-webhook recovery): writes only calls we do not have, or whose final state
 *   never reached us, "as if their webhook had arrived";
 * - `compare` (consistency check): writes nothing and reports the differences.
 */
export type SyncWritePolicy = 'merge' | 'recover' | 'compare';

/** A provider record a sync could not use, with why. */
export interface SkippedRecord {
  /** Position in the provider's page. */
  index: number;
  externalId?: string;
  reason: string;
}

export interface CallDifferences {
  externalId: string;
  differences: CallDifference[];
}

/** What one page did. Id lists are per page (the run caps what it keeps of them). */
export interface PageOutcome {
  seen: number;
  created: string[];
  /** Calls the write changed, and among them those whose final state reached us only now. */
  updated: string[];
  completed: string[];
  unchanged: number;
  skipped: SkippedRecord[];
  /** compare: calls the provider has and we do not. */
  missingHere: string[];
  /** compare: calls both have, with their differences. */
  mismatches: CallDifferences[];
  /** External ids the provider listed (for "missing at the provider"). */
  seenIds: string[];
}

export interface PageTarget {
  connectionId: string;
  provider: string;
}

/**
 * Writes one page of a provider's call history: maps each record to its statement row, reads the
 * stored calls of the page in one query, decides per call by the policy, and stores what changes
 * in one transaction (call upsert + call_events rows, source `sync`), then refreshes the cache and
 * the live stream. Calls the provider confirms unchanged are only stamped `last_synced_at`, so a
 * sync re-reading its overlap writes (and records events for) just what moved.
 *
 * A synced record counts as the provider's state at the moment the page was fetched (its
 * occurredAt): a webhook about a later moment still wins over it, and it wins over older ones.
 */
@Injectable()
export class SyncPageWriter {
  private readonly logger = new Logger('SyncPageWriter');

  constructor(
    private readonly calls: CallRepository,
    private readonly store: CallEventStore,
    private readonly publisher: StoredCallPublisher,
  ) {}

  async write(
    target: PageTarget,
    records: readonly NormalizedCall[],
    fetchedAt: Date,
    policy: SyncWritePolicy,
    skippedByProvider: readonly SkippedRecord[] = [],
  ): Promise<PageOutcome> {
    const outcome: PageOutcome = {
      seen: records.length + skippedByProvider.length,
      created: [],
      updated: [],
      completed: [],
      unchanged: 0,
      skipped: [...skippedByProvider],
      missingHere: [],
      mismatches: [],
      seenIds: [],
    };
    const rows = new Map<string, CallEventRow>();
    records.forEach((call, index) => {
      try {
        const row = toCallEventRow({
          connectionId: target.connectionId,
          provider: target.provider,
          source: 'sync',
          event: { type: 'call.updated', occurredAt: fetchedAt, call },
        });
        // The same call twice in one page (offset paging over a moving list): the later copy wins.
        rows.set(String(row.external_id), row);
      } catch (error) {
        outcome.skipped.push({
          index,
          externalId: typeof call?.externalId === 'string' ? call.externalId.slice(0, 255) : undefined,
          reason: (error as Error).message,
        });
      }
    });
    outcome.seenIds = [...rows.keys()];

    const stored = new Map<string, ComparedCallRow>(
      (await this.calls.findManyByExternalIds(target.connectionId, outcome.seenIds)).map((c) => [
        c.external_id,
        c,
      ]),
    );
    const toWrite: CallEventRow[] = [];
    for (const [externalId, row] of rows) {
      const ours = stored.get(externalId);
      if (!ours) {
        if (policy === 'compare') outcome.missingHere.push(externalId);
        else {
          toWrite.push(row);
          outcome.created.push(externalId);
        }
        continue;
      }
      const differences = diffCall(row, ours);
      const finalArrivesNow =
        typeof row.status === 'string' &&
        isFinalStatus(row.status as CallStatus) &&
        !isFinalStatus(ours.status);
      if (policy === 'compare') {
        if (differences.length > 0) outcome.mismatches.push({ externalId, differences });
        else outcome.unchanged++;
      } else if (policy === 'recover' ? finalArrivesNow : changesCall(differences)) {
        toWrite.push(row);
        outcome.updated.push(externalId);
        if (finalArrivesNow) outcome.completed.push(externalId);
      } else {
        outcome.unchanged++;
      }
    }

    const written = toWrite.length > 0 ? await this.store.store(toWrite) : [];
    // Written calls got their last_synced_at in the upsert; only the ones the provider confirmed
    // unchanged are stamped here (a second write of a just-inserted row would double a backfill's
    // writes and leave a dead tuple per call). The cache/live update (Redis) and the stamp
    // (PostgreSQL) do not depend on each other: overlapped (see bench/RESULTS.md, "Sync").
    const writtenIds = new Set(toWrite.map((row) => String(row.external_id)));
    const confirmed = outcome.seenIds.filter((id) => stored.has(id) && !writtenIds.has(id));
    await Promise.all([
      written.length > 0 ? this.publisher.publish(written) : undefined,
      policy !== 'compare' && confirmed.length > 0
        ? this.calls.markSynced(target.connectionId, confirmed, fetchedAt)
        : undefined,
    ]);
    for (const skipped of outcome.skipped.slice(0, 10)) {
      this.logger.warn(
        `${target.provider} connection ${target.connectionId}: skipped record #${skipped.index}` +
          `${skipped.externalId ? ` (${skipped.externalId})` : ''}: ${skipped.reason}`,
      );
    }
    if (outcome.skipped.length > 10) {
      this.logger.warn(
        `${target.provider} connection ${target.connectionId}: ${outcome.skipped.length - 10} more records skipped on this page`,
      );
    }
    return outcome;
  }
}
