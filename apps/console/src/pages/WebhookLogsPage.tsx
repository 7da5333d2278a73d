import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { ConfirmButton, EmptyState, ErrorState, Json, Loading, StatusBadge } from '../components';
import { fmtDateTime, fmtTime, localToIso, prettyBody } from '../format';
import { replaceQuery, useRoute } from '../route';
import {
  WEBHOOK_STATUSES,
  type Connection,
  type Page,
  type Plugin,
  type ReplayResult,
  type WebhookLog,
} from '../types';

/** The webhook inbox: find what failed, read it (secrets already stripped), replay it. */
export function WebhookLogsPage() {
  const queryClient = useQueryClient();
  const { query: params } = useRoute();
  const filters = {
    status: params.get('status') ?? '',
    provider: params.get('provider') ?? '',
    connection: params.get('connection') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const selected = params.get('id') ?? undefined;
  const setParam = (name: string, value: string | undefined) =>
    replaceQuery({ ...filters, id: selected, [name]: value });
  const apiFilter = {
    status: filters.status,
    provider: filters.provider,
    connection: filters.connection,
    from: localToIso(filters.from),
    to: localToIso(filters.to),
  };
  const [replayResult, setReplayResult] = useState<{ what: string; result: ReplayResult }>();
  const [replayError, setReplayError] = useState<unknown>();

  const plugins = useQuery({
    queryKey: ['plugins'],
    queryFn: () => api<{ plugins: Plugin[] }>('GET', '/plugins'),
  });
  const connections = useQuery({
    queryKey: ['connections'],
    queryFn: () => api<{ items: Connection[] }>('GET', '/connections'),
  });
  const names = new Map(connections.data?.items.map((c) => [c.id, c.name]));
  const logs = useInfiniteQuery({
    queryKey: ['webhook-logs', apiFilter],
    queryFn: ({ pageParam }) =>
      api<Page<WebhookLog>>('GET', '/webhook-logs', {
        query: { ...apiFilter, cursor: pageParam, limit: 50 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: 10_000,
  });
  const detail = useQuery({
    queryKey: ['webhook-log', selected],
    queryFn: () => api<WebhookLog>('GET', `/webhook-logs/${selected}`),
    enabled: !!selected,
    refetchInterval: (q) =>
      q.state.data && ['queued', 'received'].includes(q.state.data.status) ? 1_000 : false,
  });

  const afterReplay = async (what: string, result: ReplayResult) => {
    setReplayError(undefined);
    setReplayResult({ what, result });
    await queryClient.invalidateQueries({ queryKey: ['webhook-logs'] });
    await queryClient.invalidateQueries({ queryKey: ['webhook-log'] });
  };
  const replayOne = async (id: string) => {
    try {
      await afterReplay('This request', await api<ReplayResult>('POST', `/webhook-logs/${id}/replay`));
    } catch (error) {
      setReplayError(error);
    }
  };
  const replayMatching = async () => {
    try {
      const { from, to, status, provider, connection } = apiFilter;
      const body = Object.fromEntries(
        Object.entries({ from, to, status: status || 'failed', provider, connection }).filter(([, v]) => v),
      );
      await afterReplay(
        'Matching requests',
        await api<ReplayResult>('POST', '/webhook-logs/replay', { body }),
      );
    } catch (error) {
      setReplayError(error);
    }
  };

  const rows = logs.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section>
      <div className="page-head">
        <h1>Webhook logs</h1>
        <ConfirmButton
          label="Replay all matching"
          title="Replay every request matching these filters?"
          confirmLabel="Replay"
          onConfirm={replayMatching}
        >
          <p>
            Requests with status “{filters.status || 'failed'}”
            {filters.provider && ` from ${filters.provider}`}
            {filters.connection && ` for ${names.get(filters.connection) ?? filters.connection}`} go back on
            the queue, oldest first. Replays are idempotent: a call never counts twice.
          </p>
        </ConfirmButton>
      </div>
      <div role="status" aria-live="polite" className="notice">
        {replayResult &&
          `${replayResult.what}: ${replayResult.result.replayed} put back on the queue${replayResult.result.skipped ? `, ${replayResult.result.skipped} skipped (already running)` : ''}.`}
      </div>
      {replayError !== undefined && <ErrorState error={replayError} />}

      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter webhook logs">
        <label>
          Status
          <select name="status" value={filters.status} onChange={(e) => setParam('status', e.target.value)}>
            <option value="">All</option>
            {WEBHOOK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Provider
          <select value={filters.provider} onChange={(e) => setParam('provider', e.target.value)}>
            <option value="">All</option>
            {plugins.data?.plugins.map((p) => (
              <option key={p.provider} value={p.provider}>
                {p.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          Connection
          <select value={filters.connection} onChange={(e) => setParam('connection', e.target.value)}>
            <option value="">All</option>
            {connections.data?.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            type="datetime-local"
            value={filters.from}
            onChange={(e) => setParam('from', e.target.value)}
          />
        </label>
        <label>
          To
          <input type="datetime-local" value={filters.to} onChange={(e) => setParam('to', e.target.value)} />
        </label>
      </form>

      <div className={selected ? 'split' : undefined}>
        <div>
          {logs.isPending ? (
            <Loading />
          ) : logs.isError ? (
            <ErrorState error={logs.error} onRetry={() => void logs.refetch()} />
          ) : rows.length === 0 ? (
            <EmptyState title="No webhook requests match.">
              <p>
                {filters.status === 'failed'
                  ? 'Nothing has failed. 🎉'
                  : 'Requests appear once a provider calls a connection’s webhook URL. Clear a filter to see more.'}
              </p>
            </EmptyState>
          ) : (
            <div className="table-scroll">
              <table className="striped fixed selectable">
                <colgroup>
                  <col style={{ width: '8rem' }} />
                  <col style={{ width: '6.5rem' }} />
                  <col />
                  <col style={{ width: '7rem' }} />
                  <col style={{ width: '4.5rem' }} />
                  <col style={{ width: '8rem' }} />
                </colgroup>
                <thead>
                  <tr>
                    <th scope="col">Received</th>
                    <th scope="col">Provider</th>
                    <th scope="col">Connection · event</th>
                    <th scope="col">Status</th>
                    <th scope="col">HTTP</th>
                    <th scope="col">Verification</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id} aria-selected={r.id === selected} data-log-id={r.id}>
                      <td>
                        <a
                          href="#"
                          onClick={(e) => {
                            e.preventDefault();
                            setParam('id', r.id);
                          }}
                          title={fmtDateTime(r.receivedAt)}
                        >
                          {fmtTime(r.receivedAt)}
                        </a>
                      </td>
                      <td>{r.provider}</td>
                      <td className="ellipsis">
                        {r.connectionId ? (names.get(r.connectionId) ?? r.connectionId.slice(0, 8)) : '—'} ·{' '}
                        {r.eventType ?? r.method}
                        {r.error && <small className="row-error"> — {r.error}</small>}
                      </td>
                      <td>
                        <StatusBadge status={r.status} />
                      </td>
                      <td className="num">{r.httpStatus}</td>
                      <td className="ellipsis">{r.verification}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {logs.hasNextPage && (
            <button
              type="button"
              className="secondary outline"
              aria-busy={logs.isFetchingNextPage}
              onClick={() => void logs.fetchNextPage()}
            >
              Load older
            </button>
          )}
        </div>
        {selected && (
          <aside aria-label="Webhook request" className="log-detail">
            <div className="page-head">
              <h2>Request</h2>
              <button
                type="button"
                className="secondary outline"
                onClick={() => setParam('id', undefined)}
                aria-label="Close the request"
              >
                Close
              </button>
            </div>
            {detail.isPending ? (
              <Loading />
            ) : detail.isError ? (
              <ErrorState error={detail.error} />
            ) : (
              <>
                <dl className="fields">
                  <dt>Status</dt>
                  <dd>
                    <StatusBadge status={detail.data.status} /> HTTP {detail.data.httpStatus} ·{' '}
                    {detail.data.attempts} attempt
                    {detail.data.attempts === 1 ? '' : 's'}
                  </dd>
                  {detail.data.error && (
                    <>
                      <dt>Error</dt>
                      <dd className="row-error">{detail.data.error}</dd>
                    </>
                  )}
                  {detail.data.mappingWarnings && detail.data.mappingWarnings.length > 0 && (
                    <>
                      <dt>Mapping warnings</dt>
                      <dd>
                        <ul className="plain">
                          {detail.data.mappingWarnings.map((w, i) => (
                            <li key={i}>
                              {w.field}
                              {w.source ? ` (from ${w.source})` : ''}: {w.reason} — value “{w.value}”
                            </li>
                          ))}
                        </ul>
                      </dd>
                    </>
                  )}
                  <dt>Verification</dt>
                  <dd>{detail.data.verification}</dd>
                  <dt>Received</dt>
                  <dd>{fmtDateTime(detail.data.receivedAt)}</dd>
                  <dt>Processed</dt>
                  <dd>{fmtDateTime(detail.data.processedAt)}</dd>
                  <dt>Source</dt>
                  <dd>{detail.data.sourceIp ?? '—'}</dd>
                  <dt>Event</dt>
                  <dd>
                    {detail.data.eventType ?? '—'} {detail.data.eventId && <code>{detail.data.eventId}</code>}
                  </dd>
                </dl>
                {['failed', 'processed', 'ignored'].includes(detail.data.status) && (
                  <button type="button" onClick={() => void replayOne(detail.data.id)}>
                    Replay this request
                  </button>
                )}
                <h3>
                  {detail.data.method} body <small>{detail.data.contentType ?? ''}</small>
                </h3>
                <Json
                  value={
                    detail.data.bodyEncoding === 'base64'
                      ? `(binary, base64) ${detail.data.body}`
                      : prettyBody(detail.data.body, detail.data.contentType)
                  }
                />
                <h3>Headers</h3>
                <Json
                  value={
                    Object.entries(detail.data.headers)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join('\n') || '(none)'
                  }
                />
                {Object.keys(detail.data.query).length > 0 && (
                  <>
                    <h3>Query</h3>
                    <Json value={detail.data.query} />
                  </>
                )}
              </>
            )}
          </aside>
        )}
      </div>
    </section>
  );
}
