import type { CallPage, NormalizedCall, SkippedRow } from '../contract/normalized-call.js';
import type { PluginLogger } from '../contract/provider-context.js';
import { MappingError } from '../errors/provider-error.js';

/** Rows of a provider answer, mapped: what could be read, and which rows could not and why. */
export interface MappedRows<T> {
  items: T[];
  skipped: SkippedRow[];
}

/**
 * Maps each row of a provider list. A row whose `map` throws MappingError is skipped (its index,
 * its id when `externalIdOf` finds one, the reason); any other error is a real failure and is
 * rethrown. `map` returns undefined to leave a readable row out on purpose (outside the window).
 */
export function mapRows<T>(
  rows: readonly unknown[],
  map: (row: unknown, index: number) => T | undefined,
  externalIdOf?: (row: unknown) => string | undefined,
): MappedRows<T> {
  const items: T[] = [];
  const skipped: SkippedRow[] = [];
  rows.forEach((row, index) => {
    try {
      const item = map(row, index);
      if (item !== undefined) items.push(item);
    } catch (error) {
      if (!(error instanceof MappingError)) throw error;
      const externalId = externalIdOf?.(row);
      skipped.push({ index, ...(externalId ? { externalId } : {}), reason: error.message });
    }
  });
  return { items, skipped };
}

/**
 * A CallPage from mapped rows: `skipped` only when some rows were, `nextCursor`/`total` only when
 * known. Logs one warning naming the skipped rows (positions, ids, reasons: never the rows' data).
 */
export function callPage(
  mapped: MappedRows<NormalizedCall>,
  page: { nextCursor?: string; total?: number; logger?: PluginLogger; logFields?: Record<string, unknown> },
): CallPage {
  warnSkipped(page.logger, 'call rows that could not be mapped were skipped', mapped.skipped, page.logFields);
  return {
    calls: mapped.items,
    ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
    ...(page.total !== undefined ? { total: page.total } : {}),
    ...(mapped.skipped.length > 0 ? { skipped: mapped.skipped } : {}),
  };
}

/**
 * The items of a catalog list (numbers, campaigns), with one warning when rows were skipped.
 * `what` names the list in the log ("numbers").
 */
export function listItems<T>(
  mapped: MappedRows<T>,
  what: string,
  logger?: PluginLogger,
  logFields?: Record<string, unknown>,
): T[] {
  warnSkipped(logger, `${what} rows that could not be mapped were skipped`, mapped.skipped, logFields);
  return mapped.items;
}

function warnSkipped(
  logger: PluginLogger | undefined,
  message: string,
  skipped: SkippedRow[],
  fields: Record<string, unknown> = {},
): void {
  if (!logger || skipped.length === 0) return;
  logger.warn(message, { ...fields, skipped: skipped.length, skippedRows: skipped });
}
