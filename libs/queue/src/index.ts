export * from './queue-names.js';
export * from './job-payloads.js';
export * from './connection-options.js';
export * from './queue.module.js';
export * from './webhook-job.js';
export * from './queue-errors.js';
export * from './queue-shutdown.js';
