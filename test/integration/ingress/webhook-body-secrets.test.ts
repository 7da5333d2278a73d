import { IngressHarness, webhookUrl, type TestConnection } from './ingress-harness.js';

describe('webhook ingress: secrets in the body are never stored (real PostgreSQL and Redis)', () => {
  let h: IngressHarness;
  let retreaver: TestConnection;

  beforeAll(async () => {
    h = await IngressHarness.start();
    retreaver = await h.createConnection('retreaver');
  }, 30_000);

  afterAll(async () => {
    await h?.stop();
  }, 30_000);

  it('drops secret-bearing keys of a JSON body, at any depth, after verification', async () => {
    const res = await h.inject({
      url: webhookUrl('retreaver', retreaver.id, { token: retreaver.secret, event: 'completed' }),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        uuid: 'c-body-secret-1',
        caller: '+15550100',
        token: retreaver.secret,
        nested: { api_key: 'provider-api-key-123', keep: 'me' },
      }),
    });
    expect(res.statusCode).toBe(202);
    const row = await h.row((res.json() as { id: string }).id);
    const stored = row.raw_body!.toString('utf8');
    expect(stored).not.toContain(retreaver.secret);
    expect(stored).not.toContain('provider-api-key-123');
    expect(JSON.parse(stored)).toEqual({
      uuid: 'c-body-secret-1',
      caller: '+15550100',
      nested: { keep: 'me' },
    });
  });

  it('drops them from a form body too, and keeps a body without any untouched byte for byte', async () => {
    const form = await h.inject({
      url: webhookUrl('retreaver', retreaver.id, { token: retreaver.secret, event: 'completed' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `uuid=c-body-secret-2&Token=${retreaver.secret}&caller=%2B15550100`,
    });
    expect(form.statusCode).toBe(202);
    const formRow = await h.row((form.json() as { id: string }).id);
    expect(formRow.raw_body!.toString('utf8')).toBe('uuid=c-body-secret-2&caller=%2B15550100');

    const plain = '{ "uuid": "c-body-plain",  "caller": "+15550100" }';
    const untouched = await h.inject({
      url: webhookUrl('retreaver', retreaver.id, { token: retreaver.secret, event: 'completed' }),
      headers: { 'content-type': 'application/json' },
      payload: plain,
    });
    expect((await h.row((untouched.json() as { id: string }).id)).raw_body!.toString('utf8')).toBe(plain);
  });

  it('drops them from the audit row of a rejected request', async () => {
    const res = await h.inject({
      url: webhookUrl('retreaver', retreaver.id, { token: 'wrong-token', event: 'completed' }),
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ uuid: 'c-body-secret-3', secret: 'guessed-secret-value' }),
    });
    expect(res.statusCode).toBe(401);
    const rejected = await h.rows(`status = 'rejected' AND raw_body IS NOT NULL`);
    expect(rejected.length).toBe(1);
    expect(rejected[0].raw_body!.toString('utf8')).toContain('c-body-secret-3');
    expect(rejected[0].raw_body!.toString('utf8')).not.toContain('guessed-secret-value');
  });
});
