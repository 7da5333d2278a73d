import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConnectionService } from '@switchboard/connections';
import { createApiApp } from '../../../apps/api/src/api-app.js';
import { testConfig } from '../../support/app-config.js';
import { IngressHarness, webhookUrl } from '../ingress/ingress-harness.js';

/** Rotating ENCRYPTION_KEYS: a new first key, `keys-rewrap`, then the old key can go. */
describe('encryption key rotation with keys-rewrap (real PostgreSQL)', () => {
  let h: IngressHarness;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    h = await IngressHarness.start();
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    await h?.stop();
  }, 60_000);

  async function appWithKeys(keys: string): Promise<NestFastifyApplication> {
    const app = await createApiApp(
      testConfig({ DATABASE_URL: h.db.url, REDIS_PREFIX: h.prefix, ENCRYPTION_KEYS: keys }),
      h.discovery,
    );
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    apps.push(app);
    return app;
  }

  it('re-wraps every connection under the new key, reporting progress, so the old key can be removed', async () => {
    const oldKey = h.config.encryptionKeys[0];
    const created = [await h.createConnection('ringba'), await h.createConnection('retreaver')];
    const newKey = `k2:${randomBytes(32).toString('base64')}`;
    const both = await appWithKeys(`${newKey},${oldKey.id}:${oldKey.key.toString('base64')}`);

    const progress: Array<[number, number]> = [];
    const changed = await both
      .get(ConnectionService)
      .rewrapAll((done, total) => progress.push([done, total]));
    expect(changed).toBe(2);
    expect(progress).toEqual([
      [0, 2],
      [1, 2],
      [2, 2],
    ]);
    expect(await both.get(ConnectionService).rewrapAll()).toBe(0); // nothing left under the old key

    // The new key alone reads every connection: webhooks verify.
    const onlyNew = await appWithKeys(newKey);
    const [ringba] = created;
    const res = await onlyNew
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: webhookUrl('ringba', ringba.id, { token: ringba.secret, event: 'incoming', call_id: 'RGB-ROT' }),
      });
    expect(res.statusCode).toBe(202);
  });
});
