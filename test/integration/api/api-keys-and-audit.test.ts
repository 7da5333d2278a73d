import { jest } from '@jest/globals';
import { Command } from 'commander';
import pg from 'pg';
import { registerKeys } from '../../../apps/cli/src/commands/keys.command.js';
import { TEST_REDIS_URL } from '../../support/services.js';
import { ApiTestApp } from './api-test-app.js';

// Generous: these start the whole app on a machine other suites share.
jest.setTimeout(60_000);

/** API keys (routes and CLI) and the audit log of admin actions (issue 12, keys + audit). */
describe('API keys and audit log (real PostgreSQL and Redis)', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await ApiTestApp.start();
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  const createKey = async (body: Record<string, unknown>) => {
    const res = await api.send('POST', '/api-keys', body);
    expect(res.statusCode).toBe(201);
    return res.json() as { apiKey: { id: string; prefix: string; scopes: string[] }; key: string };
  };

  it('creates a key shown once, stores only its hash, and lists it without the key', async () => {
    const created = await createKey({ name: 'billing', scope: 'read', expiresIn: '90d' });
    expect(created.key).toMatch(/^sk_[0-9a-f]{8}_/);
    expect(created.apiKey).toMatchObject({ scopes: ['read'], revokedAt: null });
    const days =
      (Date.parse((created.apiKey as unknown as { expiresAt: string }).expiresAt) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);

    const sql = new pg.Client({ connectionString: api.db.url });
    await sql.connect();
    const { rows } = await sql.query('SELECT key_hash FROM api_keys WHERE id = $1', [created.apiKey.id]);
    await sql.end();
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].key_hash).not.toContain(created.key);

    const listed = await api.get('/api-keys');
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(created.key);
    expect(listed.json().items.map((k: { id: string }) => k.id)).toContain(created.apiKey.id);
  });

  it('answers 401 for missing or bad keys and 403 for the wrong scope, and records last use', async () => {
    const read = await createKey({ name: 'reader', scope: 'read' });
    const write = await createKey({ name: 'writer', scope: 'write' });
    const admin = await createKey({ name: 'admin', scope: 'admin' });
    expect((await api.get('/calls', {})).statusCode).toBe(401);
    expect((await api.get('/calls', bearer('sk_00000000_nope'))).statusCode).toBe(401);
    expect((await api.get('/calls', bearer('not a key'))).statusCode).toBe(401);
    expect((await api.get('/calls', bearer(read.key))).statusCode).toBe(200);
    expect((await api.get('/calls', { 'x-api-key': read.key })).statusCode).toBe(200);
    for (const key of [read.key, write.key]) {
      const res = await api.get('/api-keys', bearer(key));
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden' });
    }
    expect((await api.get('/calls', bearer(write.key))).statusCode).toBe(200);
    expect((await api.get('/api-keys', bearer(admin.key))).statusCode).toBe(200);
    const listed = (await api.get('/api-keys')).json().items as Array<{
      id: string;
      lastUsedAt: string | null;
    }>;
    expect(listed.find((k) => k.id === read.apiKey.id)?.lastUsedAt).toBeTruthy();
  });

  it('refuses bad key requests with a 400 naming the field', async () => {
    for (const [body, field] of [
      [{ name: 'x', scope: 'root' }, 'scope'],
      [{ scope: 'read' }, 'name'],
      [{ name: 'x', scope: 'read', expiresIn: 'forever' }, 'expiresIn'],
      [{ name: 'x', scope: 'read', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
    ] as const) {
      const res = await api.send('POST', '/api-keys', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toContain(field);
    }
  });

  it('revokes a key: 401 from then on; an expired key is refused too', async () => {
    const doomed = await createKey({ name: 'doomed', scope: 'read' });
    expect((await api.get('/calls', bearer(doomed.key))).statusCode).toBe(200);
    expect((await api.send('DELETE', `/api-keys/${doomed.apiKey.id}`)).statusCode).toBe(204);
    expect((await api.get('/calls', bearer(doomed.key))).statusCode).toBe(401);
    expect((await api.send('DELETE', '/api-keys/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);

    const shortLived = await createKey({
      name: 'short',
      scope: 'read',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    await new Promise((r) => setTimeout(r, 2000));
    // The 5 s lookup cache never outlives the key's own expiry: it is checked on every request.
    expect((await api.get('/calls', bearer(shortLived.key))).statusCode).toBe(401);
  });

  it('creates, lists and revokes keys from the CLI, with audit records', async () => {
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out.push(String(chunk));
      return true;
    });
    const saved = { ...process.env };
    Object.assign(process.env, {
      DATABASE_URL: api.db.url,
      REDIS_URL: TEST_REDIS_URL,
      ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      LOG_LEVEL: 'silent',
      ADMIN_TOKEN: api.adminToken,
    });
    const cli = () => {
      const program = new Command().exitOverride();
      registerKeys(program);
      return program;
    };
    try {
      await cli().parseAsync([
        'node',
        'switchboard',
        'keys',
        'create',
        '--scope',
        'write',
        '--expires',
        '30d',
        '--name',
        'cli key',
        '--json',
      ]);
      const created = JSON.parse(out.join('')) as { apiKey: { id: string; prefix: string }; key: string };
      expect(created.key).toMatch(/^sk_/);
      expect((await api.get('/calls', bearer(created.key))).statusCode).toBe(200);
      out.length = 0;
      await cli().parseAsync(['node', 'switchboard', 'keys', 'list', '--json']);
      const listed = JSON.parse(out.join('')) as Array<{ id: string; scopes: string }>;
      expect(listed.find((k) => k.id === created.apiKey.id)).toMatchObject({ scopes: 'write' });
      expect(out.join('')).not.toContain(created.key);
      out.length = 0;
      await cli().parseAsync(['node', 'switchboard', 'keys', 'revoke', created.apiKey.prefix]);
      expect(out.join('')).toContain('revoked');
      await expect(
        cli().parseAsync(['node', 'switchboard', 'keys', 'create', '--scope', 'root']),
      ).rejects.toThrow(/--scope must be one of/);
      await expect(
        cli().parseAsync(['node', 'switchboard', 'keys', 'create', '--scope', 'read', '--expires', 'soon']),
      ).rejects.toThrow(/--expires/);
    } finally {
      write.mockRestore();
      process.env = saved;
    }
    const audit = (await api.get(`/audit-log?targetType=api_key&limit=200`)).json().items as Array<{
      action: string;
      actor: { kind: string };
    }>;
    expect(
      audit
        .filter((a) => a.actor.kind === 'cli')
        .map((a) => a.action)
        .sort(),
    ).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('leaves an audit record for every admin action, listable by admins with keyset paging', async () => {
    const created = await api.send('POST', '/connections', {
      provider: 'ringba',
      name: 'audited',
      credentials: { accountId: 'RA0123456', apiToken: 'ringba-api-token-1234' },
      validate: false,
    });
    const id = created.json().connection.id as string;
    await api.send('PATCH', `/connections/${id}`, {
      name: 'audited 2',
      credentials: { accountId: 'RA0123456', apiToken: 'another-token-5678' },
    });
    await api.send('POST', `/connections/${id}/webhook-secret/rotate`, {});
    await api.send('POST', `/connections/${id}/webhook-secret/revoke-previous`, {});
    await api.send('POST', '/webhook-logs/replay', { connection: id });
    expect((await api.send('DELETE', `/connections/${id}`)).statusCode).toBe(204);

    const res = await api.get(`/audit-log?targetId=${id}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{
      action: string;
      actor: { kind: string };
      requestId: string;
      details: unknown;
    }>;
    expect(items.map((i) => i.action)).toEqual([
      'connection.deleted',
      'webhook_secret.previous_revoked',
      'webhook_secret.rotated',
      'connection.updated',
      'connection.created',
    ]);
    for (const item of items) {
      expect(item.actor.kind).toBe('admin-token');
      expect(item.requestId).toBeTruthy();
    }
    expect(JSON.stringify(items)).not.toContain('another-token-5678');
    expect(items[3]?.details).toMatchObject({ fields: ['name', 'credentials'] });
    const replays = (await api.get('/audit-log?action=webhook_log.replayed')).json().items;
    expect(replays.length).toBeGreaterThanOrEqual(1);

    // Keyset paging visits every record once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await api.get(`/audit-log?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((i: { id: string }) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(8);

    const reader = await createKey({ name: 'reader', scope: 'read' });
    expect((await api.get('/audit-log', bearer(reader.key))).statusCode).toBe(403);
    expect((await api.get('/audit-log?from=2024-W01-1')).statusCode).toBe(400);
  });
});
