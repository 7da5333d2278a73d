export * from './partitions/partition-calendar.js';
export * from './partitions/partition-maintenance.js';
export * from './tasks/maintenance-tasks.js';
export * from './tasks/builtin-tasks.js';
export * from './worker/maintenance-worker.host.js';
export * from './maintenance.module.js';
