import type { SwitchboardMetrics } from '@switchboard/metrics';
import type { PageOutcome } from '../engine/sync-page-writer.js';

/** Counts one written page of any run kind: records read, calls created/updated, records skipped. */
export function countSyncPage(
  metrics: SwitchboardMetrics,
  provider: string,
  kind: string,
  page: PageOutcome,
): void {
  metrics.syncRecordsProcessed.inc({ provider, type: 'call' }, page.seen);
  if (page.created.length)
    metrics.syncCallsWritten.inc({ provider, kind, change: 'created' }, page.created.length);
  if (page.updated.length)
    metrics.syncCallsWritten.inc({ provider, kind, change: 'updated' }, page.updated.length);
  if (page.skipped.length) metrics.syncRecordsSkipped.inc({ provider }, page.skipped.length);
}
