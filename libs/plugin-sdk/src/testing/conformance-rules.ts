/**
 * A conformance failure: which rule broke, on which sample (a webhook sample's name, a call id,
 * an operation), and what was seen. The message starts with both so a failing test says what to fix.
 */
export class ConformanceFailure extends Error {
  constructor(
    readonly rule: string,
    readonly sample: string | undefined,
    detail: string,
  ) {
    super(`[${rule}]${sample === undefined ? '' : ` sample "${sample}"`}: ${detail}`);
    this.name = 'ConformanceFailure';
  }
}

/** Runs `fn` and turns any failure inside it into a ConformanceFailure naming the rule and sample. */
export async function within(rule: string, sample: string | undefined, fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    throw new ConformanceFailure(rule, sample, messageOf(error));
  }
}

/** Fails the rule unless `condition` holds. */
export function expectThat(
  condition: unknown,
  rule: string,
  sample: string | undefined,
  detail: string,
): void {
  if (!condition) throw new ConformanceFailure(rule, sample, detail);
}

/** One check of the kit: a stable id (named in failures), what it checks, and the check itself. */
export interface ConformanceRule {
  id: string;
  title: string;
  run(): Promise<void>;
}

/** What `verifyProviderConformance` found: the rules that passed and, for the others, why not. */
export interface ConformanceReport {
  passed: string[];
  failures: Array<{ rule: string; message: string }>;
}

/** An error's message, also for errors of another realm (node:assert under a VM-based runner). */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && typeof (error as Error).message === 'string')
    return (error as Error).message;
  return String(error);
}
