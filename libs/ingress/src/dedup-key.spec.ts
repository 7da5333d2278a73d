import { DEDUP_KEY_MAX_LENGTH, webhookDedupKey } from './dedup-key.js';

const CONNECTION = '7f1c7d4e-2a55-4b0e-9a59-0c4b6f0e5f11';

describe('webhookDedupKey', () => {
  it('keeps short keys readable', () => {
    expect(webhookDedupKey(CONNECTION, 'call-1:completed')).toBe(`${CONNECTION}:call-1:completed`);
  });

  it('hashes event ids that would not fit the column, the same way every time', () => {
    const long = 'x'.repeat(1_000);
    const key = webhookDedupKey(CONNECTION, long);
    expect(key.length).toBeLessThanOrEqual(DEDUP_KEY_MAX_LENGTH);
    expect(key).toMatch(new RegExp(`^${CONNECTION}:sha256:[0-9a-f]{64}$`));
    expect(webhookDedupKey(CONNECTION, long)).toBe(key);
    expect(webhookDedupKey(CONNECTION, `${'x'.repeat(999)}y`)).not.toBe(key);
  });

  it('never gives a key longer than the column, at any length', () => {
    for (const n of [270, 283, 284, 285, 400]) {
      expect(webhookDedupKey(CONNECTION, 'e'.repeat(n)).length).toBeLessThanOrEqual(DEDUP_KEY_MAX_LENGTH);
    }
  });
});
