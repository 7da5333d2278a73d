import { Injectable } from '@nestjs/common';

/** What a task's run is told about the scheduled job that started it. */
export interface MaintenanceRun {
  /** BullMQ job id: one per tick of the task's scheduler, run by exactly one worker. */
  jobId: string;
}

/**
 * A housekeeping job run on the maintenance queue every `everyMs` or on a cron `pattern`, by one worker at a time
 * whatever the number of workers (a BullMQ job scheduler keyed by `name`).
 */
export interface MaintenanceTask {
  /** Scheduler id and job name; part of Redis keys, so keep it stable. */
  name: string;
  /** Run every this many ms, the first run at once. */
  everyMs?: number;
  /** Or on this cron pattern (UTC), e.g. `17 * * * *` (hourly at minute 17); no run at start. */
  pattern?: string;
  /** Returns a summary kept as the job's return value (shown in the queue UI). */
  run(context: MaintenanceRun): Promise<unknown>;
}

/**
 * The tasks this process schedules and runs. Modules add theirs in onModuleInit, e.g. the sync
 * engine's scheduled consistency checks:
 *
 *   constructor(private readonly tasks: MaintenanceTasks) {}
 *   onModuleInit() { this.tasks.register({ name: 'consistency-check', pattern: '40 3 * * *', run: () => ... }); }
 *
 * The scheduler upserts every registered task's job scheduler when the application has started.
 */
@Injectable()
export class MaintenanceTasks {
  private readonly tasks = new Map<string, MaintenanceTask>();

  register(task: MaintenanceTask): void {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(task.name)) {
      throw new Error(`maintenance task name "${task.name}" must be lowercase letters, digits and dashes`);
    }
    if (task.pattern === undefined && !((task.everyMs ?? 0) >= 100)) {
      throw new Error(`maintenance task ${task.name}: everyMs must be at least 100, or give a cron pattern`);
    }
    this.tasks.set(task.name, task);
  }

  get(name: string): MaintenanceTask | undefined {
    return this.tasks.get(name);
  }

  list(): MaintenanceTask[] {
    return [...this.tasks.values()];
  }
}
