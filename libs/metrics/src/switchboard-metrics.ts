import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * Every metric family Switchboard exports, declared once. Names follow Prometheus conventions:
 * `switchboard_` prefix, base units (seconds), `_total` counters, and labels of low cardinality
 * only (provider, endpoint, outcome — never a call id or URL). A connection id appears only on the
 * per-connection sync gauges: operators run tens of connections, not thousands, and need to tell them apart.
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
  readonly mappingWarnings: Counter<'provider' | 'field'>;

  // Sync (seed plan: sync.lag_seconds / records_processed)
  readonly syncLag: Gauge<'provider' | 'connection'>;
  readonly syncRecordsProcessed: Counter<'provider' | 'type'>;
  readonly syncRuns: Counter<'provider' | 'kind' | 'outcome'>;
  readonly syncCallsWritten: Counter<'provider' | 'kind' | 'change'>;
  readonly syncRecordsSkipped: Counter<'provider'>;
  readonly consistencyDrift: Gauge<'connection' | 'kind'>;

  // Inbox backlog: acknowledged webhooks not (known to be) in the queue
  readonly inboxWaiting: Gauge<'state'>;
  readonly inboxWaitingOldest: Gauge;
  readonly inboxJobsReadded: Counter;
  readonly redisDataLoss: Counter;

  // Dependencies and connections an operator must fix
  readonly dependencyUp: Gauge<'dependency'>;
  readonly dependencyErrors: Counter<'dependency'>;
  readonly connectionsUnreadable: Gauge;

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
      help: 'Webhook requests received, by outcome (accepted, duplicate, rejected_signature, rejected_ip, malformed, unstorable, too_large, unknown_connection, rate_limited, unavailable)',
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
    this.mappingWarnings = new Counter({
      name: 'switchboard_mapping_warnings_total',
      help: 'Values a mapper found in a payload but could not use (bad money, date, duration, URL, status), by normalized field',
      labelNames: ['provider', 'field'],
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
      help: 'Seconds since the last successful scheduled sync of each connection',
      labelNames: ['provider', 'connection'],
      registers,
    });
    this.syncRuns = new Counter({
      name: 'switchboard_sync_runs_total',
      help: 'Sync engine runs finished, by kind (incremental, backfill, recovery, consistency, parallel_run) and outcome (succeeded, failed, auth_failed, canceled, skipped)',
      labelNames: ['provider', 'kind', 'outcome'],
      registers,
    });
    this.syncCallsWritten = new Counter({
      name: 'switchboard_sync_calls_written_total',
      help: 'Calls the sync engine wrote because the provider knew something new, by change (created, updated)',
      labelNames: ['provider', 'kind', 'change'],
      registers,
    });
    this.syncRecordsSkipped = new Counter({
      name: 'switchboard_sync_records_skipped_total',
      help: 'Provider records a sync could not use (malformed or unmappable rows), each logged with its reason',
      labelNames: ['provider'],
      registers,
    });
    this.consistencyDrift = new Gauge({
      name: 'switchboard_consistency_drift',
      help: 'Differences found by the latest consistency check of a connection, by kind (missing_here, missing_at_provider, field_mismatch)',
      labelNames: ['connection', 'kind'],
      registers,
    });
    this.syncRecordsProcessed = new Counter({
      name: 'switchboard_sync_records_processed_total',
      help: 'Records read from provider APIs by syncs and backfills, by type (call, campaign, number)',
      labelNames: ['provider', 'type'],
      registers,
    });
    this.inboxWaiting = new Gauge({
      name: 'switchboard_inbox_waiting',
      help: 'Acknowledged webhooks not in the queue, by state: received (stored while Redis was down; the relay enqueues them) or job_missing (queued, but the job is gone from Redis; the relay re-adds it)',
      labelNames: ['state'],
      registers,
    });
    this.inboxWaitingOldest = new Gauge({
      name: 'switchboard_inbox_waiting_oldest_seconds',
      help: 'Age of the oldest acknowledged webhook that is not in the queue (0 when none)',
      registers,
    });
    this.inboxJobsReadded = new Counter({
      name: 'switchboard_inbox_jobs_readded_total',
      help: 'Jobs re-added by the relay for queued webhooks whose job had vanished from Redis',
      registers,
    });
    this.redisDataLoss = new Counter({
      name: 'switchboard_redis_data_loss_total',
      help: 'Times the relay found that Redis had lost its data (its marker key was gone: a restart without persistence, a failover, a flush)',
      registers,
    });
    this.dependencyUp = new Gauge({
      name: 'switchboard_dependency_up',
      help: 'Whether the process last reached the dependency (postgresql, redis) (1) or not (0)',
      labelNames: ['dependency'],
      registers,
    });
    this.dependencyErrors = new Counter({
      name: 'switchboard_dependency_errors_total',
      help: 'Operations that failed because a dependency (postgresql, redis) was unreachable; logged once per outage, counted here',
      labelNames: ['dependency'],
      registers,
    });
    this.connectionsUnreadable = new Gauge({
      name: 'switchboard_connection_secrets_unreadable',
      help: 'Connections whose stored credentials or webhook secrets cannot be decrypted with ENCRYPTION_KEYS (their webhooks are answered 503)',
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
