import { UnrecoverableError } from 'bullmq';
import { batchJobResult } from './batch-job-result.js';
import type { WebhookOutcome } from './webhook-batch.processor.js';

const processed: WebhookOutcome = { status: 'processed', callId: 'c', duplicate: false };
const duplicate: WebhookOutcome = { status: 'processed', callId: 'c', duplicate: true };
const retryable: WebhookOutcome = { status: 'failed', retryable: true, error: 'database unavailable' };
const permanent: WebhookOutcome = { status: 'failed', retryable: false, error: 'bad payload' };

describe('batch job result', () => {
  it('completes with counts when no row failed', () => {
    expect(
      batchJobResult([
        processed,
        duplicate,
        processed,
        { status: 'ignored', reason: 'webhook log is ignored' },
        { status: 'settled' },
      ]),
    ).toEqual({ processed: 2, duplicates: 1, ignored: 1, settled: 1 });
  });

  it('throws a retryable error when any failed row may succeed on a retry', () => {
    const run = () => batchJobResult([processed, permanent, retryable]);
    expect(run).toThrow('2 of 3 webhooks failed (1 may succeed on a retry): database unavailable');
    expect(run).not.toThrow(UnrecoverableError);
  });

  it('fails for good when no failed row can succeed on a retry', () => {
    expect(() => batchJobResult([processed, permanent])).toThrow(UnrecoverableError);
  });
});
