import fc from 'fast-check';
import { createConnection } from '../support/load.js';
import { leakedSecrets, machine, recordFigures, type ScenarioFigures } from '../support/checks.js';
import type { Platform } from '../support/platform.js';
import { waitUntil } from '../support/services.js';

/**
 * Fuzzed webhooks (fast-check) against the running API and worker: any body, content type, query
 * and token. Whatever arrives gets a 2xx or a 4xx with the API's error body, never a 5xx; every
 * 202 is a stored row that ends processed or failed (never stuck); no secret is echoed.
 */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), tie('value'), { maxKeys: 5 }),
  ),
})).value;

const body = fc.oneof(
  json.map((v) => ({ contentType: 'application/json', payload: Buffer.from(JSON.stringify(v) ?? 'null') })),
  fc
    .dictionary(
      fc.constantFrom('uuid', 'call_uuid', 'caller', 'revenue', 'status', 'started_at'),
      fc.string({ unit: 'binary' }),
    )
    .map((v) => ({ contentType: 'application/json', payload: Buffer.from(JSON.stringify(v)) })),
  fc.integer({ min: 1, max: 40_000 }).map((depth) => ({
    contentType: 'application/json',
    payload: Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`),
  })),
  fc.uint8Array({ maxLength: 2_000 }).map((bytes) => ({
    contentType: 'application/octet-stream',
    payload: Buffer.from(bytes),
  })),
  fc
    .tuple(
      fc.constantFrom(
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain',
        'text/xml',
        'multipart/form-data',
        '',
      ),
      fc.string({ unit: 'binary', maxLength: 500 }),
    )
    .map(([contentType, text]) => ({ contentType, payload: Buffer.from(text) })),
);

const request = fc.record({
  body,
  method: fc.constantFrom('POST', 'POST', 'POST', 'GET', 'PUT'),
  token: fc.constantFrom('valid', 'valid', 'valid', 'wrong', 'none'),
  event: fc.oneof(
    fc.constantFrom('completed', 'incoming', 'answered'),
    fc.string({ unit: 'binary', maxLength: 40 }),
  ),
  extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), {
    maxKeys: 3,
  }),
});

/** Sends `runs` generated requests; see the file comment for what must hold. */
export async function fuzzedWebhooks(p: Platform, runs: number): Promise<ScenarioFigures> {
  const connection = await createConnection(p, 'retreaver');
  const token = new URL(connection.templates[0].url).searchParams.get('token') ?? '';
  const answers: Array<{ status: number; id?: string; body: string }> = [];
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const url = new URL(`${p.apiBase}/webhooks/retreaver/${connection.id}`);
      if (r.token === 'valid') url.searchParams.set('token', token);
      if (r.token === 'wrong') url.searchParams.set('token', `${token.slice(0, -4)}XXXX`);
      url.searchParams.set('event', r.event);
      for (const [k, v] of Object.entries(r.extra)) if (k !== 'token') url.searchParams.append(k, v);
      const res = await fetch(url, {
        method: r.method,
        headers: r.body.contentType ? { 'content-type': r.body.contentType } : {},
        body: r.method === 'GET' ? undefined : r.body.payload,
      });
      const text = await res.text();
      let id: string | undefined;
      try {
        id = (JSON.parse(text) as { id?: string }).id;
      } catch {
        id = undefined;
      }
      answers.push({ status: res.status, id, body: text });
      expect(res.status).toBeLessThan(500);
      if (res.status >= 400)
        expect(JSON.parse(text)).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    }),
    { numRuns: runs },
  );
  const acked = [...new Set(answers.filter((a) => a.status === 202 && a.id).map((a) => a.id as string))];
  const stored = await p.count('SELECT count(*) FROM webhook_logs WHERE id = ANY($1::uuid[])', [acked]);
  const settled = () =>
    p.count(
      `SELECT count(*) FROM webhook_logs WHERE id = ANY($1::uuid[]) AND status IN ('processed', 'failed', 'ignored')`,
      [acked],
    );
  const started = Date.now();
  await waitUntil(
    async () => (await settled()) === acked.length,
    60_000,
    'every accepted fuzzed webhook settled',
  ).catch(() => undefined);
  const { rows: byStatus } = await p.sql.query<{ status: string; n: string }>(
    'SELECT status, count(*) AS n FROM webhook_logs WHERE id = ANY($1::uuid[]) GROUP BY status ORDER BY status',
    [acked],
  );
  const statusCounts = Object.fromEntries(
    answers
      .map((a) => a.status)
      .sort()
      .map((s) => [s, answers.filter((a) => a.status === s).length]),
  );
  const leaks = leakedSecrets(p.logs() + answers.map((a) => a.body).join('\n'), p.secrets);
  const figures: ScenarioFigures = {
    scenario: 'fuzzed webhooks (fast-check)',
    date: new Date().toISOString(),
    machine: machine(),
    load: `${runs} generated requests (JSON of any shape and depth up to 40,000, NUL and lone surrogates, raw bytes, form, text, wrong/missing tokens, odd methods and events)`,
    faults: 'malformed input only',
    acknowledged: acked.length,
    stored,
    processed: await settled(),
    duplicateAnswers: answers.filter((a) => a.status === 200).length,
    duplicateCalls: 0,
    duplicateEvents: await p.count(
      'SELECT count(*) - count(DISTINCT webhook_log_id) FROM call_events WHERE connection_id = $1 AND webhook_log_id IS NOT NULL',
      [connection.id],
    ),
    leaks,
    recoverySeconds: Math.round((Date.now() - started) / 100) / 10,
    notes: `answers by status ${JSON.stringify(statusCounts)}; accepted rows ended ${JSON.stringify(Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])))}`,
  };
  recordFigures(figures);
  expect(stored).toBe(acked.length);
  expect(await settled()).toBe(acked.length);
  expect(leaks).toEqual([]);
  return figures;
}
