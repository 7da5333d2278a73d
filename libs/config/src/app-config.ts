import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import * as fs from 'node:fs';
import { ConfigError } from '@switchboard/core';
import { EXPECTED, Environment, SECRET_VARIABLES } from './environment.js';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** Retention in days; 0 keeps forever (raw bodies: as long as their webhook_logs row). */
export interface RetentionConfig {
  webhookLogDays: number;
  callEventDays: number;
  rawPayloadDays: number;
}

export const DEFAULT_RETENTION: RetentionConfig = {
  webhookLogDays: 90,
  callEventDays: 365,
  rawPayloadDays: 30,
};

/** The validated configuration every module reads. Built once at startup. */
export class AppConfig {
  constructor(
    readonly nodeEnv: 'development' | 'production' | 'test',
    readonly port: number,
    readonly host: string,
    readonly databaseUrl: string,
    readonly databasePoolSize: number,
    readonly redisUrl: string,
    readonly redisPrefix: string,
    readonly publicBaseUrl: string,
    readonly logLevel: string,
    readonly logRequests: boolean,
    /** First key encrypts; all keys decrypt (so keys can be rotated). */
    readonly encryptionKeys: EncryptionKey[],
    readonly adminToken: string | undefined,
    readonly plugins: string[],
    readonly pluginsScan: boolean,
    readonly webhook: {
      bodyLimitBytes: number;
      toleranceSeconds: number;
      rateLimitPerSecond: number;
      trustedProxies: string[];
      maxAttempts: number;
    },
    readonly worker: {
      concurrency: number;
      port: number;
      /** Jobs stored per transaction, and how long a partial batch waits for more. */
      batchSize: number;
      batchWaitMs: number;
      /** BullMQ lock and stalled-check timing: a killed worker's jobs return after about lock + interval. */
      lockDurationMs: number;
      stalledIntervalMs: number;
      /** Recent call events kept in the live stream (Redis Stream MAXLEN ~) for clients that reconnect. */
      liveStreamMaxEvents: number;
    },
    readonly sync: {
      /** Scheduled (incremental) syncs of every live connection; operator-started runs work either way. */
      scheduleEnabled: boolean;
      /** Sync jobs (connections) one worker runs at once. */
      concurrency: number;
      /** Size of a backfill chunk: the unit of progress and of resumption after a crash. */
      chunkSeconds: number;
      /** Scheduled consistency checks of every live connection (0 = none) and the window each covers. */
      consistencyIntervalSeconds: number;
      consistencyWindowSeconds: number;
    } = {
      scheduleEnabled: true,
      concurrency: 4,
      chunkSeconds: 86_400,
      consistencyIntervalSeconds: 0,
      consistencyWindowSeconds: 86_400,
    },
  ) {}

  /**
   * Connections may point settings.apiBaseUrl at any host (simulators, staging), not only at the
   * hosts their plugin declares (ALLOW_CUSTOM_API_BASE_URLS).
   */
  readonly allowCustomApiBaseUrls: boolean = false;

  /**
   * Calls each api process keeps in memory in front of the Redis call cache (CALL_CACHE_LOCAL_ENTRIES),
   * invalidated by Redis client tracking; 0 turns the local tier off.
   */
  readonly callCacheLocalEntries: number = 10_000;

  /** How long webhook logs, call events and raw webhook bodies are kept (libs/maintenance). */
  readonly retention: RetentionConfig = DEFAULT_RETENTION;

  /** Options for plugin discovery (core's discoverPlugins): scan node_modules from the working directory, plus PLUGINS. */
  get pluginDiscovery(): { rootDir: string; explicit: string[]; explicitOnly: boolean } {
    return { rootDir: process.cwd(), explicit: this.plugins, explicitOnly: !this.pluginsScan };
  }
}

/**
 * Validates the environment and builds AppConfig. Throws ConfigError whose message is one line
 * per bad variable, naming it and what it should look like; secret values are never echoed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw = plainToInstance(Environment, { ...env });
  const errors = validateSync(raw, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const name = e.property as keyof Environment;
      const value = env[name];
      const got =
        value === undefined || value === ''
          ? 'it is not set'
          : SECRET_VARIABLES.has(name)
            ? 'the value given is not of that form'
            : `got "${String(value).slice(0, 80)}"`;
      return `${name} must be ${EXPECTED[name]} (${got})`;
    });
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const port = raw.PORT ?? 3000;
  const keys = raw.ENCRYPTION_KEYS.split(',').map((pair) => {
    const [id, b64] = pair.split(':');
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) {
      throw new ConfigError(`Invalid configuration: ENCRYPTION_KEYS key "${id}" must decode to 32 bytes`);
    }
    return { id, key };
  });
  const nodeEnv = (raw.NODE_ENV ?? 'development') as AppConfig['nodeEnv'];
  const weakToken = raw.ADMIN_TOKEN === undefined ? undefined : adminTokenWeakness(raw.ADMIN_TOKEN);
  if (weakToken) {
    throw new ConfigError(
      `Invalid configuration: ADMIN_TOKEN must be ${EXPECTED.ADMIN_TOKEN} (the value given ${weakToken})`,
    );
  }
  // Without ADMIN_TOKEN outside production the API is open: then it listens on loopback only,
  // unless HOST says otherwise.
  const openApi = !raw.ADMIN_TOKEN && nodeEnv !== 'production';
  if (nodeEnv === 'production' && !raw.ADMIN_TOKEN) {
    throw new ConfigError(
      `Invalid configuration: ADMIN_TOKEN must be ${EXPECTED.ADMIN_TOKEN} in production (it is not set)`,
    );
  }
  const config = new AppConfig(
    nodeEnv,
    port,
    raw.HOST ?? (openApi ? '127.0.0.1' : '0.0.0.0'),
    raw.DATABASE_URL,
    raw.DATABASE_POOL_SIZE ?? 10,
    raw.REDIS_URL,
    raw.REDIS_PREFIX ?? 'sb',
    (raw.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    raw.LOG_LEVEL ?? 'info',
    raw.LOG_REQUESTS ?? true,
    keys,
    raw.ADMIN_TOKEN,
    splitList(raw.PLUGINS),
    raw.PLUGINS_SCAN ?? true,
    {
      bodyLimitBytes: raw.WEBHOOK_BODY_LIMIT_BYTES ?? 256 * 1024,
      toleranceSeconds: raw.WEBHOOK_TOLERANCE_SECONDS ?? 300,
      rateLimitPerSecond: raw.WEBHOOK_RATE_LIMIT_PER_SECOND ?? 1000,
      trustedProxies: splitList(raw.TRUSTED_PROXIES),
      maxAttempts: raw.WEBHOOK_MAX_ATTEMPTS ?? 8,
    },
    {
      concurrency: raw.WORKER_CONCURRENCY ?? 50,
      port: raw.WORKER_PORT ?? 3001,
      batchSize: raw.WORKER_BATCH_SIZE ?? 25,
      batchWaitMs: raw.WORKER_BATCH_WAIT_MS ?? 5,
      lockDurationMs: raw.WORKER_LOCK_DURATION_MS ?? 30_000,
      stalledIntervalMs: raw.WORKER_STALLED_INTERVAL_MS ?? 30_000,
      liveStreamMaxEvents: raw.LIVE_STREAM_MAX_EVENTS ?? 10_000,
    },
    {
      scheduleEnabled: raw.SYNC_SCHEDULE_ENABLED ?? true,
      concurrency: raw.SYNC_CONCURRENCY ?? 4,
      chunkSeconds: raw.BACKFILL_CHUNK_SECONDS ?? 86_400,
      consistencyIntervalSeconds: raw.CONSISTENCY_CHECK_INTERVAL_SECONDS ?? 0,
      consistencyWindowSeconds: raw.CONSISTENCY_CHECK_WINDOW_SECONDS ?? 86_400,
    },
  );
  return Object.assign(config, {
    allowCustomApiBaseUrls: raw.ALLOW_CUSTOM_API_BASE_URLS ?? false,
    callCacheLocalEntries: raw.CALL_CACHE_LOCAL_ENTRIES ?? 10_000,
    retention: retentionConfig(raw),
  });
}

/** Retention settings; raw bodies cannot outlive the rows that hold them. */
function retentionConfig(raw: Environment): RetentionConfig {
  const retention: RetentionConfig = {
    webhookLogDays: raw.WEBHOOK_LOG_RETENTION_DAYS ?? DEFAULT_RETENTION.webhookLogDays,
    callEventDays: raw.CALL_EVENT_RETENTION_DAYS ?? DEFAULT_RETENTION.callEventDays,
    rawPayloadDays: raw.RAW_PAYLOAD_RETENTION_DAYS ?? DEFAULT_RETENTION.rawPayloadDays,
  };
  // The default raw retention (30) follows a shorter log retention instead of refusing to start.
  if (raw.RAW_PAYLOAD_RETENTION_DAYS === undefined && retention.webhookLogDays > 0)
    retention.rawPayloadDays = Math.min(retention.rawPayloadDays, retention.webhookLogDays);
  const rowsKept = retention.webhookLogDays;
  if (rowsKept > 0 && retention.rawPayloadDays > rowsKept) {
    throw new ConfigError(
      `Invalid configuration: RAW_PAYLOAD_RETENTION_DAYS must be ${EXPECTED.RAW_PAYLOAD_RETENTION_DAYS} ` +
        `(got ${retention.rawPayloadDays}, but WEBHOOK_LOG_RETENTION_DAYS is ${rowsKept}: raw bodies go with their rows)`,
    );
  }
  return retention;
}

/**
 * Why an ADMIN_TOKEN is too weak to guard the API, or undefined: whitespace, fewer than 24
 * characters, fewer than 10 distinct characters, one short pattern repeated, or under 64 bits by
 * the character frequencies (24 spaces, "aaaa…", "abcdefghij" x 3 all fail; `openssl rand -hex 24`
 * has about 170).
 */
export function adminTokenWeakness(token: string): string | undefined {
  if (/\s/.test(token)) return 'contains whitespace';
  if (token.length < 24) return 'is shorter than 24 characters';
  const counts = new Map<string, number>();
  for (const c of token) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < 10) return 'has fewer than 10 different characters';
  if (/^(.{1,16}?)\1+$/s.test(token)) return 'is one short pattern repeated';
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / token.length) * Math.log2(n / token.length);
  if (bitsPerChar * token.length < 64) return 'is too predictable (under 64 bits)';
  return undefined;
}

/**
 * Validates only the variables a command needs (e.g. `migrate` needs DATABASE_URL, not Redis or
 * encryption keys): those must be set, the others are checked only when they are. Same one-line
 * messages as loadConfig.
 */
export function loadConfigSubset<K extends keyof Environment>(
  required: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<Environment, K> & Partial<Environment> {
  const raw = plainToInstance(Environment, { ...env });
  const errors = validateSync(raw, { skipMissingProperties: true, whitelist: false });
  const lines = errors.map((e) => describeInvalid(e.property as keyof Environment, env));
  for (const name of required) {
    const value = env[name];
    if (value === undefined || value === '') lines.push(describeInvalid(name, env));
  }
  if (lines.length > 0) throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  return raw;
}

/** Plugin discovery options from PLUGINS and PLUGINS_SCAN alone (see AppConfig.pluginDiscovery). */
export function pluginDiscoveryFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig['pluginDiscovery'] {
  const raw = loadConfigSubset([], env);
  return {
    rootDir: process.cwd(),
    explicit: splitList(raw.PLUGINS),
    explicitOnly: !(raw.PLUGINS_SCAN ?? true),
  };
}

function describeInvalid(name: keyof Environment, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  const got =
    value === undefined || value === ''
      ? 'it is not set'
      : SECRET_VARIABLES.has(name)
        ? 'the value given is not of that form'
        : `got "${String(value).slice(0, 80)}"`;
  return `${name} must be ${EXPECTED[name]} (${got})`;
}

/** Loads ./.env into process.env when present; variables already set win. */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * loadConfig for process entry points: on a bad value prints the one-line reason to stderr and
 * exits with status 1, instead of a stack trace.
 */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
