/**
 * The request rate a provider saw, in the same fixed clock-second windows the rate limiter counts
 * in (a sliding window would count one second's tail and the next one's head together).
 */
export interface RequestRate {
  requests: number;
  /** The configured limit, requests per second. */
  limit: number;
  /** Clock seconds from the first request's to the last one's. */
  seconds: number;
  /** Mean over the full seconds (the first and last, partly outside the run, left out). */
  meanPerSecond: number;
  /** Requests in the busiest, quietest and median full second. */
  busiest: number;
  quietest: number;
  median: number;
  /** Seconds with more requests than the limit allows. */
  secondsOverLimit: number;
  /** Requests in the busiest clock-aligned ten seconds (fewer boundary effects than one second). */
  busiestTenSeconds: number;
  /** Share of the limit used over the run (mean / limit). */
  budgetUsed: number;
  /**
   * The rate over the run is at most `tolerance` above the limit. (Single seconds are reported,
   * not judged: the limiter counts a request when it is granted and the simulator when it
   * arrives, so one granted at the very end of a second can land in the next.)
   */
  withinTolerance: boolean;
}

export function requestRate(times: readonly number[], limit: number, tolerance = 0.05): RequestRate {
  const perSecond = new Map<number, number>();
  for (const t of times) {
    const second = Math.floor(t / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  const seconds = [...perSecond.keys()].sort((a, b) => a - b);
  const first = seconds[0] ?? 0;
  const last = seconds.at(-1) ?? 0;
  // Every full second counts, including any in which nothing was sent.
  const full: number[] = [];
  for (let s = first + 1; s < last; s++) full.push(perSecond.get(s) ?? 0);
  const sorted = [...full].sort((a, b) => a - b);
  const meanPerSecond = full.length ? full.reduce((a, b) => a + b, 0) / full.length : times.length;
  const busiest = Math.max(0, ...perSecond.values());
  const perTen = new Map<number, number>();
  for (const t of times) perTen.set(Math.floor(t / 10_000), (perTen.get(Math.floor(t / 10_000)) ?? 0) + 1);
  return {
    requests: times.length,
    limit,
    seconds: times.length ? last - first + 1 : 0,
    meanPerSecond,
    busiest,
    quietest: sorted[0] ?? 0,
    median: sorted[Math.floor(sorted.length / 2)] ?? 0,
    secondsOverLimit: [...perSecond.values()].filter((n) => n > limit).length,
    busiestTenSeconds: Math.max(0, ...perTen.values()),
    budgetUsed: meanPerSecond / limit,
    withinTolerance: meanPerSecond <= limit * (1 + tolerance),
  };
}
