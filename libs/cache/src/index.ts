export * from './redis-connection.js';
export * from './redis-client.js';
export * from './cache.service.js';
export * from './cache.module.js';
export * from './tracked-local-cache.js';
