import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RenderedWebhook } from '../../../bench/src/pipeline/webhook-fixtures.js';
import { ADMIN_TOKEN, PipelineHarness, type TestConnection } from './pipeline-harness.js';

/**
 * A value present in a payload but unusable is never dropped silently: the call is stored with what
 * is valid, and the warning is kept on the call event, on the webhook log (returned by the API) and
 * counted in switchboard_mapping_warnings_total.
 */
describe('mapping warnings (worker + API, PostgreSQL, Redis)', () => {
  let h: PipelineHarness;
  let api: NestFastifyApplication;
  let ringba: TestConnection;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    api = await h.startApi();
    ringba = await h.createConnection('ringba');
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  }, 60_000);

  const pixel = (query: Record<string, string>): RenderedWebhook => ({
    provider: 'ringba',
    trigger: 'finalized',
    method: 'GET',
    query,
    headers: {},
    contentType: null,
    rawBody: Buffer.alloc(0),
    receivedAt: new Date('2026-11-25T10:00:00.000Z'),
  });

  it('stores the valid fields and keeps each warning on the event, the log, the API and the metric', async () => {
    const [id] = await h.accept(ringba, [
      pixel({
        event: 'finalized',
        call_id: 'RGBWARN0001',
        caller: '12135550142',
        revenue: '45,50',
        payout: '2.50',
        duration: '-3',
        recording_url: 'javascript:alert(1)',
      }),
    ]);
    await h.drained();

    const log = await h.log(id);
    expect(log.status).toBe('processed');
    const [call] = (await h.calls(ringba.id)).filter((c) => c.external_id === 'RGBWARN0001');
    expect(call).toMatchObject({ caller_number: '+12135550142', payout: '2.5000', revenue: null });
    expect(call.duration_seconds).toBeNull();
    expect(call.recording_url).toBeNull();

    const fields = ['durationSeconds', 'recordingUrl', 'revenue'];
    expect((log.mapping_warnings ?? []).map((w) => w.field).sort()).toEqual(fields);
    const { rows } = await h.sql.query<{ data: { mapping_warnings?: Array<{ field: string }> } }>(
      'SELECT data FROM call_events WHERE webhook_log_id = $1',
      [id],
    );
    expect((rows[0].data.mapping_warnings ?? []).map((w) => w.field).sort()).toEqual(fields);

    const res = await api
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: `/webhook-logs/${id}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
    expect(res.statusCode).toBe(200);
    const view = res.json<{ mappingWarnings: Array<Record<string, string>> }>();
    expect(view.mappingWarnings).toContainEqual({
      field: 'revenue',
      reason: expect.stringMatching(/comma/),
      value: '45,50',
    });

    // The call's timeline shows them too, in the event's data.
    const timeline = await api
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'GET',
        url: `/calls/${call.id}/events`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
    expect(timeline.statusCode).toBe(200);
    const items = timeline.json<{ items: Array<{ data: { mapping_warnings?: Array<{ field: string }> } }> }>()
      .items;
    expect(items.flatMap((e) => e.data.mapping_warnings ?? []).map((w) => w.field)).toContain('revenue');

    const metrics = await h.app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/switchboard_mapping_warnings_total\{provider="ringba",field="revenue"\} 1/);
  });

  it('stores no warnings when everything mapped', async () => {
    const [id] = await h.accept(ringba, [
      pixel({ event: 'finalized', call_id: 'RGBCLEAN01', revenue: '45.50' }),
    ]);
    await h.drained();
    const log = await h.log(id);
    expect(log.status).toBe('processed');
    expect(log.mapping_warnings).toBeNull();
  });
});
