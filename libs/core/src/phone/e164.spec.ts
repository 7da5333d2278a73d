import { toE164 } from './e164.js';

describe('toE164', () => {
  it.each([
    ['+1 (555) 010-2000', '+15550102000'],
    ['15550102000', '+15550102000'],
    ['5550102000', '+15550102000'],
    [15550102000, '+15550102000'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('normalizes %p to %p', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it.each([['Restricted'], ['anonymous'], [''], ['  '], ['123'], [null], [undefined], [{}]])(
    'treats %p as no number',
    (input) => {
      expect(toE164(input)).toBeUndefined();
    },
  );

  it('gives the same answer from its memory as from parsing, per default country', () => {
    const first = toE164('020 7946 0958', 'GB');
    expect(first).toBe('+442079460958');
    expect(toE164('020 7946 0958', 'GB')).toBe(first);
    // The same text under another default country is parsed on its own.
    expect(toE164('020 7946 0958', 'US')).not.toBe(first);
  });
});
