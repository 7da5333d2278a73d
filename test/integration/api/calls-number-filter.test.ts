import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CallEventStore, toCallEventRow } from '@switchboard/pipeline';
import { ADMIN_TOKEN, PipelineHarness, type TestConnection } from '../pipeline/pipeline-harness.js';

describe('GET /calls?number= (real PostgreSQL)', () => {
  let h: PipelineHarness;
  let api: NestFastifyApplication;
  let connection: TestConnection;

  beforeAll(async () => {
    h = await PipelineHarness.start();
    api = await h.startApi();
    connection = await h.createConnection('ringba');
    const call = (externalId: string, numbers: Record<string, string>) =>
      toCallEventRow({
        connectionId: connection.id,
        provider: 'ringba',
        source: 'sync',
        event: {
          type: 'call.updated',
          occurredAt: new Date(),
          call: { externalId, startedAt: new Date(), providerData: {}, ...numbers },
        },
      });
    await h.app
      .get(CallEventStore)
      .store([
        call('as-caller', { callerNumber: '+12025550143', trackingNumber: '+18005550100' }),
        call('as-destination', { callerNumber: '+13105550111', destinationNumber: '+12025550143' }),
        call('other', { callerNumber: '+13105550111', trackingNumber: '+18005550100' }),
      ]);
  });

  afterAll(async () => {
    await h?.stop();
  });

  const get = async (url: string) => {
    const res = await api
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    return { status: res.statusCode, body: res.json() };
  };

  it('finds the calls a number took part in, in any common format', async () => {
    for (const number of ['+12025550143', '(202) 555-0143', '202.555.0143']) {
      const { status, body } = await get(`/calls?number=${encodeURIComponent(number)}`);
      expect(status).toBe(200);
      expect(body.items.map((c: { externalId: string }) => c.externalId).sort()).toEqual([
        'as-caller',
        'as-destination',
      ]);
    }
    const tracking = await get(
      `/calls?number=${encodeURIComponent('+18005550100')}&connection=${connection.id}`,
    );
    expect(tracking.body.items.map((c: { externalId: string }) => c.externalId).sort()).toEqual([
      'as-caller',
      'other',
    ]);
  });

  it('refuses what is not a phone number, naming the field', async () => {
    for (const number of ['abc', '12', '+44 (0) 12']) {
      const { status, body } = await get(`/calls?number=${encodeURIComponent(number)}`);
      expect(status).toBe(400);
      expect(JSON.stringify(body)).toContain('number');
    }
  });
});
