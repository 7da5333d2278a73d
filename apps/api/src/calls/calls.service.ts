import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { CallRepository, type CallPosition } from '@switchboard/persistence';
import { CallCache, toCallView, type CallView } from '@switchboard/pipeline';
import type { ListCallsQuery } from './calls.dto.js';

export interface CallPage {
  items: CallView[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads calls for host applications: a page by filter, or one call from the cache, else the database. */
@Injectable()
export class CallsService {
  constructor(
    private readonly calls: CallRepository,
    private readonly cache: CallCache,
  ) {}

  async list(query: ListCallsQuery): Promise<CallPage> {
    const limit = query.limit ?? 50;
    const rows = await this.calls.list(
      {
        connectionId: query.connection,
        provider: query.provider,
        status: query.status,
        campaignExternalId: query.campaign,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      limit + 1,
      query.cursor ? decodeCursor(query.cursor) : undefined,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCallView),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor({ startedAtUs: last.position_us, id: last.id })
          : undefined,
    };
  }

  async get(id: string): Promise<CallView> {
    if (!UUID.test(id)) throw new NotFoundException({ error: 'call_not_found', message: `no call ${id}` });
    const cached = await this.cache.get(id);
    if (cached) return cached;
    const row = await this.calls.findById(id);
    if (!row) throw new NotFoundException({ error: 'call_not_found', message: `no call ${id}` });
    const view = toCallView(row);
    await this.cache.putMany([view]);
    return view;
  }
}

export function encodeCursor(position: CallPosition): string {
  return Buffer.from(JSON.stringify({ s: position.startedAtUs, i: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string): CallPosition {
  try {
    const { s, i } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      s: string | null;
      i: string;
    };
    if (typeof i !== 'string' || !UUID.test(i) || (s !== null && !/^-?\d{1,19}$/.test(String(s))))
      throw new Error('bad');
    return { startedAtUs: s, id: i };
  } catch {
    throw new BadRequestException({
      error: 'invalid_cursor',
      message: 'cursor is not one this API returned',
    });
  }
}
