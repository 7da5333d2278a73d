import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { discoverPlugins, type DiscoveryResult } from '@switchboard/core';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApiApp } from '../../../apps/api/src/api-app.js';
import { testConfig } from '../../support/app-config.js';
import { createTestDatabase, type TestDatabase } from '../../support/database.js';
import { uniqueRedisPrefix } from '../../support/redis.js';

export const ROOT = new URL('../../..', import.meta.url).pathname;

/** Every JSON line the API's loggers wrote, for tests that read the logs. */
export class LogCapture extends Writable {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly raw: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      this.raw.push(line);
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not JSON: kept in raw only
      }
    }
    done();
  }
}

/**
 * One API app on a fresh database and Redis prefix, for the tests under test/integration/api.
 * `adminToken` defaults to a random one (the API is then closed to anonymous callers).
 */
export class ApiTestApp {
  db!: TestDatabase;
  app!: NestFastifyApplication;
  discovery!: DiscoveryResult;
  readonly logs = new LogCapture();
  readonly adminToken = randomBytes(24).toString('hex');

  static async start(env: Record<string, string | undefined> = {}, db?: TestDatabase): Promise<ApiTestApp> {
    const t = new ApiTestApp();
    t.db = db ?? (await createTestDatabase());
    t.discovery = await discoverPlugins({ rootDir: ROOT });
    t.app = await createApiApp(
      testConfig({
        DATABASE_URL: t.db.url,
        REDIS_PREFIX: uniqueRedisPrefix('api'),
        ADMIN_TOKEN: t.adminToken,
        ...env,
      }),
      t.discovery,
      { logDestination: t.logs },
    );
    await t.app.init();
    await t.app.getHttpAdapter().getInstance().ready();
    return t;
  }

  get admin(): Record<string, string> {
    return { authorization: `Bearer ${this.adminToken}` };
  }

  inject(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.app.getHttpAdapter().getInstance().inject(options);
  }

  get(url: string, headers: Record<string, string> = this.admin): Promise<LightMyRequestResponse> {
    return this.inject({ method: 'GET', url, headers });
  }

  send(
    method: 'POST' | 'PATCH' | 'DELETE' | 'PUT',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = this.admin,
  ): Promise<LightMyRequestResponse> {
    return this.inject({
      method,
      url,
      headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
      payload:
        payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  }

  async stop(options: { keepDatabase?: boolean } = {}): Promise<void> {
    await this.app?.close();
    if (!options.keepDatabase) await this.db?.drop();
  }
}
