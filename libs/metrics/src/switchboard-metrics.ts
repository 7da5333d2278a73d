import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * Every metric family Switchboard exports, declared once. Names follow Prometheus conventions:
 * `switchboard_` prefix, base units (seconds), `_total` counters, and labels of low cardinality
 * only (provider, endpoint, outcome — never a connection id, call id or URL).
 */
export class SwitchboardMetrics {
  readonly registry: Registry;

  // Provider APIs (seed plan: provider.api.availability / requests / latency)
  readonly providerApiUp: Gauge<'provider'>;
  readonly providerApiRequests: Counter<'provider' | 'endpoint' | 'status'>;
  readonly providerApiDuration: Histogram<'provider' | 'endpoint'>;

  // Webhooks (seed plan: webhooks.received / processed / processing_time)
  readonly webhooksReceived: Counter<'provider' | 'event_type' | 'outcome'>;
  readonly webhookIngressDuration: Histogram<'provider'>;
  readonly webhooksProcessed: Counter<'provider' | 'outcome'>;
  readonly webhookProcessingDuration: Histogram<'provider'>;
  readonly webhookEndToEndLag: Histogram<'provider'>;

  // Sync (seed plan: sync.lag_seconds / records_processed)
  readonly syncLag: Gauge<'provider'>;
  readonly syncRecordsProcessed: Counter<'provider' | 'type'>;

  // Queues and plugins
  readonly queueJobs: Gauge<'queue' | 'state'>;
  readonly pluginsLoaded: Gauge<'status'>;
  readonly buildInfo: Gauge<'version' | 'node_version'>;

  constructor(options: { registry?: Registry; defaultMetrics?: boolean; version?: string } = {}) {
    const registry = (this.registry = options.registry ?? new Registry());
    if (options.defaultMetrics !== false)
      collectDefaultMetrics({ register: registry, prefix: 'switchboard_' });
    const registers = [registry];

    this.providerApiUp = new Gauge({
      name: 'switchboard_provider_api_up',
      help: 'Whether the last request to the provider API got an answer that was not a 5xx, timeout or network error (1) or not (0)',
      labelNames: ['provider'],
      registers,
    });
    this.providerApiRequests = new Counter({
      name: 'switchboard_provider_api_requests_total',
      help: 'Requests made to provider APIs, by HTTP status class (2xx, 4xx, 429, 5xx, error)',
      labelNames: ['provider', 'endpoint', 'status'],
      registers,
    });
    this.providerApiDuration = new Histogram({
      name: 'switchboard_provider_api_request_duration_seconds',
      help: 'Latency of provider API requests',
      labelNames: ['provider', 'endpoint'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.webhooksReceived = new Counter({
      name: 'switchboard_webhooks_received_total',
      help: 'Webhook requests received, by outcome (accepted, duplicate, rejected_signature, rejected_ip, malformed, too_large, unknown_connection, rate_limited, unavailable)',
      labelNames: ['provider', 'event_type', 'outcome'],
      registers,
    });
    this.webhookIngressDuration = new Histogram({
      name: 'switchboard_webhook_ingress_duration_seconds',
      help: 'Time from receiving a webhook request to answering it',
      labelNames: ['provider'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.webhooksProcessed = new Counter({
      name: 'switchboard_webhooks_processed_total',
      help: 'Webhook jobs finished by the worker, by outcome (processed, retried, failed, ignored)',
      labelNames: ['provider', 'outcome'],
      registers,
    });
    this.webhookProcessingDuration = new Histogram({
      name: 'switchboard_webhook_processing_duration_seconds',
      help: 'Time the worker spends turning one webhook into a stored call',
      labelNames: ['provider'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.webhookEndToEndLag = new Histogram({
      name: 'switchboard_webhook_end_to_end_lag_seconds',
      help: 'Time from receiving a webhook to its call being stored',
      labelNames: ['provider'],
      buckets: LAG_BUCKETS,
      registers,
    });
    this.syncLag = new Gauge({
      name: 'switchboard_sync_lag_seconds',
      help: 'Seconds since the last successful sync, per provider (oldest connection)',
      labelNames: ['provider'],
      registers,
    });
    this.syncRecordsProcessed = new Counter({
      name: 'switchboard_sync_records_processed_total',
      help: 'Records read from provider APIs by syncs and backfills, by type (call, campaign, number)',
      labelNames: ['provider', 'type'],
      registers,
    });
    this.queueJobs = new Gauge({
      name: 'switchboard_queue_jobs',
      help: 'Jobs in each queue by state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.pluginsLoaded = new Gauge({
      name: 'switchboard_plugins',
      help: 'Provider plugins found at startup, by status (loaded, failed)',
      labelNames: ['status'],
      registers,
    });
    this.buildInfo = new Gauge({
      name: 'switchboard_build_info',
      help: 'Build information; always 1',
      labelNames: ['version', 'node_version'],
      registers,
    });
    this.buildInfo.set({ version: options.version ?? '0.1.0', node_version: process.version }, 1);
  }

  /** Status label for provider requests: keeps cardinality to a handful of values. */
  static statusClass(status: number | 'error'): string {
    if (status === 'error') return 'error';
    if (status === 429) return '429';
    return `${Math.floor(status / 100)}xx`;
  }
}
