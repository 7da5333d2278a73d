import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { RedisClient, TrackedLocalCache } from '@switchboard/cache';
import { AppConfig } from '@switchboard/config';
import type { CallView } from '../calls/call-view.js';

/**
 * Writes a call only when it is newer than what the cache holds. Workers finish batches in any
 * order, so a plain SET could put an older copy over a newer one; the version (first key of the
 * JSON) decides, inside Redis, in one step.
 */
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local held = tonumber(string.match(current, '^{"version":(%d+),'))
  if held and held >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1`;

const TTL_SECONDS = 15 * 60;

type WithSetIfNewer = { sbCallSetIfNewer(key: string, json: string, version: number, ttl: number): unknown };

/**
 * The call cache (`<prefix>:cache:call:<id>`): filled by the worker after each commit and by the
 * API on a miss. Best effort like every cache here: when Redis is away reads miss and writes drop.
 * Reads go through a per-process tier of hot calls that Redis keeps true (TrackedLocalCache); only
 * processes that read (the api) open its connection.
 */
@Injectable()
export class CallCache implements OnApplicationShutdown {
  private readonly logger = new Logger('CallCache');
  private readonly local: TrackedLocalCache;

  constructor(
    private readonly client: RedisClient,
    config: AppConfig,
  ) {
    client.redis.defineCommand('sbCallSetIfNewer', { numberOfKeys: 1, lua: SET_IF_NEWER });
    this.local = new TrackedLocalCache(client.redis, this.key(''), config.callCacheLocalEntries);
  }

  onApplicationShutdown(): void {
    this.local.close();
  }

  key(id: string): string {
    return `${this.client.prefix}:cache:call:${id}`;
  }

  async get(id: string): Promise<CallView | undefined> {
    const json = await this.getJson(id);
    return json === undefined ? undefined : (JSON.parse(json) as CallView);
  }

  /** The cached call as its JSON text: what the API sends for it, neither parsed nor re-serialized. */
  async getJson(id: string): Promise<string | undefined> {
    if (this.client.redis.status !== 'ready') return undefined;
    try {
      return (await this.local.get(this.key(id))) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async putMany(calls: readonly CallView[]): Promise<void> {
    await this.putSerialized(
      calls.map((call) => ({ id: call.id, version: call.version, json: JSON.stringify(call) })),
    );
  }

  /** Drops cached calls (their connection was deleted), a few hundred keys per round trip. */
  async forget(ids: readonly string[]): Promise<void> {
    if (ids.length === 0 || this.client.redis.status !== 'ready') return;
    for (let i = 0; i < ids.length; i += 500) {
      await this.client.redis
        .unlink(...ids.slice(i, i + 500).map((id) => this.key(id)))
        .catch((error: unknown) => this.logger.warn(`cache delete skipped: ${(error as Error).message}`));
    }
  }

  /** Like putMany, for views already serialized (the worker reuses the JSON for the live stream). */
  async putSerialized(calls: ReadonlyArray<{ id: string; version: number; json: string }>): Promise<void> {
    if (calls.length === 0 || this.client.redis.status !== 'ready') return;
    const pipeline = this.client.redis.pipeline() as unknown as WithSetIfNewer & { exec(): Promise<unknown> };
    for (const call of calls)
      pipeline.sbCallSetIfNewer(this.key(call.id), call.json, call.version, TTL_SECONDS);
    await pipeline
      .exec()
      .catch((error: unknown) => this.logger.warn(`cache write skipped: ${(error as Error).message}`));
  }
}
