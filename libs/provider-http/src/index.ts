export * from './rate-limiter.js';
export * from './http-observer.js';
export * from './retry-after.js';
export * from './undici-provider-http-client.js';
export * from './redis-rate-limiter.js';
