export * from './webhook-job.js';
export * from './inbound-request.js';
export * from './ingress-connections.js';
export * from './webhook-rate-limiter.js';
export * from './inbox-writer.js';
export * from './webhook-ingress.service.js';
export * from './inbox-relay.js';
export * from './ingress.module.js';
