import { RINGBA_CALL_LOG_COLUMNS } from '@switchboard/plugin-ringba';
import type { PluginRateLimits } from '@switchboard/core';
import type { RateLimiter } from '@switchboard/provider-http';
import { Agent, request } from 'undici';

export interface CallLogAccount {
  /** The simulator's API base URL (`.../v2`). */
  baseUrl: string;
  accountId: string;
  apiToken: string;
}

export interface FetchedWindows {
  pages: number;
  /** Calls in the windows (Ringba's reportEnd is inclusive: a call at a window's end is the next one's). */
  calls: number;
  bytes: number;
}

/**
 * The plain equivalent of a backfill: pages through Ringba's call log for each window with the
 * same request the plugin sends (same columns, order, page size, offsets), each request after the
 * same shared rate limiter the connections use, and only parses the answer: no mapping, no
 * storing. Once the first page has told the window's size, up to `inFlight` pages are requested at
 * once, so on a loaded machine the loop stays bound by the rate limit, not by the round trip.
 */
export async function fetchWindows(options: {
  account: CallLogAccount;
  windows: ReadonlyArray<{ from: Date; to: Date }>;
  pageSize: number;
  limiter: RateLimiter;
  limitKey: string;
  limits: PluginRateLimits;
  dispatcher: Agent;
  inFlight?: number;
}): Promise<FetchedWindows> {
  const { account, pageSize } = options;
  const url = `${account.baseUrl}/${encodeURIComponent(account.accountId)}/calllogs`;
  const result: FetchedWindows = { pages: 0, calls: 0, bytes: 0 };
  const page = async (window: { from: Date; to: Date }, offset: number) => {
    await options.limiter.acquire(options.limitKey, options.limits);
    const response = await request(url, {
      method: 'POST',
      dispatcher: options.dispatcher,
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: `Token ${account.apiToken}`,
      },
      body: JSON.stringify({
        reportStart: window.from.toISOString(),
        reportEnd: window.to.toISOString(),
        valueColumns: RINGBA_CALL_LOG_COLUMNS.map((column) => ({ column })),
        orderByColumns: [
          { column: 'callDt', direction: 'asc' },
          { column: 'inboundCallId', direction: 'asc' },
        ],
        size: pageSize,
        offset,
      }),
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      throw new Error(`call log answered ${response.statusCode}: ${text.slice(0, 200)}`);
    }
    const report = (
      JSON.parse(text) as { report: { records: Array<{ callDt: number }>; totalCount: number } }
    ).report;
    result.pages++;
    result.bytes += text.length;
    const end = window.to.getTime();
    for (const record of report.records) if (record.callDt < end) result.calls++;
    return report.totalCount;
  };
  for (const window of options.windows) {
    const total = await page(window, 0);
    const offsets: number[] = [];
    for (let offset = pageSize; offset < total; offset += pageSize) offsets.push(offset);
    await Promise.all(
      Array.from({ length: options.inFlight ?? 2 }, async () => {
        for (let offset = offsets.shift(); offset !== undefined; offset = offsets.shift()) {
          await page(window, offset);
        }
      }),
    );
  }
  return result;
}
