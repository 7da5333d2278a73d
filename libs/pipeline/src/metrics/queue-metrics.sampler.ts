import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { QueueName } from '@switchboard/queue';
import type { Queue } from 'bullmq';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Default time between two samples of the queue depths. */
export const QUEUE_SAMPLE_INTERVAL_MS = 5_000;

/**
 * Samples every queue's job counts into switchboard_queue_jobs{queue,state} on a timer (a scrape
 * never waits on Redis). Several workers sample the same queues and report the same numbers;
 * aggregate with max() in PromQL.
 */
@Injectable()
export class QueueMetricsSampler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('QueueMetrics');
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private readonly queues: Queue[];
  intervalMs = QUEUE_SAMPLE_INTERVAL_MS;

  constructor(
    private readonly metrics: SwitchboardMetrics,
    @InjectQueue(QueueName.Webhooks) webhooks: Queue,
    @InjectQueue(QueueName.Sync) sync: Queue,
    @InjectQueue(QueueName.Maintenance) maintenance: Queue,
  ) {
    this.queues = [webhooks, sync, maintenance];
  }

  onApplicationBootstrap(): void {
    void this.sample();
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async sample(): Promise<void> {
    try {
      for (const queue of this.queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES)
          this.metrics.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
      if (this.failing) this.logger.log('queue depths readable again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn(`cannot read queue depths: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}
