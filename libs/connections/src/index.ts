export * from './connection-errors.js';
export * from './credential-validation.js';
export * from './plugin-logger.js';
export * from './connection-adapters.js';
export * from './connection-secrets-check.js';
export * from './connection.service.js';
export * from './connections.module.js';
