import { OutageLog, outageReason } from './outage-log.js';

function capture() {
  const lines: Array<[string, string]> = [];
  return {
    lines,
    logger: {
      error: (m: string) => lines.push(['error', m]),
      warn: (m: string) => lines.push(['warn', m]),
      log: (m: string) => lines.push(['log', m]),
    },
  };
}

describe('OutageLog', () => {
  it('logs one line when an outage starts, a summary a minute, and one line when it ends', () => {
    let now = 0;
    const { lines, logger } = capture();
    const changes: boolean[] = [];
    let counted = 0;
    const outage = new OutageLog(logger, 'webhook storage (PostgreSQL)', {
      now: () => now,
      onChange: (up) => changes.push(up),
      onFailure: () => counted++,
    });
    outage.success(); // nothing to say while up
    for (let i = 0; i < 1_224; i++) {
      now += 50; // 1,224 failures over ~61 s
      outage.failure(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      );
    }
    expect(outage.down).toBe(true);
    outage.success();
    outage.success();
    expect(lines.map(([level]) => level)).toEqual(['error', 'warn', 'log']);
    expect(lines[0][1]).toBe(
      'webhook storage (PostgreSQL) failing: connect ECONNREFUSED 127.0.0.1:5432; retrying (one line per minute until it recovers)',
    );
    expect(lines[1][1]).toMatch(/still failing after 60 s: 1200 failure\(s\) in the last 60 s, 1201 in all/);
    expect(lines[2][1]).toBe(
      'webhook storage (PostgreSQL) working again after 61 s (1224 failure(s) during the outage)',
    );
    expect(changes).toEqual([false, true]);
    expect(counted).toBe(1_224);
  });

  it('keeps passwords in connection strings out of the reason', () => {
    expect(outageReason(new Error('cannot reach postgresql://app:s3cret@db:5432/x'))).toBe(
      'cannot reach postgresql://…',
    );
    expect(outageReason(new Error('redis://:pw@h:6379 down\nstack'))).toBe('redis://… down');
  });
});
