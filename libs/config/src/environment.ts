import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase())
      ? true
      : ['0', 'false', 'no', 'off'].includes(String(value).toLowerCase())
        ? false
        : value;

/**
 * Every environment variable Switchboard reads, with its rule. The same list, with meanings and
 * defaults, is in .env.example and the README's configuration table. `expected` texts are what
 * an operator sees when a value is wrong, so they say what a good value looks like.
 */
export class Environment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  @IsOptional()
  @IsString()
  HOST?: string;

  @Matches(/^postgres(ql)?:\/\/.+/)
  DATABASE_URL!: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE?: number;

  @Matches(/^rediss?:\/\/.+/)
  REDIS_URL!: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_{}:-]{1,64}$/)
  REDIS_PREFIX?: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/)
  PUBLIC_BASE_URL?: string;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  LOG_REQUESTS?: boolean;

  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{43,44}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{43,44})*$/)
  ENCRYPTION_KEYS!: string;

  @IsOptional()
  @Matches(/^.{24,}$/)
  ADMIN_TOKEN?: string;

  @IsOptional()
  @IsString()
  PLUGINS?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  ALLOW_CUSTOM_API_BASE_URLS?: boolean;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  PLUGINS_SCAN?: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(50 * 1024 * 1024)
  WEBHOOK_BODY_LIMIT_BYTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  WEBHOOK_TOLERANCE_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  WEBHOOK_RATE_LIMIT_PER_SECOND?: number;

  @IsOptional()
  @Matches(/^[0-9a-fA-F:.,/\s]*$/)
  TRUSTED_PROXIES?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  WEBHOOK_MAX_ATTEMPTS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  WORKER_BATCH_SIZE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000)
  WORKER_BATCH_WAIT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  WORKER_LOCK_DURATION_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(600000)
  WORKER_STALLED_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(1000000)
  LIVE_STREAM_MAX_EVENTS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1000000)
  CALL_CACHE_LOCAL_ENTRIES?: number;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  SYNC_SCHEDULE_ENABLED?: boolean;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  SYNC_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(300)
  @Max(31 * 86400)
  BACKFILL_CHUNK_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(31 * 86400)
  CONSISTENCY_CHECK_INTERVAL_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(31 * 86400)
  CONSISTENCY_CHECK_WINDOW_SECONDS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(36500)
  WEBHOOK_LOG_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(36500)
  CALL_EVENT_RETENTION_DAYS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(36500)
  RAW_PAYLOAD_RETENTION_DAYS?: number;
}

/** What each variable should look like, for error messages. */
export const EXPECTED: Record<keyof Environment, string> = {
  NODE_ENV: 'one of development, production, test',
  PORT: 'a TCP port number (0 = any free port), e.g. 3000',
  HOST: 'an interface address to listen on, e.g. 0.0.0.0',
  DATABASE_URL: 'a PostgreSQL URL like postgresql://user:password@127.0.0.1:5432/switchboard',
  DATABASE_POOL_SIZE: 'a whole number of connections between 1 and 500, e.g. 10',
  REDIS_URL: 'a Redis URL like redis://127.0.0.1:6379',
  REDIS_PREFIX: 'letters, digits, _ - : { } (up to 64), e.g. sb or {sb} for Redis Cluster',
  PUBLIC_BASE_URL: 'the URL providers reach this API at, e.g. https://switchboard.example.com',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  LOG_REQUESTS: 'true or false',
  ENCRYPTION_KEYS:
    'comma-separated id:key pairs, key = 32 random bytes in base64 (first is used to encrypt), e.g. k1:<output of `openssl rand -base64 32`>',
  ADMIN_TOKEN:
    'a random string of at least 24 characters without whitespace, at least 10 different ones (e.g. `openssl rand -hex 24`)',
  PLUGINS:
    'comma-separated plugin package names or paths, e.g. @acme/switchboard-plugin-invoca,./plugins/custom',
  PLUGINS_SCAN: 'true or false',
  ALLOW_CUSTOM_API_BASE_URLS:
    "true or false (true: a connection's settings.apiBaseUrl may name any host, e.g. a simulator)",
  WEBHOOK_BODY_LIMIT_BYTES: 'a size in bytes between 1024 and 52428800, e.g. 262144',
  WEBHOOK_TOLERANCE_SECONDS: 'seconds between 1 and 86400, e.g. 300',
  WEBHOOK_RATE_LIMIT_PER_SECOND: 'requests per second per connection, 0 to disable, e.g. 1000',
  TRUSTED_PROXIES: 'comma-separated addresses or CIDR ranges, e.g. 10.0.0.0/8,127.0.0.1',
  WORKER_CONCURRENCY: 'a whole number between 1 and 1000, e.g. 50',
  WEBHOOK_MAX_ATTEMPTS: 'a whole number between 1 and 100, e.g. 8',
  WORKER_PORT: 'a TCP port number for the worker health and metrics endpoint, 0 to disable, e.g. 3001',
  WORKER_BATCH_SIZE: 'how many webhooks the worker stores per transaction, 1 to 1000, e.g. 100',
  WORKER_BATCH_WAIT_MS: 'milliseconds a partial batch waits for more jobs, 0 to 1000, e.g. 5',
  WORKER_LOCK_DURATION_MS:
    'milliseconds a job lock lasts before the job counts as stalled, 1000 to 600000, e.g. 30000',
  WORKER_STALLED_INTERVAL_MS: 'milliseconds between checks for stalled jobs, 500 to 600000, e.g. 30000',
  CALL_CACHE_LOCAL_ENTRIES:
    'how many hot calls each api process keeps in memory, 0 to 1000000 (0 = off), e.g. 10000',
  LIVE_STREAM_MAX_EVENTS:
    'how many recent call events the live stream keeps for reconnecting clients, e.g. 10000',
  SYNC_SCHEDULE_ENABLED: 'true or false (false: no scheduled syncs; backfills and checks still run)',
  SYNC_CONCURRENCY: 'how many connections one worker syncs at once, 1 to 100, e.g. 4',
  BACKFILL_CHUNK_SECONDS: 'seconds of call history per backfill chunk, 300 to 2678400, e.g. 86400',
  CONSISTENCY_CHECK_INTERVAL_SECONDS:
    'seconds between scheduled consistency checks of each live connection, 0 = none, e.g. 86400',
  CONSISTENCY_CHECK_WINDOW_SECONDS: 'seconds of history a scheduled consistency check covers, e.g. 86400',
  WEBHOOK_LOG_RETENTION_DAYS: 'days webhook logs are kept, 0 to 36500 (0 = forever), e.g. 90',
  CALL_EVENT_RETENTION_DAYS: 'days call events are kept, 0 to 36500 (0 = forever), e.g. 365',
  RAW_PAYLOAD_RETENTION_DAYS:
    'days raw webhook bodies are kept, 0 to 36500 (0 = as long as their log row), at most WEBHOOK_LOG_RETENTION_DAYS, e.g. 30',
};

/** Variables whose values must never be echoed, not even when invalid. */
export const SECRET_VARIABLES = new Set<string>([
  'ENCRYPTION_KEYS',
  'ADMIN_TOKEN',
  'DATABASE_URL',
  'REDIS_URL',
]);
