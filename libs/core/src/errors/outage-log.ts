/** The logger methods an OutageLog writes with (Nest's Logger fits). */
export interface OutageLogger {
  error(message: string): void;
  warn(message: string): void;
  log(message: string): void;
}

export interface OutageLogOptions {
  /** While the outage lasts, one summary line at most this often. */
  summaryEveryMs?: number;
  /** Called for every failure (e.g. to count it in a metric). */
  onFailure?: () => void;
  /** Called when the state changes: false when the outage starts, true when it ends. */
  onChange?: (up: boolean) => void;
  now?: () => number;
}

/**
 * Logs an outage of something a hot path depends on (PostgreSQL, Redis, the queue) as one line when
 * it starts, a summary with counts at most once a minute while it lasts, and one line when it ends
 * — instead of one line per failed request or job (1,224 identical lines in 15 s during a
 * PostgreSQL outage). Callers report every failure and every success; the counting is here.
 */
export class OutageLog {
  private startedAt: number | undefined;
  private total = 0;
  private sinceSummary = 0;
  private lastSummaryAt = 0;
  private readonly summaryEveryMs: number;
  private readonly now: () => number;

  constructor(
    private readonly logger: OutageLogger,
    /** What fails, for people: "webhook storage (PostgreSQL)". */
    private readonly what: string,
    private readonly options: OutageLogOptions = {},
  ) {
    this.summaryEveryMs = options.summaryEveryMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  get down(): boolean {
    return this.startedAt !== undefined;
  }

  /** Failures counted since the outage started (0 when there is none). */
  get failures(): number {
    return this.total;
  }

  failure(error: unknown): void {
    this.options.onFailure?.();
    const now = this.now();
    if (this.startedAt === undefined) {
      this.startedAt = now;
      this.lastSummaryAt = now;
      this.total = 1;
      this.sinceSummary = 0;
      this.options.onChange?.(false);
      this.logger.error(
        `${this.what} failing: ${outageReason(error)}; retrying (one line per minute until it recovers)`,
      );
      return;
    }
    this.total++;
    this.sinceSummary++;
    if (now - this.lastSummaryAt >= this.summaryEveryMs) {
      this.logger.warn(
        `${this.what} still failing after ${seconds(now - this.startedAt)}: ${this.sinceSummary} failure(s) in the last ${seconds(now - this.lastSummaryAt)}, ${this.total} in all (${outageReason(error)})`,
      );
      this.lastSummaryAt = now;
      this.sinceSummary = 0;
    }
  }

  success(): void {
    if (this.startedAt === undefined) return;
    const lasted = this.now() - this.startedAt;
    const total = this.total;
    this.startedAt = undefined;
    this.total = 0;
    this.options.onChange?.(true);
    this.logger.log(
      `${this.what} working again after ${seconds(lasted)} (${total} failure(s) during the outage)`,
    );
  }
}

/** One line of an error's text, without connection strings (which can hold a password). */
export function outageReason(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  const text = typeof e?.message === 'string' ? e.message : String(error);
  const line = text
    .split('\n')[0]
    .replace(/(postgres(ql)?|rediss?):\/\/[^\s]+/g, '$1://…')
    .slice(0, 300);
  return typeof e?.code === 'string' && !line.includes(e.code) ? `${e.code} ${line}` : line;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
