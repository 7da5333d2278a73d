import { Injectable, NotFoundException } from '@nestjs/common';
import { CallRepository } from '@switchboard/persistence';
import { CallCache, toCallView, type CallView } from '@switchboard/pipeline';
import { parseTimestamp } from '../http/field-rules.js';
import { decodeCursor, keysetPage } from '../http/keyset-page.js';
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
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.calls.list(
      {
        connectionId: query.connection ?? query.connectionId,
        provider: query.provider,
        status: query.status,
        campaignExternalId: query.campaign,
        from: parseTimestamp(query.from),
        to: parseTimestamp(query.to),
      },
      limit + 1,
      after ? { startedAtUs: after.at, id: after.id } : undefined,
    );
    return keysetPage(rows, limit, toCallView);
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
