/** Shapes of the API responses the console reads (see the OpenAPI document at /docs). */
export type Scope = 'read' | 'write' | 'admin';

export interface Principal {
  kind: 'admin-token' | 'api-key' | 'open';
  scopes: Scope[];
  keyId: string | null;
}

export interface ConnectionActivity {
  connectionId: string;
  name: string;
  provider: string;
  mode: string;
  active: boolean;
  received: number;
  rejected: number;
  processed: number;
  failed: number;
  pending: number;
  lagSeconds: { avg: number | null; max: number | null };
  lastReceivedAt: string | null;
  sync: {
    state: string;
    lastSuccessAt: string | null;
    lastRunAt: string | null;
    error: string | null;
  } | null;
}

export interface QueueDepth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface Overview {
  generatedAt: string;
  windowMinutes: number;
  connections: ConnectionActivity[];
  providers: Array<{
    provider: string;
    received: number;
    rejected: number;
    processed: number;
    failed: number;
  }>;
  queues: QueueDepth[] | null;
  queuesError?: string;
  series: Array<{ minute: string; received: number; processed: number }>;
  plugins: {
    loaded: Array<{ provider: string; displayName: string; version: string }>;
    failed: Array<{ package: string; provider?: string; reason: string }>;
  };
}

export interface Plugin {
  provider: string;
  displayName: string;
  version: string;
  verificationSchemes: string[];
  features: Record<string, boolean>;
}

export interface CredentialField {
  name: string;
  label: string;
  secret: boolean;
  required: boolean;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  hints: string[];
}

export interface Connection {
  id: string;
  provider: string;
  name: string;
  mode: 'live' | 'shadow';
  active: boolean;
  webhookUrl: string;
  credentials: Record<string, string>;
  settings: Record<string, unknown>;
  ipAllowlist: string[];
  activeWebhookSecrets: number;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookTemplate {
  trigger: string;
  providerTrigger: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  contentType?: string;
  notes?: string;
}

export interface Call {
  version: number;
  id: string;
  connectionId: string;
  provider: string;
  externalId: string;
  status: string;
  campaignExternalId: string | null;
  campaignName: string | null;
  trackingNumber: string | null;
  callerNumber: string | null;
  destinationNumber: string | null;
  startedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  durationSeconds: number | null;
  connectedDurationSeconds: number | null;
  recordingUrl: string | null;
  converted: boolean | null;
  revenue: string | null;
  payout: string | null;
  cost: string | null;
  tags: Record<string, string>;
  providerData: Record<string, unknown>;
  lastEventAt: string;
  lastSyncedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface TimelineEvent {
  id: string;
  source: string;
  eventType: string;
  occurredAt: string;
  receivedAt: string;
  webhookLogId: string | null;
  data: unknown;
}

export interface CallTimeline {
  callId: string;
  events: TimelineEvent[];
  fieldSources: Record<
    string,
    { at: string; eventId: string | null; source: string | null; eventType: string | null }
  >;
}

export interface WebhookLog {
  id: string;
  connectionId: string | null;
  provider: string;
  eventType: string | null;
  eventId: string | null;
  method: string;
  contentType: string | null;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: string | null;
  bodyEncoding: 'utf8' | 'base64';
  sourceIp: string | null;
  verification: string;
  status: string;
  httpStatus: number;
  attempts: number;
  error: string | null;
  /** Values the mapper found but could not use (the call was stored without them). */
  mappingWarnings?: Array<{ field: string; source?: string; reason: string; value: string }>;
  receivedAt: string;
  processedAt: string | null;
  createdAt: string;
}

export interface ReplayResult {
  replayed: number;
  skipped: number;
  ids: string[];
}

export const CALL_STATUSES = [
  'ringing',
  'in_progress',
  'completed',
  'missed',
  'busy',
  'failed',
  'canceled',
  'rejected',
];
export const WEBHOOK_STATUSES = ['received', 'queued', 'processed', 'failed', 'rejected', 'ignored'];

export interface SyncRun {
  id: string;
  connectionId: string;
  provider: string;
  kind: 'backfill' | 'recovery' | 'consistency' | 'parallel_run';
  state: string;
  from: string;
  to: string;
  chunks: { done: number; total: number; seconds: number };
  calls: { seen: number; created: number; updated: number; skipped: number };
  pages: number;
  progress: { percent: number; callsPerSecond: number | null; etaSeconds: number | null };
  report: SyncReport | null;
  error: string | null;
  cancelRequested: boolean;
  requestedBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface IdSample {
  total: number;
  ids: string[];
}

export interface SyncReport {
  skipped?: { total: number; rows: Array<Record<string, unknown>> };
  created?: IdSample;
  completed?: IdSample;
  matching?: number;
  missingHere?: IdSample;
  missingAtProvider?: IdSample;
  fieldMismatches?: {
    total: number;
    byField: Record<string, number>;
    calls: Array<{
      externalId: string;
      differences: Array<{ field: string; ours: unknown; theirs: unknown }>;
    }>;
  };
}

export interface ConnectionSync {
  connectionId: string;
  scheduled: {
    state: string;
    highWaterMark?: string | null;
    lastAttemptAt?: string | null;
    lastSuccessAt?: string | null;
    lastRun?: { seen: number; changed: number; skipped: number; durationMs: number | null };
    consecutiveFailures?: number;
    error?: string | null;
  };
  recentRuns: SyncRun[];
}
