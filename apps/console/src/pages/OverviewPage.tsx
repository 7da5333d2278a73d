import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { EmptyState, ErrorState, Loading, StatusBadge } from '../components';
import { fmtAgo, fmtSeconds, fmtTime } from '../format';
import { href } from '../route';
import { useSession } from '../session';
import type { Overview } from '../types';

const REFRESH_MS = 5_000;

export function OverviewPage() {
  const session = useSession();
  const query = useQuery({
    queryKey: ['overview'],
    queryFn: () => api<Overview>('GET', '/overview'),
    refetchInterval: REFRESH_MS,
  });
  if (query.isPending) return <Loading label="Loading the overview…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const o = query.data;
  const total = o.connections.reduce(
    (t, c) => ({
      received: t.received + c.received,
      rejected: t.rejected + c.rejected,
      failed: t.failed + c.failed,
      pending: t.pending + c.pending,
    }),
    { received: 0, rejected: 0, failed: 0, pending: 0 },
  );
  const failedJobs = o.queues?.reduce((n, q) => n + q.failed, 0);

  return (
    <section>
      <div className="page-head">
        <h1>Overview</h1>
        <small aria-live="off">
          Last {o.windowMinutes} minutes · refreshed {fmtTime(o.generatedAt)} (every {REFRESH_MS / 1000} s)
        </small>
      </div>

      <div className="stats" role="list">
        <Stat label="Webhooks received" value={total.received} />
        <Stat label="Rejected" value={total.rejected} tone={total.rejected ? 'warn' : undefined} />
        <Stat
          label="Failed"
          value={total.failed}
          tone={total.failed ? 'bad' : undefined}
          link={total.failed && session.can('admin') ? href('webhooks', { status: 'failed' }) : undefined}
        />
        <Stat label="Waiting to process" value={total.pending} />
        <Stat label="Failed jobs" value={failedJobs ?? '—'} tone={failedJobs ? 'bad' : undefined} />
      </div>

      <article>
        <header>
          <h2>Received vs processed per minute</h2>
        </header>
        <ActivityChart series={o.series} />
      </article>

      <article>
        <header>
          <h2>Connections</h2>
        </header>
        {o.connections.length === 0 ? (
          <EmptyState title="No connections yet.">
            {session.can('admin') ? (
              <p>
                <a href={href('connections/new')}>Add a connection</a> for a provider; its webhooks then show
                up here.
              </p>
            ) : (
              <p>An operator with the admin scope adds connections.</p>
            )}
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="striped numeric">
              <thead>
                <tr>
                  <th scope="col">Connection</th>
                  <th scope="col">Provider</th>
                  <th scope="col">Received</th>
                  <th scope="col">Rejected</th>
                  <th scope="col">Processed</th>
                  <th scope="col">Failed</th>
                  <th scope="col">Waiting</th>
                  <th scope="col">Lag avg / max</th>
                  <th scope="col">Last webhook</th>
                  <th scope="col">Sync</th>
                </tr>
              </thead>
              <tbody>
                {o.connections.map((c) => (
                  <tr key={c.connectionId}>
                    <th scope="row">
                      {session.can('admin') ? (
                        <a href={href(`connections/${c.connectionId}`)}>{c.name}</a>
                      ) : (
                        c.name
                      )}
                      {c.mode === 'shadow' && <StatusBadge status="shadow" />}
                      {!c.active && <StatusBadge status="inactive" />}
                    </th>
                    <td>{c.provider}</td>
                    <td>{c.received}</td>
                    <td>{c.rejected}</td>
                    <td>{c.processed}</td>
                    <td>
                      {c.failed > 0 && session.can('admin') ? (
                        <a href={href('webhooks', { status: 'failed', connection: c.connectionId })}>
                          {c.failed}
                        </a>
                      ) : (
                        c.failed
                      )}
                    </td>
                    <td>{c.pending}</td>
                    <td>
                      {fmtSeconds(c.lagSeconds.avg)} / {fmtSeconds(c.lagSeconds.max)}
                    </td>
                    <td>{fmtAgo(c.lastReceivedAt)}</td>
                    <td title={c.sync?.error ?? undefined}>
                      {c.sync ? (
                        <>
                          <StatusBadge status={c.sync.state} /> ok {fmtAgo(c.sync.lastSuccessAt)}
                        </>
                      ) : (
                        'not synced yet'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </article>

      <div className="grid">
        <article>
          <header>
            <h2>Queues</h2>
          </header>
          {o.queues ? (
            <div className="table-scroll">
              <table className="numeric">
                <thead>
                  <tr>
                    <th scope="col">Queue</th>
                    <th scope="col">Waiting</th>
                    <th scope="col">Active</th>
                    <th scope="col">Delayed</th>
                    <th scope="col">Failed</th>
                  </tr>
                </thead>
                <tbody>
                  {o.queues.map((q) => (
                    <tr key={q.name}>
                      <th scope="row">{q.name}</th>
                      <td>{q.waiting}</td>
                      <td>{q.active}</td>
                      <td>{q.delayed}</td>
                      <td>{q.failed}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <ErrorState error={new Error(o.queuesError ?? 'queue depths unavailable')} />
          )}
        </article>
        <article>
          <header>
            <h2>Plugins</h2>
          </header>
          <ul className="plain">
            {o.plugins.loaded.map((p) => (
              <li key={p.provider}>
                <StatusBadge status="loaded" /> {p.displayName} <small>{p.version}</small>
              </li>
            ))}
            {o.plugins.failed.map((p) => (
              <li key={p.package}>
                <StatusBadge status="failed" /> {p.package}: <small>{p.reason}</small>
              </li>
            ))}
          </ul>
          {o.plugins.loaded.length === 0 && (
            <p>No plugin loaded: install a provider plugin package and restart the API and worker.</p>
          )}
        </article>
      </div>
    </section>
  );
}

function Stat({
  label,
  value,
  tone,
  link,
}: {
  label: string;
  value: number | string;
  tone?: 'warn' | 'bad';
  link?: string;
}) {
  return (
    <div role="listitem" className={`stat ${tone ?? ''}`}>
      <span className="stat-value">{link ? <a href={link}>{value}</a> : value}</span>
      <span className="stat-label">{label}</span>
    </div>
  );
}

/** Bars: received per minute; line: processed per minute. Fixed size, so refreshes never shift the page. */
function ActivityChart({ series }: { series: Overview['series'] }) {
  const width = 600;
  const height = 140;
  const max = Math.max(1, ...series.map((s) => Math.max(s.received, s.processed)));
  const step = width / Math.max(series.length, 1);
  const y = (v: number) => height - (v / max) * (height - 10);
  const line = series.map((s, i) => `${(i + 0.5) * step},${y(s.processed)}`).join(' ');
  const received = series.reduce((n, s) => n + s.received, 0);
  const processed = series.reduce((n, s) => n + s.processed, 0);
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Last hour: ${received} webhooks received, ${processed} processed; peak ${max} per minute`}
      >
        {series.map((s, i) => (
          <rect
            key={s.minute}
            className="bar"
            x={i * step + 1}
            width={Math.max(step - 2, 1)}
            y={y(s.received)}
            height={height - y(s.received)}
          >
            <title>{`${fmtTime(s.minute)}: ${s.received} received, ${s.processed} processed`}</title>
          </rect>
        ))}
        <polyline className="line" points={line} fill="none" />
      </svg>
      <figcaption>
        <span className="legend legend-bar" /> received ({received}) <span className="legend legend-line" />{' '}
        processed ({processed}) · peak {max}/min
      </figcaption>
    </figure>
  );
}
