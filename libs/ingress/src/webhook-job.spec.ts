import { MAX_ROWS_PER_WEBHOOK_JOB, isWebhookBatch, type WebhookBatchJobData } from '@switchboard/queue';
import { assignWebhookJobs, webhookJobsFor } from './webhook-job.js';

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    connectionId: 'c-1',
    provider: i % 2 ? 'ringba' : 'retreaver',
    receivedAt: new Date(Date.UTC(2026, 10, 27, 0, 0, i)),
    jobId: undefined as string | null | undefined,
  }));

describe('webhook jobs of an ingress batch', () => {
  it('gives a lone row a job of its own, id = row id', () => {
    const [row] = rows(1);
    assignWebhookJobs([row]);
    expect(row.jobId).toBeNull();
    const [job] = webhookJobsFor([row], 8);
    expect(job.opts.jobId).toBe(row.id);
    expect(isWebhookBatch(job.data)).toBe(false);
    expect(job.data).toMatchObject({ webhookLogId: row.id, provider: 'retreaver' });
  });

  it('puts the rows of one INSERT in jobs of at most MAX_ROWS_PER_WEBHOOK_JOB, in order', () => {
    const batch = rows(2 * MAX_ROWS_PER_WEBHOOK_JOB + 1);
    assignWebhookJobs(batch);
    const jobs = webhookJobsFor(batch, 8);
    expect(jobs.map((j) => (j.data as WebhookBatchJobData).rows?.length ?? 1)).toEqual([
      MAX_ROWS_PER_WEBHOOK_JOB,
      MAX_ROWS_PER_WEBHOOK_JOB,
      1,
    ]);
    // The last group is one row: a job of its own.
    expect(jobs[2].opts.jobId).toBe(batch[2 * MAX_ROWS_PER_WEBHOOK_JOB].id);
    const carried = jobs.flatMap((j) =>
      isWebhookBatch(j.data) ? j.data.rows.map((r) => r.webhookLogId) : [j.data.webhookLogId],
    );
    expect(carried).toEqual(batch.map((r) => r.id));
    expect(jobs[0].opts).toMatchObject({ jobId: `batch-${batch[0].id}`, attempts: 8 });
    expect(new Set(jobs.map((j) => j.opts.jobId)).size).toBe(3);
  });

  it('carries only the rows that were stored, under the id written with them', () => {
    const batch = rows(5);
    assignWebhookJobs(batch);
    const stored = [batch[1], batch[3]]; // the others were redeliveries
    const [job] = webhookJobsFor(stored, 8);
    expect(job.opts.jobId).toBe(`batch-${batch[0].id}`);
    expect((job.data as WebhookBatchJobData).rows.map((r) => r.webhookLogId)).toEqual([
      batch[1].id,
      batch[3].id,
    ]);
    expect((job.data as WebhookBatchJobData).rows[1]).toEqual({
      webhookLogId: batch[3].id,
      connectionId: 'c-1',
      provider: 'ringba',
      receivedAt: batch[3].receivedAt.toISOString(),
    });
  });
});
