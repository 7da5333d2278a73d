import { jest } from '@jest/globals';
import type { NormalizedCall } from '../contract/normalized-call.js';
import type { PluginLogger } from '../contract/provider-context.js';
import { MappingError } from '../errors/provider-error.js';
import { callPage, listItems, mapRows } from './row-mapping.js';

const mapCall = (row: unknown): NormalizedCall => {
  const r = row as { id?: string; start?: string };
  if (typeof row !== 'object' || row === null) throw new MappingError('acme', 'row is not an object');
  if (!r.id) throw new MappingError('acme', 'id is missing', 'id');
  return { externalId: r.id, providerData: {} };
};

const logger = () =>
  ({ debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() }) satisfies PluginLogger;

describe('mapRows / callPage', () => {
  it('keeps mapped rows and names the skipped ones with their index, id and reason', () => {
    const rows = [{ id: 'a' }, 'junk', { ref: 'r-7' }, { id: 'b' }];
    const mapped = mapRows(rows, mapCall, (row) => (row as { ref?: string })?.ref);
    expect(mapped.items.map((c) => c.externalId)).toEqual(['a', 'b']);
    expect(mapped.skipped).toEqual([
      { index: 1, reason: 'row is not an object' },
      { index: 2, externalId: 'r-7', reason: 'id is missing' },
    ]);
  });

  it('leaves out rows the map returns undefined for, without calling them skipped', () => {
    const mapped = mapRows([{ id: 'a' }, { id: 'b' }], (row) => {
      const call = mapCall(row);
      return call.externalId === 'b' ? undefined : call;
    });
    expect(mapped).toEqual({ items: [expect.objectContaining({ externalId: 'a' })], skipped: [] });
  });

  it('rethrows anything that is not a MappingError', () => {
    expect(() =>
      mapRows([1], () => {
        throw new TypeError('bug');
      }),
    ).toThrow(TypeError);
  });

  it('builds a page: skipped only when there are some, one warning without row data', () => {
    const log = logger();
    const page = callPage(mapRows([{ id: 'a' }, 'junk'], mapCall), {
      nextCursor: 'n',
      logger: log,
      logFields: { page: 2 },
    });
    expect(page).toEqual({
      calls: [expect.objectContaining({ externalId: 'a' })],
      nextCursor: 'n',
      skipped: [{ index: 1, reason: 'row is not an object' }],
    });
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(log.warn.mock.calls[0][1]).toEqual({
      page: 2,
      skipped: 1,
      skippedRows: [{ index: 1, reason: 'row is not an object' }],
    });
    const clean = callPage(mapRows([{ id: 'a' }], mapCall), { logger: log });
    expect(clean).toEqual({ calls: [expect.objectContaining({ externalId: 'a' })] });
    expect(log.warn).toHaveBeenCalledTimes(1);
  });

  it('lists catalog items, warning once for skipped rows', () => {
    const log = logger();
    expect(listItems(mapRows([{ id: 'a' }, null], mapCall), 'numbers', log)).toHaveLength(1);
    expect(log.warn).toHaveBeenCalledWith('numbers rows that could not be mapped were skipped', {
      skipped: 1,
      skippedRows: [{ index: 1, reason: 'row is not an object' }],
    });
  });
});
