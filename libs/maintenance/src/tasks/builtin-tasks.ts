import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { InboxRelay } from '@switchboard/ingress';
import { PartitionMaintenance } from '../partitions/partition-maintenance.js';
import { MaintenanceTasks } from './maintenance-tasks.js';

/** How often the built-in tasks run (tests shorten them). */
export interface MaintenanceSchedule {
  /** Cron pattern of the retention run (UTC): hourly at minute 17, not at start. */
  retentionPattern: string;
  /** Instead of the pattern: every this many ms, the first run at once (tests). */
  retentionEveryMs?: number;
  inboxSweepEveryMs: number;
}

export const DEFAULT_MAINTENANCE_SCHEDULE: MaintenanceSchedule = {
  retentionPattern: '17 * * * *',
  inboxSweepEveryMs: 30_000,
};

export const MAINTENANCE_SCHEDULE = Symbol('MAINTENANCE_SCHEDULE');

/**
 * The tasks Switchboard itself schedules: `retention` (partitions ahead, expired partitions,
 * raw bodies) and `inbox-sweep` (the relay's check that every `queued` inbox row has its job).
 */
@Injectable()
export class BuiltinMaintenanceTasks implements OnModuleInit {
  constructor(
    private readonly tasks: MaintenanceTasks,
    private readonly partitions: PartitionMaintenance,
    private readonly relay: InboxRelay,
    @Inject(MAINTENANCE_SCHEDULE) private readonly schedule: MaintenanceSchedule,
  ) {}

  onModuleInit(): void {
    this.tasks.register({
      name: 'retention',
      ...(this.schedule.retentionEveryMs
        ? { everyMs: this.schedule.retentionEveryMs }
        : { pattern: this.schedule.retentionPattern }),
      run: () => this.partitions.run(),
    });
    this.tasks.register({
      name: 'inbox-sweep',
      everyMs: this.schedule.inboxSweepEveryMs,
      run: async () => ({ checked: await this.relay.sweepOnce() }),
    });
  }
}
