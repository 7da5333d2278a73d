import { Injectable, Logger } from '@nestjs/common';
import { ConnectionAdapters, type ConnectionAdapter } from '@switchboard/connections';
import { OutageLog, type MappingWarning } from '@switchboard/core';
import { SwitchboardMetrics } from '@switchboard/metrics';
import {
  WebhookLogRepository,
  type LoadedWebhookLog,
  type WebhookLogFailure,
} from '@switchboard/persistence';
import type { WebhookJobData } from '@switchboard/queue';
import { serializeCallEvent, toCallEventRow, type SerializedCallEvent } from '../calls/call-event-row.js';
import { CallEventStore, type ProcessedLog, type StoredCall } from '../calls/call-event-store.js';
import { StoredCallPublisher } from '../calls/stored-call-publisher.js';
import { failureText, isTransientFailure } from './failure.js';
import { inboundWebhookFromRow } from './inbound-webhook.js';

/** One job's worth of work: which inbox row, and which attempt this is. */
export interface WebhookWork {
  data: WebhookJobData;
  /** 1-based number of this attempt. */
  attempt: number;
  /** No attempt follows this one if it fails (retryable or not). */
  finalAttempt: boolean;
  /**
   * Part of a batch job: a row an earlier attempt of the job already processed or failed for good
   * is left as it is (outcome `settled`) when the job is retried for its other rows.
   */
  inBatch?: boolean;
}

export type WebhookOutcome =
  | { status: 'processed'; callId: string; duplicate: boolean }
  /** A batch job's row that an earlier attempt settled (see WebhookWork.inBatch): not counted again. */
  | { status: 'settled' }
  | { status: 'ignored'; reason: string }
  | { status: 'failed'; retryable: boolean; error: string };

interface Prepared {
  index: number;
  event: SerializedCallEvent;
  log: ProcessedLog;
  warnings?: readonly MappingWarning[];
}

const ADAPTER_TTL_MS = 5_000;

const failed = (error: unknown): WebhookOutcome => ({
  status: 'failed',
  retryable: isTransientFailure(error),
  error: failureText(error),
});

/**
 * Turns a batch of webhook jobs into stored calls: loads their inbox rows in one query, lets each
 * connection's plugin map its payloads, stores every mapped event in one transaction (call upsert,
 * call_events rows, inbox rows marked processed), then updates the cache and
 * publishes live events. Each job keeps its own outcome: a row that fails (mapping, a value the
 * database refuses) fails alone; when the batch statement fails for a reason that is not
 * "database unavailable", the batch is retried row by row so its neighbours still get stored.
 */
@Injectable()
export class WebhookBatchProcessor {
  private readonly logger = new Logger('WebhookProcessor');
  private readonly recording = new OutageLog(this.logger, 'recording webhook failures (PostgreSQL)');
  /**
   * Connections looked up in the last few seconds: without this every batch would read each of
   * its connections again. A changed connection (credentials, mode) is seen within ADAPTER_TTL_MS.
   */
  private readonly recentAdapters = new Map<string, { at: number; adapter: ConnectionAdapter }>();

  constructor(
    private readonly logs: WebhookLogRepository,
    private readonly adapters: ConnectionAdapters,
    private readonly store: CallEventStore,
    private readonly publisher: StoredCallPublisher,
    private readonly metrics: SwitchboardMetrics,
  ) {}

  async processBatch(work: readonly WebhookWork[]): Promise<WebhookOutcome[]> {
    const outcomes: WebhookOutcome[] = new Array(work.length);
    let rows: Map<string, LoadedWebhookLog>;
    try {
      rows = new Map(
        (await this.logs.loadForProcessing(work.map((w) => w.data.webhookLogId))).map((r) => [r.id, r]),
      );
    } catch (error) {
      // Without the rows nothing can be decided (nor recorded): try the whole batch again later.
      const outcome: WebhookOutcome = { status: 'failed', retryable: true, error: failureText(error) };
      return this.finish(
        work,
        work.map(() => outcome),
        new Set(),
      );
    }

    const adapters = await this.resolveAdapters(rows);
    const prepared: Prepared[] = [];
    work.forEach((item, index) => {
      const row = rows.get(item.data.webhookLogId);
      if (!row) {
        outcomes[index] = {
          status: 'failed',
          retryable: false,
          error: `webhook log ${item.data.webhookLogId} not found`,
        };
        return;
      }
      if (item.inBatch && (row.status === 'processed' || row.status === 'failed')) {
        outcomes[index] = { status: 'settled' };
        return;
      }
      if (row.status === 'rejected' || row.status === 'ignored') {
        // Never process what failed verification, nor what a shadow connection only logged.
        outcomes[index] = { status: 'ignored', reason: `webhook log is ${row.status}` };
        return;
      }
      if (!row.connection_id) {
        outcomes[index] = {
          status: 'failed',
          retryable: false,
          error: 'the connection of this webhook was deleted',
        };
        return;
      }
      const adapter = adapters.get(row.connection_id);
      if (adapter instanceof Error || adapter === undefined) {
        outcomes[index] = failed(adapter ?? new Error('connection not resolved'));
        return;
      }
      try {
        const event = adapter.capable('webhooks', 'mapWebhook').mapWebhook(inboundWebhookFromRow(row));
        prepared.push({
          index,
          event: serializeCallEvent(
            toCallEventRow({
              connectionId: row.connection_id,
              provider: row.provider,
              source: 'webhook',
              webhookLogId: row.id,
              webhookLogCreatedAt: row.created_at_key,
              event,
            }),
          ),
          log: {
            id: row.id,
            created_at: row.created_at_key,
            attempts: item.attempt,
            mapping_warnings: event.warnings ?? null,
          },
          warnings: event.warnings,
        });
      } catch (error) {
        outcomes[index] = failed(error);
      }
    });

    // The rows (bodies, headers, parsed payloads) are not needed past mapping: let them go before
    // the statement's round trip, or every one of them outlives two scavenges and is promoted.
    const loaded = new Set(rows.keys());
    rows.clear();
    const stored = await this.storeWithFallback(prepared, outcomes);
    // Cache and live stream: after the commit, best effort (the database is the record).
    await this.publisher.publish(stored);
    return this.finish(work, outcomes, loaded);
  }

  private async resolveAdapters(
    rows: Map<string, LoadedWebhookLog>,
  ): Promise<Map<string, ConnectionAdapter | Error>> {
    const resolved = new Map<string, ConnectionAdapter | Error>();
    for (const row of rows.values()) {
      if (!row.connection_id || resolved.has(row.connection_id)) continue;
      const recent = this.recentAdapters.get(row.connection_id);
      if (recent && Date.now() - recent.at < ADAPTER_TTL_MS) {
        resolved.set(row.connection_id, recent.adapter);
        continue;
      }
      try {
        const adapter = await this.adapters.forId(row.connection_id);
        this.recentAdapters.set(row.connection_id, { at: Date.now(), adapter });
        resolved.set(row.connection_id, adapter);
      } catch (error) {
        resolved.set(row.connection_id, error instanceof Error ? error : new Error(String(error)));
      }
    }
    return resolved;
  }

  private async storeWithFallback(prepared: Prepared[], outcomes: WebhookOutcome[]): Promise<StoredCall[]> {
    if (prepared.length === 0) return [];
    try {
      const stored = await this.store.storeSerialized(
        prepared.map((p) => p.event),
        prepared.map((p) => p.log),
      );
      this.settle(prepared, stored, outcomes);
      return stored;
    } catch (error) {
      if (prepared.length === 1 || isTransientFailure(error)) {
        for (const p of prepared) outcomes[p.index] = failed(error);
        return [];
      }
      this.logger.warn(
        `batch of ${prepared.length} failed (${failureText(error)}); storing its rows one by one`,
      );
    }
    const all: StoredCall[] = [];
    for (const p of prepared) {
      try {
        const stored = await this.store.storeSerialized([p.event], [p.log]);
        this.settle([p], stored, outcomes);
        all.push(...stored);
      } catch (error) {
        outcomes[p.index] = failed(error);
      }
    }
    return all;
  }

  /** Processed outcomes for stored rows; `duplicate` when the event was already recorded before. */
  private settle(prepared: Prepared[], stored: StoredCall[], outcomes: WebhookOutcome[]): void {
    const callByKey = new Map<string, string>();
    const fresh = new Set<string>();
    for (const call of stored) {
      callByKey.set(`${call.connectionId}|${call.externalId}`, call.id);
      for (const event of call.newEvents) if (event.webhookLogId) fresh.add(event.webhookLogId);
    }
    for (const p of prepared) {
      const callId = callByKey.get(`${p.event.connectionId}|${p.event.externalId}`);
      // A redelivered event is filtered out before the upsert, so its call is not in the result.
      const duplicate = !fresh.has(p.log.id);
      outcomes[p.index] = { status: 'processed', callId: callId ?? '', duplicate };
      // Counted once per stored event (a redelivery's warnings were counted with the first one).
      if (!duplicate) {
        for (const w of p.warnings ?? [])
          this.metrics.mappingWarnings.inc({ provider: p.event.provider, field: w.field });
      }
    }
  }

  /** Records failures on their inbox rows and counts every outcome. */
  private async finish(
    work: readonly WebhookWork[],
    outcomes: WebhookOutcome[],
    loaded: ReadonlySet<string>,
  ): Promise<WebhookOutcome[]> {
    const failures: WebhookLogFailure[] = [];
    const now = Date.now();
    work.forEach((item, i) => {
      const outcome = outcomes[i];
      const provider = item.data.provider;
      if (outcome.status === 'processed') {
        this.metrics.webhooksProcessed.inc({ provider, outcome: 'processed' });
        const receivedAt = Date.parse(item.data.receivedAt);
        if (!outcome.duplicate && Number.isFinite(receivedAt)) {
          this.metrics.webhookEndToEndLag.observe({ provider }, Math.max(0, now - receivedAt) / 1000);
        }
      } else if (outcome.status === 'ignored') {
        this.metrics.webhooksProcessed.inc({ provider, outcome: 'ignored' });
      } else if (outcome.status === 'failed') {
        const final = !outcome.retryable || item.finalAttempt;
        this.metrics.webhooksProcessed.inc({ provider, outcome: final ? 'failed' : 'retried' });
        if (loaded.has(item.data.webhookLogId)) {
          failures.push({ id: item.data.webhookLogId, attempts: item.attempt, error: outcome.error, final });
        }
        if (final)
          this.logger.warn(`webhook ${item.data.webhookLogId} (${provider}) failed: ${outcome.error}`);
      }
    });
    // While PostgreSQL is down every batch fails to record its failures: one line per outage.
    await this.logs.recordFailures(failures).then(
      () => this.recording.success(),
      (error: unknown) => this.recording.failure(error),
    );
    return outcomes;
  }
}
