import { MappingError, ProviderError } from '@switchboard/core';
import { failureText, isTransientFailure } from './failure.js';

describe('failure classification', () => {
  it('retries what may succeed later: retryable provider errors and an unavailable database', () => {
    expect(isTransientFailure(new ProviderError('ringba', 'rate_limited', true, 'slow down'))).toBe(true);
    expect(isTransientFailure(Object.assign(new Error('terminating connection'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isTransientFailure(Object.assign(new Error('deadlock detected'), { code: '40P01' }))).toBe(true);
    expect(isTransientFailure(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(
      isTransientFailure(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      ),
    ).toBe(true);
    expect(isTransientFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientFailure(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(
      isTransientFailure(Object.assign(new Error("Can't reach database server"), { errorCode: 'P1001' })),
    ).toBe(true);
    const wrapped = new Error('driver adapter error', {
      cause: Object.assign(new Error('x'), { code: '57P01' }),
    });
    expect(isTransientFailure(wrapped)).toBe(true);
  });

  it('fails at once what will fail again: mapping errors, refused values, bugs', () => {
    expect(isTransientFailure(new MappingError('ringba', 'no call id', 'call_id'))).toBe(false);
    expect(isTransientFailure(new ProviderError('ringba', 'bad', false, 'bad request'))).toBe(false);
    expect(isTransientFailure(Object.assign(new Error('value too long'), { code: '22001' }))).toBe(false);
    expect(isTransientFailure(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(
      false,
    );
  });

  it('describes a failure in one line without connection strings', () => {
    const error = new Error('could not reach postgresql://user:secret@db:5432/sb\n    at stack');
    expect(failureText(error)).toBe('could not reach postgresql://…');
    expect(failureText(new MappingError('ringba', 'no call id'))).toBe(
      'MappingError: mapping_failed no call id',
    );
  });
});
