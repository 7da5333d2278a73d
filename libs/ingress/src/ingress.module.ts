import { Module } from '@nestjs/common';
import { InboxBacklog } from './inbox-backlog.js';
import { InboxRelay } from './inbox-relay.js';
import { InboxWriter } from './inbox-writer.js';
import { IngressConnections } from './ingress-connections.js';
import { WebhookIngress } from './webhook-ingress.service.js';
import { WebhookRateLimiter } from './webhook-rate-limiter.js';

/**
 * The webhook ingress for the api process. Needs the global infrastructure modules (config,
 * persistence, cache, queue, metrics, connections, plugins); the HTTP route lives in apps/api.
 */
@Module({
  providers: [IngressConnections, WebhookRateLimiter, InboxWriter, WebhookIngress],
  exports: [WebhookIngress, IngressConnections],
})
export class IngressModule {}

/** The relay of inbox rows that missed their enqueue; registered by the worker. */
@Module({ providers: [InboxRelay, InboxBacklog], exports: [InboxRelay] })
export class InboxRelayModule {}
