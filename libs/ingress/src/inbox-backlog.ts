import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { InboxBacklogRepository } from '@switchboard/persistence';
import { QueueName } from '@switchboard/queue';
import { QueueReadiness } from './queue-readiness.js';
import { withTimeout } from './webhook-job.js';

/** A `queued` row older than this without its job counts as stranded (the ingress adds jobs within 2 s). */
export const ORPHAN_AFTER_MS = 60_000;
/** How many of the oldest `queued` rows a measurement checks for their jobs. */
const SAMPLE = 500;

/** Acknowledged webhooks that are not (known to be) in the queue. */
export interface InboxBacklogReport {
  /** Rows `received` (stored while Redis was down), waiting for the relay. */
  received: number;
  /** Rows `queued` for more than a minute whose job is not in Redis (null when Redis cannot be asked). */
  jobMissing: number | null;
  /** received + jobMissing. */
  waiting: number;
  /** Age of the oldest waiting row, 0 when none. */
  oldestWaitingSeconds: number;
}

/**
 * The ids of the rows among `rows` that have no job in `queue`: neither the batch job the ingress
 * added them in (`jobId`) nor a job of their own (the relay's and replay's, id = row id). One
 * EXISTS per key, in one pipeline.
 */
export async function rowsWithoutJob(
  queue: Queue,
  rows: ReadonlyArray<{ id: string; jobId: string | null }>,
  timeoutMs: number,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const keys = [...new Set(rows.flatMap((r) => (r.jobId ? [r.id, r.jobId] : [r.id])))];
  // Callers check QueueReadiness first: before its first connection BullMQ makes `client` wait.
  const client = (await queue.client) as unknown as PipelineClient;
  const pipeline = client.pipeline();
  for (const key of keys) pipeline.exists(queue.toKey(key));
  const results = await withTimeout(pipeline.exec(), timeoutMs, 'job check');
  const present = new Set<string>();
  keys.forEach((key, i) => {
    const [error, exists] = results?.[i] ?? [new Error('no reply'), 0];
    if (error) throw error;
    if (exists !== 0) present.add(key);
  });
  return new Set(
    rows.filter((r) => !present.has(r.id) && !(r.jobId && present.has(r.jobId))).map((r) => r.id),
  );
}

/** The part of an ioredis client the job check uses. */
interface PipelineClient {
  pipeline(): { exists(key: string): unknown; exec(): Promise<Array<[Error | null, unknown]> | null> };
}

/**
 * Measures the inbox backlog for readiness and metrics: rows waiting for the relay, and `queued`
 * rows whose job vanished (Redis restarted without persistence, a failover, a flush). The second
 * is what used to go unseen: readiness said ok while acknowledged webhooks sat without jobs.
 */
@Injectable()
export class InboxBacklog {
  private readonly readiness: QueueReadiness;

  constructor(
    private readonly repository: InboxBacklogRepository,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue,
  ) {
    this.readiness = new QueueReadiness(queue, 2_000);
  }

  /** Throws when PostgreSQL cannot answer; `jobMissing` is null when Redis cannot. */
  async measure(timeoutMs = 2_000): Promise<InboxBacklogReport> {
    const now = Date.now();
    const [relay, queued] = await Promise.all([
      this.repository.waitingForRelay(),
      this.repository.oldestQueued(ORPHAN_AFTER_MS, SAMPLE),
    ]);
    let oldest = relay.oldest ? now - relay.oldest.getTime() : 0;
    let jobMissing: number | null = null;
    try {
      if (!(await this.readiness.isReady())) throw new Error('the queue connection is not ready');
      const missing = await rowsWithoutJob(this.queue, queued, timeoutMs);
      jobMissing = missing.size;
      const first = queued.find((r) => missing.has(r.id));
      if (first) oldest = Math.max(oldest, now - first.createdAt.getTime());
    } catch {
      // Redis down: the queued rows cannot be checked now (readiness reports Redis itself).
    }
    return {
      received: relay.count,
      jobMissing,
      waiting: relay.count + (jobMissing ?? 0),
      oldestWaitingSeconds: Math.max(0, Math.round(oldest / 1000)),
    };
  }
}
