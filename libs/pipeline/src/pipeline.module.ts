import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@switchboard/config';
import { CallCache } from './cache/call-cache.js';
import { CallEventStore } from './calls/call-event-store.js';
import { StoredCallPublisher } from './calls/stored-call-publisher.js';
import { LiveCallStream } from './live/live-call-stream.js';
import { LiveEventPublisher } from './live/live-events.js';
import { QueueMetricsSampler } from './metrics/queue-metrics.sampler.js';
import { WebhookBatchProcessor } from './processing/webhook-batch.processor.js';
import { configuredWebhookWorker, type WebhookWorkerOptions } from './processing/webhook-worker.host.js';
import { ReplayService } from './replay/replay.service.js';

/**
 * The processing pipeline for the worker process: the webhooks queue processor (micro-batched
 * storage), cache and live-stream updates, and the queue-depth sampler. Relies on the global
 * infrastructure modules (config, persistence, cache, queue, metrics, connections).
 */
@Module({})
export class PipelineWorkerModule {
  static register(config: AppConfig, options: WebhookWorkerOptions = {}): DynamicModule {
    return {
      module: PipelineWorkerModule,
      providers: [
        CallEventStore,
        CallCache,
        LiveEventPublisher,
        StoredCallPublisher,
        WebhookBatchProcessor,
        QueueMetricsSampler,
        ReplayService,
        configuredWebhookWorker(config, options),
      ],
      exports: [
        CallEventStore,
        CallCache,
        LiveEventPublisher,
        StoredCallPublisher,
        WebhookBatchProcessor,
        QueueMetricsSampler,
        ReplayService,
      ],
    };
  }
}

/** What the API process needs from the pipeline: call cache, live stream reader, replays. */
@Module({
  providers: [CallCache, LiveCallStream, ReplayService],
  exports: [CallCache, LiveCallStream, ReplayService],
})
export class PipelineApiModule {}
