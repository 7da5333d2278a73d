import { Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Type,
} from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import type { RetryPolicyOptions } from '@switchboard/core';
import { SwitchboardMetrics } from '@switchboard/metrics';
import {
  QueueName,
  WEBHOOK_BACKOFF,
  isWebhookBatch,
  logWorkerErrors,
  workerConnection,
  type AnyWebhookJobData,
  type WebhookJobData,
} from '@switchboard/queue';
import { UnrecoverableError, type Job, type WorkerOptions } from 'bullmq';
import { batchJobResult, type BatchJobResult } from './batch-job-result.js';
import { MicroBatcher } from './micro-batcher.js';
import { WebhookBatchProcessor, type WebhookOutcome, type WebhookWork } from './webhook-batch.processor.js';
import { webhookBackoffStrategy, webhookRetryPolicy } from './webhook-retry.js';

/**
 * The BullMQ side of webhook processing. BullMQ hands jobs over one at a time (up to
 * WORKER_CONCURRENCY at once); a job carries one inbox row or, from a busy ingress, a batch of
 * them. Every row goes into a MicroBatcher and waits for its own outcome, so storage runs one
 * transaction per batch of rows while every row keeps its own outcome; a job completes, retries or
 * fails as a unit.
 */
@Injectable()
export class WebhookWorkerHost extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('WebhookWorker');
  private readonly batcher: MicroBatcher<WebhookWork, WebhookOutcome>;
  private readonly maxAttempts: number;

  constructor(
    processor: WebhookBatchProcessor,
    config: AppConfig,
    private readonly metrics: SwitchboardMetrics,
  ) {
    super();
    this.maxAttempts = config.webhook.maxAttempts;
    this.batcher = new MicroBatcher({
      maxSize: config.worker.batchSize,
      maxWaitMs: config.worker.batchWaitMs,
      maxConcurrent: 2,
      handle: (items) => processor.processBatch(items),
    });
  }

  async process(job: Job<AnyWebhookJobData>): Promise<WebhookOutcome | BatchJobResult> {
    const started = performance.now();
    // Retries follow this worker's policy (WEBHOOK_MAX_ATTEMPTS, full-jitter backoff) whatever
    // backoff the producer put on the job: BullMQ reads both from the job it hands us.
    job.opts.attempts = this.maxAttempts;
    job.opts.backoff = { type: WEBHOOK_BACKOFF };
    const attempt = job.attemptsMade + 1;
    const finalAttempt = attempt >= this.maxAttempts;
    if (!isWebhookBatch(job.data)) {
      const outcome = await this.batcher.submit({ data: job.data, attempt, finalAttempt });
      this.observe(job.data, started);
      if (outcome.status === 'failed') {
        throw outcome.retryable ? new Error(outcome.error) : new UnrecoverableError(outcome.error);
      }
      return outcome;
    }
    const rows = job.data.rows;
    const outcomes = await Promise.all(
      rows.map((data) => this.batcher.submit({ data, attempt, finalAttempt, inBatch: true })),
    );
    for (const data of rows) this.observe(data, started);
    return batchJobResult(outcomes);
  }

  private observe(data: WebhookJobData, started: number): void {
    this.metrics.webhookProcessingDuration.observe(
      { provider: data.provider },
      (performance.now() - started) / 1000,
    );
  }

  onApplicationBootstrap(): void {
    logWorkerErrors(this.worker, this.logger, 'webhook worker (Redis)');
    // autorun is off so no job runs before every module is ready.
    this.worker
      .run()
      .catch((error: unknown) => this.logger.error(`worker stopped: ${(error as Error).message}`));
  }

  /** SIGTERM: stop taking jobs, let the ones in flight finish (their batches flush), then stop. */
  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
    await this.batcher.drain();
  }
}

export interface WebhookWorkerOptions {
  /** Overrides of the retry delays (tests use milliseconds). */
  retry?: Partial<RetryPolicyOptions>;
}

/**
 * A WebhookWorkerHost subclass carrying this process's worker options. The @Processor options
 * are class metadata, and they depend on configuration, so each application gets its own class.
 */
export function configuredWebhookWorker(
  config: AppConfig,
  options: WebhookWorkerOptions = {},
): Type<WebhookWorkerHost> {
  const policy = webhookRetryPolicy(config.webhook.maxAttempts, options.retry);
  const workerOptions: Partial<WorkerOptions> = {
    connection: workerConnection(config.redisUrl),
    concurrency: config.worker.concurrency,
    autorun: false,
    lockDuration: config.worker.lockDurationMs,
    stalledInterval: config.worker.stalledIntervalMs,
    maxStalledCount: 1,
    settings: { backoffStrategy: webhookBackoffStrategy(policy) },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };

  @Processor(QueueName.Webhooks, workerOptions)
  class ConfiguredWebhookWorker extends WebhookWorkerHost {}
  return ConfiguredWebhookWorker;
}
