import type { CallPage, NormalizedCall } from '../contract/normalized-call.js';
import { NO_CAMPAIGN, aggregateCallReport, isConnectedCall, reportFromHistory } from './call-report.js';

const from = new Date('2026-11-01T00:00:00Z');
const to = new Date('2026-11-02T00:00:00Z');
const call = (externalId: string, fields: Partial<NormalizedCall> = {}): NormalizedCall => ({
  externalId,
  providerData: {},
  ...fields,
});

describe('aggregateCallReport', () => {
  const calls = [
    call('a', {
      campaignExternalId: 'c2',
      campaignName: 'Two',
      status: 'completed',
      revenue: '10.5000',
      payout: '1.0000',
      converted: true,
    }),
    call('b', { campaignExternalId: 'c1', status: 'missed', revenue: '0.1000' }),
    call('c', { status: 'completed', revenue: '0.2000', payout: '0.0100' }),
    call('d', { answeredAt: new Date(), converted: true }),
    call('e', { campaignExternalId: 'c2', connectedDurationSeconds: 3, payout: '0.0001' }),
  ];

  it('counts and sums every call exactly', () => {
    const report = aggregateCallReport(from, to, calls);
    expect(report).toMatchObject({
      from,
      to,
      totalCalls: 5,
      connectedCalls: 4,
      convertedCalls: 2,
      revenue: '10.8000',
      payout: '1.0101',
    });
  });

  it('groups calls without a campaign under NO_CAMPAIGN (never drops them), rows ordered by id', () => {
    const rows = aggregateCallReport(from, to, calls).byCampaign ?? [];
    expect(NO_CAMPAIGN).toBe('');
    expect(rows).toEqual([
      { campaignExternalId: NO_CAMPAIGN, calls: 2, converted: 1, revenue: '0.2000', payout: '0.0100' },
      { campaignExternalId: 'c1', calls: 1, converted: 0, revenue: '0.1000', payout: '0.0000' },
      {
        campaignExternalId: 'c2',
        campaignName: 'Two',
        calls: 2,
        converted: 1,
        revenue: '10.5000',
        payout: '1.0001',
      },
    ]);
    expect(rows.reduce((n, r) => n + r.calls, 0)).toBe(5);
  });

  it('is an empty report for no calls', () => {
    expect(aggregateCallReport(from, to, [])).toEqual({
      from,
      to,
      totalCalls: 0,
      connectedCalls: 0,
      convertedCalls: 0,
      revenue: '0.0000',
      payout: '0.0000',
      byCampaign: [],
    });
  });
});

describe('isConnectedCall', () => {
  it('is true for an answered, talking, completed or live call and false otherwise', () => {
    expect(isConnectedCall(call('x', { answeredAt: new Date() }))).toBe(true);
    expect(isConnectedCall(call('x', { connectedDurationSeconds: 1 }))).toBe(true);
    expect(isConnectedCall(call('x', { status: 'in_progress' }))).toBe(true);
    expect(isConnectedCall(call('x', { status: 'completed' }))).toBe(true);
    expect(isConnectedCall(call('x', { status: 'missed', connectedDurationSeconds: 0 }))).toBe(false);
    expect(isConnectedCall(call('x', { status: 'ringing' }))).toBe(false);
  });
});

describe('reportFromHistory', () => {
  it('pages getCalls to the end with the window and page size, and aggregates', async () => {
    const pages: CallPage[] = [
      { calls: [call('a', { revenue: '1.0000' })], nextCursor: 'p2' },
      { calls: [call('b', { revenue: '2.0000', campaignExternalId: 'c' })] },
    ];
    const asked: Array<[unknown, string | undefined]> = [];
    const report = await reportFromHistory(
      {
        getCalls: async (filters, cursor) => {
          asked.push([filters, cursor]);
          return pages[asked.length - 1];
        },
      },
      from,
      to,
      { pageSize: 500 },
    );
    expect(asked).toEqual([
      [{ from, to, pageSize: 500, campaignExternalId: undefined }, undefined],
      [{ from, to, pageSize: 500, campaignExternalId: undefined }, 'p2'],
    ]);
    expect(report.totalCalls).toBe(2);
    expect(report.revenue).toBe('3.0000');
    expect(report.providerData).toEqual({ source: 'history', pages: 2 });
  });
});
