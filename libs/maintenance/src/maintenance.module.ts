import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '@switchboard/config';
import { InboxRelayModule } from '@switchboard/ingress';
import { PartitionMaintenance } from './partitions/partition-maintenance.js';
import {
  BuiltinMaintenanceTasks,
  DEFAULT_MAINTENANCE_SCHEDULE,
  MAINTENANCE_SCHEDULE,
  type MaintenanceSchedule,
} from './tasks/builtin-tasks.js';
import { MaintenanceTasks } from './tasks/maintenance-tasks.js';
import { configuredMaintenanceWorker } from './worker/maintenance-worker.host.js';

/**
 * Housekeeping for the worker process: the maintenance queue's processor and job schedulers, the
 * retention of partitioned tables and the inbox sweep. Other modules add scheduled tasks through
 * MaintenanceTasks (exported). Relies on the global infrastructure modules (config, persistence,
 * queue).
 */
@Module({})
export class MaintenanceModule {
  static register(config: AppConfig, schedule: Partial<MaintenanceSchedule> = {}): DynamicModule {
    return {
      module: MaintenanceModule,
      global: true,
      imports: [InboxRelayModule],
      providers: [
        { provide: MAINTENANCE_SCHEDULE, useValue: { ...DEFAULT_MAINTENANCE_SCHEDULE, ...schedule } },
        MaintenanceTasks,
        PartitionMaintenance,
        BuiltinMaintenanceTasks,
        configuredMaintenanceWorker(config),
      ],
      exports: [MaintenanceTasks, PartitionMaintenance],
    };
  }
}
