import { Injectable, NotFoundException } from '@nestjs/common';
import { ConnectionAdapters } from '@switchboard/connections';
import { ProviderError, hasCapability } from '@switchboard/core';
import { CallRepository, type CallRow } from '@switchboard/persistence';
import {
  CallCache,
  CallEventStore,
  LiveEventPublisher,
  toCallEventRow,
  toCallView,
  type CallView,
} from '@switchboard/pipeline';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const notFound = (what: string) =>
  new NotFoundException({ error: 'call_not_found', message: `no call ${what}` });

/**
 * One call for host applications, read through three layers: the cache (filled by the worker and
 * by misses here), then PostgreSQL, then — when asked for a fresh copy, or when the call is not
 * known yet and the caller names the connection and the provider's id — the provider's API through
 * the plugin. A provider read is stored through the normal merge (a `sync` event, so newer webhook
 * values are never overwritten by an older API answer), then cached and published like any change.
 */
@Injectable()
export class CallReadThrough {
  constructor(
    private readonly calls: CallRepository,
    private readonly cache: CallCache,
    private readonly adapters: ConnectionAdapters,
    private readonly store: CallEventStore,
    private readonly live: LiveEventPublisher,
  ) {}

  /**
   * By Switchboard's id, as the JSON text the API answers with (a cache hit goes out as stored:
   * parsing and re-serializing it was a tenth of a cached read); `fresh` re-reads the provider first.
   */
  async jsonById(id: string, fresh = false): Promise<string> {
    if (!UUID.test(id)) throw notFound(id);
    if (!fresh) {
      const cached = await this.cache.getJson(id);
      if (cached) return cached;
    }
    const row = await this.calls.findById(id);
    if (!row) throw notFound(id);
    const view = fresh ? await this.fromProvider(row.connection_id, row.external_id) : await this.cached(row);
    return JSON.stringify(view);
  }

  /** By connection and the provider's id: the stored call, else (or with `fresh`) the provider's. */
  async byExternalId(connectionId: string, externalId: string, fresh = false): Promise<CallView> {
    if (!UUID.test(connectionId)) throw notFound(`${externalId} in connection ${connectionId}`);
    if (!fresh) {
      const row = await this.calls.findByExternalId(connectionId, externalId);
      if (row) {
        const cached = await this.cache.get(row.id);
        return cached && cached.version >= row.version ? cached : this.cached(row);
      }
    }
    return this.fromProvider(connectionId, externalId);
  }

  private async cached(row: CallRow): Promise<CallView> {
    const view = toCallView(row);
    await this.cache.putMany([view]);
    return view;
  }

  private async fromProvider(connectionId: string, externalId: string): Promise<CallView> {
    const { connection, adapter, capabilities } = await this.adapters.forId(connectionId);
    // Without a CallLookup the provider cannot be asked: a call not stored here is not found.
    if (!capabilities.has('callLookup') || !hasCapability(adapter, 'callLookup'))
      throw notFound(
        `${externalId} in connection ${connectionId} (the ${connection.providerType} plugin cannot look calls up)`,
      );
    let call;
    try {
      call = await adapter.getCall(externalId);
    } catch (error) {
      if (error instanceof ProviderError && (error.code === 'not_found' || error.status === 404)) {
        throw notFound(`${externalId} at ${connection.providerType}`);
      }
      throw error;
    }
    const [stored] = await this.store.store([
      toCallEventRow({
        connectionId,
        provider: connection.providerType,
        source: 'sync',
        event: { type: 'call.updated', occurredAt: new Date(), call },
      }),
    ]);
    if (!stored) throw notFound(externalId);
    await this.cache.putSerialized([{ id: stored.id, version: stored.version, json: stored.viewJson }]);
    if (stored.newEvents.length > 0) {
      await this.live
        .publishSerialized([
          { type: 'call.updated', eventTypes: ['call.updated'], callJson: stored.viewJson },
        ])
        .catch(() => undefined);
    }
    return JSON.parse(stored.viewJson) as CallView;
  }
}
