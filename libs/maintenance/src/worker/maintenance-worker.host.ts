import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  type Type,
} from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import { QueueName, logWorkerErrors, workerConnection } from '@switchboard/queue';
import { Queue, type Job, type WorkerOptions } from 'bullmq';
import { MaintenanceTasks } from '../tasks/maintenance-tasks.js';

/** Finished maintenance jobs kept for the queue UI. */
const KEEP_JOBS = { count: 100 };

/**
 * The maintenance queue's processor and scheduler. At start it upserts one BullMQ job scheduler
 * per registered task (idempotent, so every worker may do it); BullMQ then adds one job per tick,
 * and one worker takes it, so each tick of each task runs once however many workers there are.
 * A failed run is not retried: the next tick does the same work.
 */
@Injectable()
export class MaintenanceWorkerHost extends WorkerHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Maintenance');
  private readonly failing = new Set<string>();

  constructor(
    private readonly tasks: MaintenanceTasks,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const task = this.tasks.get(job.name);
    if (!task) {
      // A scheduler left by another version of Switchboard: nothing here knows that task.
      this.logger.warn(`no maintenance task named "${job.name}" in this worker; job skipped`);
      return { skipped: true };
    }
    try {
      const result = await task.run({ jobId: String(job.id) });
      if (this.failing.delete(task.name)) this.logger.log(`maintenance task ${task.name} works again`);
      return result;
    } catch (error) {
      // One line when a task starts failing, not one per tick.
      if (!this.failing.has(task.name)) {
        this.failing.add(task.name);
        this.logger.error(
          `maintenance task ${task.name} failed: ${(error as Error).message}; retried every tick`,
        );
      }
      throw error;
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    logWorkerErrors(this.worker, this.logger, 'maintenance worker (Redis)');
    await this.schedule().catch((error: unknown) =>
      this.logger.error(
        `maintenance schedulers not set (will retry at next start): ${(error as Error).message}`,
      ),
    );
    this.worker
      .run()
      .catch((error: unknown) =>
        this.logger.error(`maintenance worker stopped: ${(error as Error).message}`),
      );
  }

  /** Upserts the job scheduler of every registered task. */
  async schedule(): Promise<void> {
    for (const task of this.tasks.list()) {
      await this.queue.upsertJobScheduler(
        task.name,
        task.pattern !== undefined ? { pattern: task.pattern, tz: 'UTC' } : { every: task.everyMs },
        { name: task.name, opts: { removeOnComplete: KEEP_JOBS, removeOnFail: KEEP_JOBS, attempts: 1 } },
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

/** A MaintenanceWorkerHost subclass carrying this process's worker options (class metadata). */
export function configuredMaintenanceWorker(config: AppConfig): Type<MaintenanceWorkerHost> {
  const workerOptions: Partial<WorkerOptions> = {
    connection: workerConnection(config.redisUrl),
    // Different tasks may run side by side; the same tick never runs twice (one job per tick).
    concurrency: 4,
    autorun: false,
    lockDuration: config.worker.lockDurationMs,
    stalledInterval: config.worker.stalledIntervalMs,
    maxStalledCount: 1,
  };

  @Processor(QueueName.Maintenance, workerOptions)
  class ConfiguredMaintenanceWorker extends MaintenanceWorkerHost {}
  return ConfiguredMaintenanceWorker;
}
