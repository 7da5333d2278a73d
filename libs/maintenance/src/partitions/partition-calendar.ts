/**
 * Month arithmetic and names of the monthly partitions of webhook_logs and call_events (UTC, as
 * the migration that created the first ones: 20261127122200_partition_logs_and_events).
 */

/** The tables partitioned by month of created_at. */
export const PARTITIONED_TABLES = ['webhook_logs', 'call_events'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Months of partitions kept ready after the current one. */
export const MONTHS_AHEAD = 3;

const DAY_MS = 86_400_000;

/** First instant of the UTC month of `date`. */
export function monthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

export function addMonths(month: Date, months: number): Date {
  return new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + months, 1));
}

/** `<table>_pYYYYMM`. */
export function partitionName(table: PartitionedTable, month: Date): string {
  return `${table}_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function defaultPartitionName(table: PartitionedTable): string {
  return `${table}_default`;
}

/** The month a partition covers, from its name; undefined for names that are not ours. */
export function partitionMonth(table: PartitionedTable, name: string): Date | undefined {
  const match = new RegExp(`^${table}_p(\\d{4})(\\d{2})$`).exec(name);
  if (!match) return undefined;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return undefined;
  return new Date(Date.UTC(Number(match[1]), month - 1, 1));
}

/** The months that must have a partition at `now`: the current one and MONTHS_AHEAD after it. */
export function monthsToPrepare(now: Date, ahead = MONTHS_AHEAD): Date[] {
  const first = monthStart(now);
  return Array.from({ length: ahead + 1 }, (_, i) => addMonths(first, i));
}

/** Rows created before this are past a retention of `days` (0: never). */
export function retentionCutoff(now: Date, days: number): Date | undefined {
  return days > 0 ? new Date(now.getTime() - days * DAY_MS) : undefined;
}

/** A partition may be dropped once every row it can hold is past the cutoff. */
export function isExpired(month: Date, cutoff: Date | undefined): boolean {
  return cutoff !== undefined && addMonths(month, 1).getTime() <= cutoff.getTime();
}
