export * from './switchboard-metrics.js';
export * from './provider-http-metrics.js';
export * from './metrics.controller.js';
export * from './metrics.module.js';
