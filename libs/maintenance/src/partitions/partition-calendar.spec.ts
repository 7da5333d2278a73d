import {
  addMonths,
  isExpired,
  monthStart,
  monthsToPrepare,
  partitionMonth,
  partitionName,
  retentionCutoff,
} from './partition-calendar.js';

const at = (iso: string) => new Date(iso);

describe('partition calendar', () => {
  it('names a month and reads the name back, in UTC', () => {
    const month = monthStart(at('2026-12-31T23:59:59.999Z'));
    expect(month.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(partitionName('webhook_logs', month)).toBe('webhook_logs_p202612');
    expect(partitionMonth('webhook_logs', 'webhook_logs_p202612')).toEqual(month);
    expect(partitionMonth('webhook_logs', 'call_events_p202612')).toBeUndefined();
    expect(partitionMonth('webhook_logs', 'webhook_logs_default')).toBeUndefined();
    expect(partitionMonth('webhook_logs', 'webhook_logs_p202613')).toBeUndefined();
  });

  it('prepares the current month and three after it, across a year end', () => {
    expect(monthsToPrepare(at('2026-11-27T12:00:00Z')).map((m) => partitionName('call_events', m))).toEqual([
      'call_events_p202611',
      'call_events_p202612',
      'call_events_p202701',
      'call_events_p202702',
    ]);
    expect(addMonths(at('2026-01-01T00:00:00Z'), -2).toISOString()).toBe('2025-11-01T00:00:00.000Z');
  });

  it('expires a month only when all of it is older than the retention', () => {
    const now = at('2026-11-27T00:00:00Z');
    const cutoff = retentionCutoff(now, 30); // 2026-10-28
    expect(cutoff?.toISOString()).toBe('2026-10-28T00:00:00.000Z');
    expect(isExpired(at('2026-09-01T00:00:00Z'), cutoff)).toBe(true);
    expect(isExpired(at('2026-10-01T00:00:00Z'), cutoff)).toBe(false); // still holds Oct 28–31
    expect(isExpired(at('2026-11-01T00:00:00Z'), cutoff)).toBe(false);
    expect(retentionCutoff(now, 0)).toBeUndefined();
    expect(isExpired(at('2000-01-01T00:00:00Z'), undefined)).toBe(false);
  });
});
