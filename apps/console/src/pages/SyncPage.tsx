import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { EmptyState, ErrorState, Loading, StatusBadge } from '../components';
import { fmtAgo, fmtDateTime, fmtSeconds } from '../format';
import { replaceQuery, useRoute } from '../route';
import type { Connection, ConnectionSync, SyncRun } from '../types';

const KINDS: Array<{ kind: SyncRun['kind']; path: string; label: string; help: string }> = [
  {
    kind: 'backfill',
    path: 'backfills',
    label: 'Backfill',
    help: 'Import the provider’s call history over the window (resumable, a day per chunk).',
  },
  {
    kind: 'recovery',
    path: 'recoveries',
    label: 'Missed-webhook recovery',
    help: 'Process calls whose webhooks never reached Switchboard, as if they had.',
  },
  {
    kind: 'consistency',
    path: 'consistency-checks',
    label: 'Consistency check',
    help: 'Compare stored calls with the provider, field by field. Writes nothing.',
  },
  {
    kind: 'parallel_run',
    path: 'parallel-run-reports',
    label: 'Parallel-run report',
    help: 'For a shadow connection: what its webhooks said against the provider’s API.',
  },
];
const ACTIVE = ['queued', 'running'];

function dayInput(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Per connection: the scheduled sync, runs over a window (backfill, recovery, checks), their reports. */
export function SyncPage() {
  const queryClient = useQueryClient();
  const { query: params } = useRoute();
  const connections = useQuery({
    queryKey: ['connections'],
    queryFn: () => api<{ items: Connection[] }>('GET', '/connections'),
  });
  const connectionId = params.get('connection') || connections.data?.items[0]?.id || '';
  const selectedRun = params.get('run') ?? undefined;
  const sync = useQuery({
    queryKey: ['sync', connectionId],
    queryFn: () => api<ConnectionSync>('GET', `/connections/${connectionId}/sync`),
    enabled: connectionId !== '',
    refetchInterval: (q) => (q.state.data?.recentRuns.some((r) => ACTIVE.includes(r.state)) ? 1_000 : 10_000),
  });
  const [kind, setKind] = useState<SyncRun['kind']>('backfill');
  const [from, setFrom] = useState(dayInput(-7));
  const [to, setTo] = useState(dayInput(1));
  const [startError, setStartError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();

  const refresh = () => queryClient.invalidateQueries({ queryKey: ['sync', connectionId] });
  const start = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setStartError(undefined);
    try {
      const spec = KINDS.find((k) => k.kind === kind)!;
      const run = await api<SyncRun>('POST', `/connections/${connectionId}/${spec.path}`, {
        body: { from, to },
      });
      setNotice(`${spec.label} queued.`);
      replaceQuery({ connection: connectionId, run: run.id });
      await refresh();
    } catch (error) {
      setStartError(error);
    } finally {
      setBusy(false);
    }
  };
  const syncNow = async () => {
    try {
      await api('POST', `/connections/${connectionId}/sync`);
      setNotice('Scheduled sync queued; its state updates below.');
      await refresh();
    } catch (error) {
      setStartError(error);
    }
  };
  const cancel = async (id: string) => {
    try {
      await api('DELETE', `/sync-runs/${id}`);
      await refresh();
    } catch (error) {
      setStartError(error);
    }
  };

  if (connections.isPending) return <Loading />;
  if (connections.isError)
    return <ErrorState error={connections.error} onRetry={() => void connections.refetch()} />;
  if (connections.data.items.length === 0)
    return (
      <section>
        <h1>Sync</h1>
        <EmptyState title="No connections yet.">
          <p>Sync reads a provider’s call history through its API. Create a connection first.</p>
        </EmptyState>
      </section>
    );

  const runs = sync.data?.recentRuns ?? [];
  const run = runs.find((r) => r.id === selectedRun);
  const s = sync.data?.scheduled;

  return (
    <section>
      <div className="page-head">
        <h1>Sync</h1>
        <label className="inline-select">
          Connection{' '}
          <select value={connectionId} onChange={(e) => replaceQuery({ connection: e.target.value })}>
            {connections.data.items.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.provider})
              </option>
            ))}
          </select>
        </label>
      </div>
      <div role="status" aria-live="polite" className="notice">
        {notice}
      </div>
      {startError !== undefined && <ErrorState error={startError} />}

      <div className="grid">
        <article>
          <header>
            <h2>Scheduled sync</h2>
          </header>
          {sync.isPending ? (
            <Loading />
          ) : sync.isError ? (
            <ErrorState error={sync.error} onRetry={() => void sync.refetch()} />
          ) : (
            <>
              <dl className="fields">
                <dt>State</dt>
                <dd>
                  <StatusBadge status={s!.state} />
                </dd>
                <dt>Last success</dt>
                <dd>{fmtAgo(s!.lastSuccessAt)}</dd>
                <dt>Synced up to</dt>
                <dd>{fmtDateTime(s!.highWaterMark)}</dd>
                {s!.lastRun && (
                  <>
                    <dt>Last run</dt>
                    <dd>
                      {s!.lastRun.seen} seen, {s!.lastRun.changed} changed, {s!.lastRun.skipped} skipped
                    </dd>
                  </>
                )}
                {s!.error && (
                  <>
                    <dt>Error</dt>
                    <dd className="row-error">{s!.error}</dd>
                  </>
                )}
              </dl>
              <button type="button" className="secondary" onClick={() => void syncNow()}>
                Sync now
              </button>
            </>
          )}
        </article>
        <article>
          <header>
            <h2>Run over a window</h2>
          </header>
          <form onSubmit={(e) => void start(e)}>
            <label htmlFor="run-kind">Kind</label>
            <select id="run-kind" value={kind} onChange={(e) => setKind(e.target.value as SyncRun['kind'])}>
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
            <small>{KINDS.find((k) => k.kind === kind)?.help}</small>
            <div className="grid">
              <label>
                From
                <input
                  type="date"
                  name="from"
                  value={from}
                  onChange={(e) => setFrom(e.target.value)}
                  required
                />
              </label>
              <label>
                To (exclusive)
                <input type="date" name="to" value={to} onChange={(e) => setTo(e.target.value)} required />
              </label>
            </div>
            <button type="submit" aria-busy={busy}>
              Start
            </button>
          </form>
        </article>
      </div>

      <article>
        <header>
          <h2>Recent runs</h2>
        </header>
        {runs.length === 0 ? (
          <p>No runs yet for this connection. Start a backfill above to import its history.</p>
        ) : (
          <div className="table-scroll">
            <table className="striped fixed">
              <colgroup>
                <col style={{ width: '11rem' }} />
                <col style={{ width: '8rem' }} />
                <col />
                <col style={{ width: '12rem' }} />
                <col style={{ width: '12rem' }} />
                <col style={{ width: '6rem' }} />
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">State</th>
                  <th scope="col">Progress</th>
                  <th scope="col">Calls</th>
                  <th scope="col">Window</th>
                  <th scope="col" aria-label="Actions" />
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => (
                  <tr key={r.id} data-run-id={r.id} aria-selected={r.id === selectedRun}>
                    <td>
                      <a
                        href="#"
                        onClick={(e) => {
                          e.preventDefault();
                          replaceQuery({ connection: connectionId, run: r.id });
                        }}
                      >
                        {KINDS.find((k) => k.kind === r.kind)?.label ?? r.kind}
                      </a>
                    </td>
                    <td>
                      <StatusBadge status={r.state} />
                    </td>
                    <td>
                      <progress
                        value={r.progress.percent}
                        max={100}
                        aria-label={`${r.progress.percent}% done`}
                      />
                      <small>
                        {r.chunks.done}/{r.chunks.total} chunks · {r.progress.percent}%
                        {ACTIVE.includes(r.state) && r.progress.etaSeconds !== null
                          ? ` · ${fmtSeconds(r.progress.etaSeconds)} left`
                          : ''}
                      </small>
                    </td>
                    <td className="num">
                      {r.calls.seen} seen · {r.calls.created} new · {r.calls.updated} upd.
                    </td>
                    <td>
                      <small>
                        {r.from.slice(0, 10)} → {r.to.slice(0, 10)}
                      </small>
                    </td>
                    <td>
                      {ACTIVE.includes(r.state) && !r.cancelRequested && (
                        <button
                          type="button"
                          className="secondary outline copy"
                          onClick={() => void cancel(r.id)}
                        >
                          Cancel
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </article>
      {run && <RunReport run={run} />}
    </section>
  );
}

function RunReport({ run }: { run: SyncRun }) {
  const r = run.report;
  return (
    <article aria-label="Run report">
      <header>
        <h2>
          Report <StatusBadge status={run.state} />
        </h2>
        <small>
          {fmtDateTime(run.startedAt)} → {fmtDateTime(run.finishedAt)}
          {run.requestedBy ? ` · requested by ${run.requestedBy}` : ''}
        </small>
      </header>
      {run.error && <p className="row-error">{run.error}</p>}
      {!r ? (
        <p>The report fills in as chunks finish.</p>
      ) : (
        <>
          <ul>
            {r.matching !== undefined && <li>{r.matching} calls match</li>}
            {r.missingHere && <li>{r.missingHere.total} at the provider but not here</li>}
            {r.missingAtProvider && <li>{r.missingAtProvider.total} here but not at the provider</li>}
            {r.fieldMismatches && <li>{r.fieldMismatches.total} calls with different fields</li>}
            {r.created && <li>{r.created.total} missed calls created</li>}
            {r.completed && <li>{r.completed.total} calls completed</li>}
            {r.skipped && <li>{r.skipped.total} provider records skipped (could not be mapped)</li>}
          </ul>
          {r.missingHere && r.missingHere.ids.length > 0 && (
            <details>
              <summary>Missing here ({r.missingHere.total})</summary>
              <p className="mono">{r.missingHere.ids.join(', ')}</p>
            </details>
          )}
          {r.missingAtProvider && r.missingAtProvider.ids.length > 0 && (
            <details>
              <summary>Missing at the provider ({r.missingAtProvider.total})</summary>
              <p className="mono">{r.missingAtProvider.ids.join(', ')}</p>
            </details>
          )}
          {r.fieldMismatches && r.fieldMismatches.calls.length > 0 && (
            <div className="table-scroll">
              <table className="striped">
                <thead>
                  <tr>
                    <th scope="col">Call</th>
                    <th scope="col">Field</th>
                    <th scope="col">Here</th>
                    <th scope="col">Provider</th>
                  </tr>
                </thead>
                <tbody>
                  {r.fieldMismatches.calls.flatMap((c) =>
                    c.differences.map((d) => (
                      <tr key={`${c.externalId}-${d.field}`}>
                        <td className="mono">{c.externalId}</td>
                        <td>{d.field}</td>
                        <td className="mono">{JSON.stringify(d.ours)}</td>
                        <td className="mono">{JSON.stringify(d.theirs)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </article>
  );
}
