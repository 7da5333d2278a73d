import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { toE164 } from '@switchboard/core';
import { CallEventRepository, CallRepository, type CallEventRow } from '@switchboard/persistence';
import { toCallView, type CallView } from '@switchboard/pipeline';
import { CallReadThrough } from './call-read-through.service.js';
import { parseTimestamp } from '../http/field-rules.js';
import { decodeCursor, keysetPage } from '../http/keyset-page.js';
import type { ListCallsQuery } from './calls.dto.js';

export interface CallPage {
  items: CallView[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One event of a call's timeline (call_events), oldest first. */
export interface CallEventView {
  id: string;
  source: string;
  eventType: string;
  occurredAt: string;
  receivedAt: string;
  webhookLogId: string | null;
  /** The normalized call as this event told it. */
  data: Record<string, unknown>;
}

/** Reads calls for host applications: a page by filter, one call (read-through), its events. */
@Injectable()
export class CallsService {
  constructor(
    private readonly calls: CallRepository,
    private readonly callEvents: CallEventRepository,
    private readonly readThrough: CallReadThrough,
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
        number: phoneFilter(query.number),
        from: parseTimestamp(query.from),
        to: parseTimestamp(query.to),
      },
      limit + 1,
      after ? { startedAtUs: after.at, id: after.id } : undefined,
    );
    return keysetPage(rows, limit, toCallView);
  }

  /** One call as JSON text (see CallReadThrough.jsonById). */
  getJson(id: string, fresh = false): Promise<string> {
    return this.readThrough.jsonById(id, fresh);
  }

  byExternalId(connectionId: string, externalId: string, fresh = false): Promise<CallView> {
    return this.readThrough.byExternalId(connectionId, externalId, fresh);
  }

  /** The call's events in order (webhooks and syncs), `limit` from `offset`. */
  async events(
    id: string,
    limit: number,
    offset: number,
  ): Promise<{ items: CallEventView[]; nextOffset?: number }> {
    const notFound = () => new NotFoundException({ error: 'call_not_found', message: `no call ${id}` });
    if (!UUID.test(id)) throw notFound();
    const [call, rows] = await Promise.all([
      this.calls.findById(id),
      this.callEvents.listForCall(id, limit + 1, offset),
    ]);
    if (!call) throw notFound();
    return {
      items: rows.slice(0, limit).map(toEventView),
      nextOffset: rows.length > limit ? offset + limit : undefined,
    };
  }
}

function toEventView(row: CallEventRow): CallEventView {
  return {
    id: row.id,
    source: row.source,
    eventType: row.event_type,
    occurredAt: row.occurred_at.toISOString(),
    receivedAt: row.created_at.toISOString(),
    webhookLogId: row.webhook_log_id,
    data: row.data,
  };
}

/** The `number` filter in the stored form (E.164); a number that cannot be one is a 400. */
export function phoneFilter(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const e164 = toE164(value);
  if (!e164) {
    throw new BadRequestException({
      error: 'bad_request',
      message: 'number must be a phone number such as +12025550143',
      details: { field: 'number' },
    });
  }
  return e164;
}
