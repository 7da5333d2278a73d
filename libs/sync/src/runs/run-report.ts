import type { SyncRunKind } from '@switchboard/persistence';
import type { CallDifferences, PageOutcome, SkippedRecord } from '../engine/sync-page-writer.js';

/** A total with the first few ids (a report stays small whatever the window). */
export interface IdSample {
  total: number;
  ids: string[];
}

export interface RunReport {
  skipped: { total: number; rows: Array<SkippedRecord & { chunk: number }> };
  /** recovery: calls we did not have, created as if their webhook had arrived. */
  created?: IdSample;
  /** recovery: calls whose final state never reached us, completed now. */
  completed?: IdSample;
  /**
   * consistency: calls the provider has and we do not, calls we have that it does not list, and
   * calls both have whose fields differ. parallel_run: the same, with "we" being what the shadow
   * connection's webhooks said.
   */
  matching?: number;
  missingHere?: IdSample;
  missingAtProvider?: IdSample;
  fieldMismatches?: { total: number; byField: Record<string, number>; calls: CallDifferences[] };
}

const MAX_IDS = 1000;
const MAX_SKIPPED_ROWS = 100;
const MAX_MISMATCHED_CALLS = 200;

const sample = (): IdSample => ({ total: 0, ids: [] });

function addIds(target: IdSample, ids: readonly string[]): void {
  target.total += ids.length;
  for (const id of ids) {
    if (target.ids.length >= MAX_IDS) break;
    target.ids.push(id);
  }
}

/**
 * What a run found, accumulated page by page and saved after each chunk (so a resumed run keeps
 * what earlier chunks found). Totals are exact; the id lists are capped.
 */
export class RunReportBuilder {
  private readonly report: RunReport;

  constructor(
    private readonly kind: SyncRunKind,
    saved?: Record<string, unknown> | null,
  ) {
    this.report = (saved as RunReport | null | undefined) ?? RunReportBuilder.empty(kind);
  }

  static empty(kind: SyncRunKind): RunReport {
    const report: RunReport = { skipped: { total: 0, rows: [] } };
    if (kind === 'recovery') {
      report.created = sample();
      report.completed = sample();
    }
    if (kind === 'consistency' || kind === 'parallel_run') {
      report.matching = 0;
      report.missingHere = sample();
      report.missingAtProvider = sample();
      report.fieldMismatches = { total: 0, byField: {}, calls: [] };
    }
    return report;
  }

  addPage(page: PageOutcome, chunk: number): void {
    const r = this.report;
    r.skipped.total += page.skipped.length;
    for (const row of page.skipped) {
      if (r.skipped.rows.length >= MAX_SKIPPED_ROWS) break;
      r.skipped.rows.push({ ...row, chunk });
    }
    if (this.kind === 'recovery') {
      addIds(r.created!, page.created);
      addIds(r.completed!, page.completed);
    }
    if (this.kind === 'consistency' || this.kind === 'parallel_run') {
      r.matching! += page.unchanged;
      addIds(r.missingHere!, page.missingHere);
      const mismatches = r.fieldMismatches!;
      mismatches.total += page.mismatches.length;
      for (const call of page.mismatches) {
        for (const d of call.differences)
          mismatches.byField[d.field] = (mismatches.byField[d.field] ?? 0) + 1;
        if (mismatches.calls.length < MAX_MISMATCHED_CALLS) mismatches.calls.push(call);
      }
    }
  }

  addMissingAtProvider(ids: readonly string[], total: number): void {
    const target = this.report.missingAtProvider!;
    const before = target.total;
    addIds(target, ids);
    target.total = before + total;
  }

  toJSON(): RunReport {
    return this.report;
  }
}
