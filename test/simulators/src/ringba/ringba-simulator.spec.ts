import { createRingbaSimulator, type RingbaSimulator } from './index.js';

const END = new Date(Date.UTC(2026, 10, 20, 12, 0, 0));
const ORDER = [
  { column: 'callDt', direction: 'asc' },
  { column: 'inboundCallId', direction: 'asc' },
];

async function callLogs(sim: RingbaSimulator, body: Record<string, unknown>) {
  const response = await fetch(`${sim.baseUrl}/${sim.credentials.accountId}/calllogs`, {
    method: 'POST',
    headers: { authorization: `Token ${sim.credentials.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as {
    report: { records: Array<{ inboundCallId: string; callDt: number }>; totalCount: number };
  };
}

describe('Ringba simulator call logs', () => {
  let sim: RingbaSimulator;
  const window = {
    reportStart: new Date(END.getTime() - 3 * 86_400_000).toISOString(),
    reportEnd: END.toISOString(),
  };

  beforeEach(async () => {
    sim = createRingbaSimulator({ seed: 5, historyCalls: 120, historyEnd: END });
    await sim.start();
  });
  afterEach(() => sim.stop());

  it('pages through every call of the window once, in the asked order', async () => {
    const seen: Array<{ inboundCallId: string; callDt: number }> = [];
    for (let offset = 0; ; offset += 50) {
      const { report } = await callLogs(sim, { ...window, orderByColumns: ORDER, size: 50, offset });
      expect(report.totalCount).toBe(120);
      seen.push(...report.records);
      if (report.records.length < 50) break;
    }
    expect(seen.map((r) => r.inboundCallId).sort()).toEqual(
      sim
        .history()
        .map((c) => c.inboundCallId)
        .sort(),
    );
    const sorted = [...seen].sort(
      (a, b) => a.callDt - b.callDt || (a.inboundCallId < b.inboundCallId ? -1 : 1),
    );
    expect(seen).toEqual(sorted);
  });

  it('answers a repeated query with a call added since (the kept rows are dropped)', async () => {
    const before = await callLogs(sim, { ...window, orderByColumns: ORDER, size: 1000 });
    // A live call (now) falls outside the historical window: query a window that includes it.
    const wide = { reportStart: window.reportStart, reportEnd: new Date(Date.now() + 60_000).toISOString() };
    const first = await callLogs(sim, { ...wide, orderByColumns: ORDER, size: 1000 });
    await sim.simulateCall({ webhookUrl: 'http://127.0.0.1:9/unused', secret: 's' }, { outcome: 'missed' });
    const again = await callLogs(sim, { ...wide, orderByColumns: ORDER, size: 1000 });
    expect(first.report.totalCount).toBe(before.report.totalCount);
    expect(again.report.totalCount).toBe(first.report.totalCount + 1);
    expect(again.report.records.at(-1)?.inboundCallId).toBe(sim.history().at(-1)?.inboundCallId);
  });

  it('records when each request arrived', async () => {
    const started = Date.now();
    await callLogs(sim, { ...window, size: 10 });
    await callLogs(sim, { ...window, size: 10, offset: 10 });
    const times = sim.requestTimes('/calllogs');
    expect(times).toHaveLength(2);
    expect(times[0]).toBeGreaterThanOrEqual(started);
    expect(times[1]).toBeGreaterThanOrEqual(times[0]);
    expect(times[1]).toBeLessThanOrEqual(Date.now());
  });
});
