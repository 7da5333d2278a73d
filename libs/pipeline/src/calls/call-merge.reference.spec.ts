import fc from 'fast-check';
import { CALL_STATUSES } from '@switchboard/core';
import { toCallEventRow, type CallEventRow } from './call-event-row.js';
import { comparableReference, formatNumeric14, referenceFold } from './call-merge.reference.js';

const genRow: fc.Arbitrary<CallEventRow> = fc
  .record({
    t: fc.integer({ min: 0, max: 5 }),
    status: fc.option(fc.constantFrom(...CALL_STATUSES), { nil: undefined }),
    campaignName: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
    revenue: fc.option(fc.constantFrom('1', '2.5'), { nil: undefined }),
    tags: fc.dictionary(fc.constantFrom('x', 'y'), fc.constantFrom('1', '2')),
  })
  .map((e) =>
    toCallEventRow({
      connectionId: 'c',
      provider: 'ringba',
      source: 'webhook',
      event: {
        type: 'call.updated',
        occurredAt: new Date(Date.UTC(2026, 10, 1) + e.t * 1000),
        call: {
          externalId: 'X',
          status: e.status,
          campaignName: e.campaignName,
          revenue: e.revenue,
          tags: e.tags,
          providerData: {},
        },
      },
    }),
  );

const view = (rows: CallEventRow[]) => comparableReference([...referenceFold(rows).values()][0]);

describe('merge rule (reference model)', () => {
  it('does not depend on order or repeats (commutative, idempotent)', () => {
    fc.assert(
      fc.property(fc.array(genRow, { minLength: 1, maxLength: 8 }), fc.integer(), (rows, seed) => {
        const reversed = [...rows].reverse();
        const doubled = [...rows, ...rows.slice(0, seed % (rows.length + 1))];
        expect(view(reversed)).toEqual(view(rows));
        expect(view(doubled)).toEqual(view(rows));
      }),
    );
  });

  it('prints numeric(14,4) like PostgreSQL', () => {
    expect(formatNumeric14('12.5')).toBe('12.5000');
    expect(formatNumeric14('-0.00005')).toBe('-0.0001');
    expect(formatNumeric14('3')).toBe('3.0000');
  });
});
