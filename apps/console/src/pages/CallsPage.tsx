import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api';
import { EmptyState, ErrorState, Loading, StatusBadge } from '../components';
import { fmtDateTime, fmtMoney, fmtTime, localToIso } from '../format';
import { subscribeLiveCalls, type LiveCallEvent, type LiveState } from '../live';
import { href, navigate, replaceQuery, useRoute } from '../route';
import { CALL_STATUSES, type Call, type Connection, type Page, type Plugin } from '../types';

const MAX_ROWS = 200;

/** Calls, newest first, kept up to date from the live stream (pausable), with filters in the URL. */
export function CallsPage() {
  const { query: params } = useRoute();
  const filters = {
    provider: params.get('provider') ?? '',
    connection: params.get('connection') ?? '',
    status: params.get('status') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    number: params.get('number') ?? '',
  };
  const setFilter = (name: keyof typeof filters, value: string) =>
    replaceQuery({ ...filters, [name]: value });
  const serverFilter = { provider: filters.provider, connection: filters.connection, status: filters.status };
  const key = JSON.stringify(serverFilter);

  const plugins = useQuery({
    queryKey: ['plugins'],
    queryFn: () => api<{ plugins: Plugin[] }>('GET', '/plugins'),
  });
  const connections = useQuery({
    queryKey: ['connections'],
    queryFn: () => api<{ items: Connection[] }>('GET', '/connections'),
    retry: false, // read-only keys cannot list connections; the filter then takes an id
  });
  // A whole number is searched by the API (all calls it took part in); while it is being typed,
  // the digits so far narrow the rows already shown.
  const fullNumber = filters.number.replace(/\D/g, '').length >= 10 ? filters.number : undefined;
  const list = useQuery({
    queryKey: ['calls', key, filters.from, filters.to, fullNumber],
    queryFn: () =>
      api<Page<Call>>('GET', '/calls', {
        query: {
          ...serverFilter,
          from: localToIso(filters.from),
          to: localToIso(filters.to),
          number: fullNumber,
          limit: 100,
        },
      }),
  });

  const [live, setLive] = useState<Map<string, Call>>(new Map());
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState<LiveCallEvent[]>([]);
  const [state, setState] = useState<{ state: LiveState; detail?: string }>({ state: 'connecting' });
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  // A fixed "to" means a look at the past: no live updates.
  const streaming = !filters.to;

  useEffect(() => {
    setLive(new Map());
    setHeld([]);
    if (!streaming) return;
    return subscribeLiveCalls(serverFilter, {
      onEvent: (event) => (pausedRef.current ? setHeld((h) => [...h, event]) : apply([event])),
      onState: (s, detail) => setState({ state: s, detail }),
    });
  }, [key, streaming]);

  const apply = (events: LiveCallEvent[]) => {
    setLive((current) => {
      const next = new Map(current);
      for (const { call } of events) {
        const known = next.get(call.id);
        if (!known || known.version <= call.version) next.set(call.id, call);
      }
      return next;
    });
    setFresh(new Set(events.map((e) => e.call.id)));
  };

  const resume = () => {
    setPaused(false);
    apply(held);
    setHeld([]);
  };

  const rows = useMemo(() => {
    const byId = new Map<string, Call>();
    for (const call of list.data?.items ?? []) byId.set(call.id, call);
    for (const call of live.values()) {
      const known = byId.get(call.id);
      if (!known || known.version <= call.version) byId.set(call.id, call);
    }
    const from = localToIso(filters.from);
    const number = filters.number.replace(/[^\d+]/g, '');
    return [...byId.values()]
      .filter((c) => !from || (c.startedAt ?? c.createdAt) >= from)
      .filter(
        (c) =>
          !number ||
          [c.callerNumber, c.trackingNumber, c.destinationNumber].some((n) =>
            n?.replace(/[^\d+]/g, '').includes(number),
          ),
      )
      .sort((a, b) => (b.startedAt ?? b.createdAt).localeCompare(a.startedAt ?? a.createdAt))
      .slice(0, MAX_ROWS);
  }, [list.data, live, filters.from, filters.number]);

  return (
    <section>
      <div className="page-head">
        <h1>Calls</h1>
        <div className="live-controls">
          {streaming ? (
            <>
              <span className={`live-dot live-${paused ? 'paused' : state.state}`} aria-hidden="true" />
              <span role="status" aria-live="polite" className="live-state">
                {paused
                  ? `Paused${held.length ? ` · ${held.length} update${held.length === 1 ? '' : 's'} waiting` : ''}`
                  : state.state === 'live'
                    ? 'Live'
                    : state.state === 'stopped' && state.detail
                      ? `Stopped: ${state.detail}`
                      : state.state === 'reconnecting'
                        ? 'Reconnecting…'
                        : 'Connecting…'}
              </span>
              <button
                type="button"
                className="secondary outline"
                onClick={() => (paused ? resume() : setPaused(true))}
              >
                {paused ? 'Resume' : 'Pause'}
              </button>
            </>
          ) : (
            <span className="live-state">Live updates off while “to” is set</span>
          )}
        </div>
      </div>

      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter calls">
        <label>
          Provider
          <select value={filters.provider} onChange={(e) => setFilter('provider', e.target.value)}>
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
          {connections.data ? (
            <select value={filters.connection} onChange={(e) => setFilter('connection', e.target.value)}>
              <option value="">All</option>
              {connections.data.items.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          ) : (
            <input
              value={filters.connection}
              placeholder="connection id"
              onChange={(e) => setFilter('connection', e.target.value)}
            />
          )}
        </label>
        <label>
          Status
          <select value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">All</option>
            {CALL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input
            type="datetime-local"
            value={filters.from}
            onChange={(e) => setFilter('from', e.target.value)}
          />
        </label>
        <label>
          To
          <input type="datetime-local" value={filters.to} onChange={(e) => setFilter('to', e.target.value)} />
        </label>
        <label>
          Number
          <input
            type="search"
            inputMode="tel"
            value={filters.number}
            placeholder="caller, tracking or destination"
            onChange={(e) => setFilter('number', e.target.value)}
          />
        </label>
      </form>

      {list.isPending ? (
        <Loading label="Loading calls…" />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState title="No calls match.">
          <p>
            {Object.values(filters).some(Boolean)
              ? 'Clear a filter, or wait: new calls appear here as they arrive.'
              : 'Calls appear here live as providers send webhooks. Check that a connection exists and the provider has its setup templates.'}
          </p>
        </EmptyState>
      ) : (
        <div className="table-scroll calls-table">
          <table className="striped fixed">
            <colgroup>
              <col style={{ width: '11rem' }} />
              <col style={{ width: '7rem' }} />
              <col style={{ width: '8rem' }} />
              <col style={{ width: '10rem' }} />
              <col style={{ width: '11.5rem' }} />
              <col />
              <col style={{ width: '7rem' }} />
              <col style={{ width: '7rem' }} />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Provider</th>
                <th scope="col">Status</th>
                <th scope="col">Caller</th>
                <th scope="col">Tracking number</th>
                <th scope="col">Campaign</th>
                <th scope="col">Duration</th>
                <th scope="col">Revenue</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr
                  key={c.id}
                  className={fresh.has(c.id) ? 'fresh' : undefined}
                  data-call-id={c.id}
                  onClick={(e) => {
                    if (!(e.target as HTMLElement).closest('a')) navigate(`calls/${c.id}`);
                  }}
                >
                  <td>
                    <a href={href(`calls/${c.id}`)} title={fmtDateTime(c.startedAt)}>
                      {fmtTime(c.startedAt ?? c.createdAt)}
                    </a>
                  </td>
                  <td>{c.provider}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td className="mono">{c.callerNumber ?? '—'}</td>
                  <td className="mono">{c.trackingNumber ?? '—'}</td>
                  <td className="ellipsis">{c.campaignName ?? c.campaignExternalId ?? '—'}</td>
                  <td className="num">{c.durationSeconds !== null ? `${c.durationSeconds} s` : '—'}</td>
                  <td className="num">{fmtMoney(c.revenue)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length >= MAX_ROWS && (
        <small>Showing the newest {MAX_ROWS}. Narrow the filters to see older calls.</small>
      )}
    </section>
  );
}
