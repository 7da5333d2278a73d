import type { HistorySource } from '../contract/capabilities.js';
import type { CallFilters, CallReport, NormalizedCall } from '../contract/normalized-call.js';
import { addDecimals } from '../decimal-sum.js';

/**
 * The `campaignExternalId` of the report row that holds calls without a campaign. Such calls are
 * counted in the totals and grouped under this key (never dropped), so the rows always add up to
 * the totals. No provider uses an empty campaign id, so it cannot clash with a real campaign.
 */
export const NO_CAMPAIGN = '';

/**
 * Whether a call reached someone: it was answered, had connected talk time, or its status says it
 * is (or was) in progress. The one rule every report uses for `connectedCalls`.
 */
export function isConnectedCall(call: NormalizedCall): boolean {
  return (
    call.answeredAt !== undefined ||
    (call.connectedDurationSeconds ?? 0) > 0 ||
    call.status === 'completed' ||
    call.status === 'in_progress'
  );
}

type CampaignRow = NonNullable<CallReport['byCampaign']>[number];

/**
 * Adds calls up into a CallReport one at a time (a history can be too long to hold in memory).
 * Totals: every call; connected by `isConnectedCall`; converted when `converted === true`; money
 * summed exactly as 4-place decimals. Rows per campaign, calls without one under `NO_CAMPAIGN`,
 * ordered by campaign id.
 */
export class CallReportBuilder {
  private readonly totals = { totalCalls: 0, connectedCalls: 0, convertedCalls: 0 };
  private revenue = '0.0000';
  private payout = '0.0000';
  private readonly campaigns = new Map<string, CampaignRow>();

  constructor(
    private readonly from: Date,
    private readonly to: Date,
  ) {}

  add(call: NormalizedCall): this {
    this.totals.totalCalls++;
    if (isConnectedCall(call)) this.totals.connectedCalls++;
    if (call.converted === true) this.totals.convertedCalls++;
    this.revenue = addDecimals(this.revenue, call.revenue);
    this.payout = addDecimals(this.payout, call.payout);
    const key = call.campaignExternalId ?? NO_CAMPAIGN;
    let row = this.campaigns.get(key);
    if (!row) {
      row = { campaignExternalId: key, calls: 0, converted: 0, revenue: '0.0000', payout: '0.0000' };
      this.campaigns.set(key, row);
    }
    row.calls++;
    if (call.converted === true) row.converted++;
    row.revenue = addDecimals(row.revenue, call.revenue);
    row.payout = addDecimals(row.payout, call.payout);
    if (row.campaignName === undefined && call.campaignName !== undefined)
      row.campaignName = call.campaignName;
    return this;
  }

  build(providerData?: Record<string, unknown>): CallReport {
    const byCampaign = [...this.campaigns.values()].sort((a, b) =>
      a.campaignExternalId < b.campaignExternalId ? -1 : a.campaignExternalId > b.campaignExternalId ? 1 : 0,
    );
    return {
      from: this.from,
      to: this.to,
      ...this.totals,
      revenue: this.revenue,
      payout: this.payout,
      byCampaign,
      ...(providerData ? { providerData } : {}),
    };
  }
}

/** A CallReport of `calls` over `[from, to)` (see CallReportBuilder for the rules). */
export function aggregateCallReport(
  from: Date,
  to: Date,
  calls: Iterable<NormalizedCall>,
  providerData?: Record<string, unknown>,
): CallReport {
  const builder = new CallReportBuilder(from, to);
  for (const call of calls) builder.add(call);
  return builder.build(providerData);
}

/**
 * A report computed from a history source: pages `getCalls` over `[from, to)` and aggregates.
 * What a plugin's `getCallReport` returns when the provider has no report of its own, and what the
 * platform uses for a plugin with a HistorySource but no ReportSource.
 */
export async function reportFromHistory(
  source: HistorySource,
  from: Date,
  to: Date,
  options: { pageSize?: number; campaignExternalId?: string; providerData?: Record<string, unknown> } = {},
): Promise<CallReport> {
  const builder = new CallReportBuilder(from, to);
  const filters: CallFilters = {
    from,
    to,
    pageSize: options.pageSize,
    campaignExternalId: options.campaignExternalId,
  };
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await source.getCalls(filters, cursor);
    pages++;
    for (const call of page.calls) builder.add(call);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return builder.build({ source: 'history', pages, ...options.providerData });
}
