import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../../apps/api/src/api-app.js';
import { testConfig } from '../../support/app-config.js';
import { IngressHarness, webhookUrl, type TestConnection } from './ingress-harness.js';

/** Every line a Nest app logs, as "level context message". */
class CapturedLogs implements LoggerService {
  readonly lines: string[] = [];
  private add(level: string, message: unknown, context?: unknown) {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    this.lines.push(`${level} ${String(context ?? '')} ${text}`);
  }
  log(m: unknown, c?: unknown) {
    this.add('log', m, c);
  }
  error(m: unknown, ...rest: unknown[]) {
    this.add('error', m, rest[rest.length - 1]);
  }
  warn(m: unknown, c?: unknown) {
    this.add('warn', m, c);
  }
  debug() {}
  verbose() {}
}

/**
 * A connection written under one ENCRYPTION_KEYS, read by an api process that has other keys
 * (a key removed too early, a database restored elsewhere, `.data` cleaned on a dev machine).
 */
describe('webhooks for a connection whose secrets cannot be decrypted (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;
  let c: TestConnection;
  let other: NestFastifyApplication;
  const logs = new CapturedLogs();

  beforeAll(async () => {
    h = await IngressHarness.start();
    c = await h.createConnection('ringba');
    // Same database, a different key.
    other = await createApiApp(testConfig({ DATABASE_URL: h.db.url, REDIS_PREFIX: h.prefix }), h.discovery);
    other.useLogger(logs);
    await other.init();
    await other.getHttpAdapter().getInstance().ready();
  }, 60_000);

  afterAll(async () => {
    await other?.close();
    await h?.stop();
  }, 60_000);

  const send = (callId: string) =>
    other
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: webhookUrl('ringba', c.id, { token: c.secret, event: 'completed', call_id: callId }),
      });

  it('answers 503 (so the provider retries), audits each webhook, and says what is wrong once', async () => {
    const answers = [await send('RGB-1'), await send('RGB-2'), await send('RGB-3')];
    for (const res of answers) {
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toMatchObject({ statusCode: 503, error: 'connection_unavailable' });
      expect(res.body).not.toContain('decrypt'); // the sender learns nothing about our keys
    }
    const rows = await h.rows(`connection_id = $1 AND http_status = 503`, [c.id]);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'rejected', verification: 'skipped', dedup_key: null });
      expect(row.error).toMatch(
        /stored secrets cannot be decrypted: .*; answered 503 so the provider retries/,
      );
      expect(JSON.stringify(row)).not.toContain(c.secret);
    }
    const said = logs.lines.filter((l) => l.includes(c.id));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^error ConnectionSecrets connection .* \(ringba\): its stored secrets cannot be decrypted/,
    );
    expect(said[0]).toMatch(/ENCRYPTION_KEYS/);
    expect(logs.lines.join('\n')).not.toContain(c.secret);
    expect(logs.lines.filter((l) => l.includes('connection lookup failed'))).toEqual([]);
  });

  it('shows the connection in readiness details and a metric', async () => {
    const ready = await other.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/health/ready' });
    const body = ready.json() as {
      details?: Record<string, Record<string, unknown>>;
      info?: Record<string, Record<string, unknown>>;
    };
    const connections = (body.details ?? body.info)?.connections;
    expect(connections).toMatchObject({
      status: 'degraded',
      unreadable: 1,
      connections: [{ id: c.id, provider: 'ringba', reason: expect.stringMatching(/cannot be decrypted/) }],
    });
    const metrics = await other.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^switchboard_connection_secrets_unreadable 1$/m);
    // the process with the right key is unaffected
    const fine = await h.inject({
      method: 'GET',
      url: webhookUrl('ringba', c.id, { token: c.secret, event: 'completed', call_id: 'RGB-4' }),
    });
    expect(fine.statusCode).toBe(202);
  });
});
