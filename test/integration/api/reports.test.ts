import { jest } from '@jest/globals';
import pg from 'pg';
import { ApiTestApp } from './api-test-app.js';

// Generous: these start the whole app on a machine other suites share.
jest.setTimeout(60_000);

/** GET /reports/calls over calls stored in PostgreSQL: exact decimals, zone-aware buckets. */
describe('call reports (real PostgreSQL)', () => {
  let api: ApiTestApp;
  let ringbaId: string;
  let trackdriveId: string;

  beforeAll(async () => {
    api = await ApiTestApp.start();
    const create = async (provider: string, credentials: unknown) =>
      (
        await api.send('POST', '/connections', {
          provider,
          name: `${provider} main`,
          credentials,
          validate: false,
        })
      ).json().connection.id as string;
    ringbaId = await create('ringba', { accountId: 'RA0123456', apiToken: 'ringba-api-token-1234' });
    trackdriveId = await create('trackdrive', {
      subdomain: 'acme',
      publicKey: 'tdpub_5f1c0a7e9b3d4c2a8e6f0b1d3c5a7e9f',
      privateKey: 'tdprv_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
    });
    const sql = new pg.Client({ connectionString: api.db.url });
    await sql.connect();
    const call = (
      connectionId: string,
      provider: string,
      externalId: string,
      startedAt: string,
      fields: {
        answered?: boolean;
        converted?: boolean;
        revenue?: string;
        payout?: string;
        duration?: number;
        campaign?: string;
        publisher?: string;
      },
    ) =>
      sql.query(
        `INSERT INTO calls (connection_id, provider, external_id, status, started_at, answered_at, converted, revenue, payout,
                            duration_seconds, campaign_external_id, campaign_name, tags, last_event_at)
         VALUES ($1, $2, $3, $4::call_status, $5, $6, $7, $8, $9, $10, $11, $12, $13, now())`,
        [
          connectionId,
          provider,
          externalId,
          fields.answered ? 'completed' : 'missed',
          startedAt,
          fields.answered ? startedAt : null,
          fields.converted ?? null,
          fields.revenue ?? null,
          fields.payout ?? null,
          fields.duration ?? null,
          fields.campaign ?? null,
          fields.campaign ? `Campaign ${fields.campaign}` : null,
          JSON.stringify(
            fields.publisher
              ? { publisherId: fields.publisher, publisherName: `Pub ${fields.publisher}` }
              : {},
          ),
        ],
      );
    // New York: 2026-11-01 22:30 (EST, after the DST change that morning)
    await call(ringbaId, 'ringba', 'r1', '2026-11-02T03:30:00Z', {
      answered: true,
      converted: true,
      revenue: '10.1234',
      payout: '4.0000',
      duration: 60,
      campaign: 'CA1',
      publisher: 'P1',
    });
    await call(ringbaId, 'ringba', 'r2', '2026-11-02T12:00:00Z', {
      answered: true,
      converted: false,
      revenue: '0.0001',
      payout: '0',
      duration: 30,
      campaign: 'CA1',
      publisher: 'P2',
    });
    await call(ringbaId, 'ringba', 'r3', '2026-11-03T01:00:00Z', { campaign: 'CA2' });
    await call(trackdriveId, 'trackdrive', 't1', '2026-11-02T23:59:59Z', {
      answered: true,
      converted: true,
      revenue: '99999999.9999',
      payout: '0.3333',
      duration: 120,
      publisher: 'P1',
    });
    await call(trackdriveId, 'trackdrive', 't2', '2026-12-05T10:00:00Z', {
      answered: true,
      revenue: '5',
      duration: 10,
    });
    await sql.end();
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
  });

  const report = async (query: string) => {
    const res = await api.get(`/reports/calls?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json() as { items: Array<Record<string, unknown>>; from: string; to: string };
  };

  it('groups by provider with exact money, rates, durations and margin', async () => {
    const { items } = await report('from=2026-11-01&to=2026-12-01&groupBy=provider');
    expect(items).toEqual([
      {
        key: 'ringba',
        label: 'ringba',
        provider: 'ringba',
        connectionId: null,
        calls: 3,
        answered: 2,
        converted: 1,
        answerRate: '0.6667',
        conversionRate: '0.3333',
        durationSeconds: 90,
        avgDurationSeconds: '45.00',
        revenue: '10.1235',
        payout: '4.0000',
        cost: '0.0000',
        margin: '6.1235',
      },
      {
        key: 'trackdrive',
        label: 'trackdrive',
        provider: 'trackdrive',
        connectionId: null,
        calls: 1,
        answered: 1,
        converted: 1,
        answerRate: '1.0000',
        conversionRate: '1.0000',
        durationSeconds: 120,
        avgDurationSeconds: '120.00',
        revenue: '99999999.9999',
        payout: '0.3333',
        cost: '0.0000',
        margin: '99999999.6666',
      },
    ]);
  });

  it('buckets days in the requested time zone, and reads plain-date windows as local midnight', async () => {
    const ny = await report('from=2026-11-01&to=2026-11-04&groupBy=day&tz=America/New_York');
    expect(ny.from).toBe('2026-11-01T04:00:00.000Z'); // EDT until 2 am that day
    expect(ny.items.map((i) => [i.key, i.calls])).toEqual([
      ['2026-11-01', 1],
      ['2026-11-02', 3],
    ]);
    const utc = await report('from=2026-11-01&to=2026-11-04&groupBy=day');
    expect(utc.items.map((i) => [i.key, i.calls])).toEqual([
      ['2026-11-02', 3],
      ['2026-11-03', 1],
    ]);
    const nyFromSecond = await report('from=2026-11-02&to=2026-11-04&groupBy=day&tz=America/New_York');
    expect(nyFromSecond.items.map((i) => i.calls)).toEqual([3]);
    const hours = await report(
      'from=2026-11-02T00:00:00Z&to=2026-11-03T00:00:00Z&groupBy=hour&tz=Asia/Kolkata',
    );
    expect(hours.items.map((i) => i.key)).toEqual([
      '2026-11-02T09:00',
      '2026-11-02T17:00',
      '2026-11-03T05:00',
    ]);
  });

  it('groups by connection, campaign and publisher', async () => {
    const byConnection = await report('from=2026-11-01&to=2026-12-01&groupBy=connection');
    expect(byConnection.items.map((i) => [i.connectionId, i.label, i.calls])).toEqual([
      [ringbaId, 'ringba main', 3],
      [trackdriveId, 'trackdrive main', 1],
    ]);
    const byCampaign = await report('from=2026-11-01&to=2026-12-01&groupBy=campaign&provider=ringba');
    expect(byCampaign.items.map((i) => [i.key, i.label, i.calls, i.revenue])).toEqual([
      ['CA1', 'Campaign CA1', 2, '10.1235'],
      ['CA2', 'Campaign CA2', 1, '0.0000'],
    ]);
    const byPublisher = await report('from=2026-11-01&to=2026-12-01&groupBy=publisher');
    expect(byPublisher.items.map((i) => [i.key, i.calls, i.revenue])).toEqual([
      ['P1', 2, '100000010.1233'],
      ['P2', 1, '0.0001'],
      [null, 1, '0.0000'],
    ]);
    const oneConnection = await report(`from=2026-11-01&to=2027-01-01&connection=${trackdriveId}`);
    expect(oneConnection.items.map((i) => i.calls)).toEqual([2]);
  });

  it('refuses bad report parameters with a 400 naming the field', async () => {
    for (const [query, field] of [
      ['to=2026-12-01', 'from'],
      ['from=2026-11-01', 'to'],
      ['from=2026-11-01&to=2026-10-01', 'to'],
      ['from=2026-11-01&to=2026-12-01&groupBy=planet', 'groupBy'],
      ['from=2026-11-01&to=2026-12-01&tz=Mars/Olympus', 'tz'],
      ['from=2026-11-01&to=2026-12-01&tz=%00', 'tz'],
      ['from=2020-01-01&to=2026-12-01', 'to'],
      ['from=2026-W01-1&to=2026-12-01', 'from'],
    ]) {
      const res = await api.get(`/reports/calls?${query}`);
      expect([query, res.statusCode]).toEqual([query, 400]);
      expect(res.json().message).toContain(field);
    }
  });
});
