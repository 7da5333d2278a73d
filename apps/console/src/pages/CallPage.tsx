import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { ErrorState, Json, Loading, StatusBadge } from '../components';
import { fmtDateTime } from '../format';
import { href } from '../route';
import { useSession } from '../session';
import type { Call, CallTimeline } from '../types';

const FIELDS: Array<[keyof Call, string]> = [
  ['status', 'Status'],
  ['externalId', 'Provider call id'],
  ['callerNumber', 'Caller'],
  ['trackingNumber', 'Tracking number'],
  ['destinationNumber', 'Destination'],
  ['campaignName', 'Campaign'],
  ['campaignExternalId', 'Campaign id'],
  ['startedAt', 'Started'],
  ['answeredAt', 'Answered'],
  ['endedAt', 'Ended'],
  ['durationSeconds', 'Duration (s)'],
  ['connectedDurationSeconds', 'Connected (s)'],
  ['converted', 'Converted'],
  ['revenue', 'Revenue'],
  ['payout', 'Payout'],
  ['cost', 'Cost'],
  ['recordingUrl', 'Recording'],
  ['lastSyncedAt', 'Last synced'],
];

/** One call: its normalized fields (with the event each value came from), its timeline, raw data. */
export function CallPage({ id }: { id: string }) {
  const session = useSession();
  const call = useQuery({
    queryKey: ['call', id],
    queryFn: () => api<Call>('GET', `/calls/${encodeURIComponent(id)}`),
    refetchInterval: 10_000,
  });
  const timeline = useQuery({
    queryKey: ['timeline', id],
    queryFn: () => api<CallTimeline>('GET', `/calls/${encodeURIComponent(id)}/timeline`),
    refetchInterval: 10_000,
  });
  if (call.isPending) return <Loading />;
  if (call.isError) return <ErrorState error={call.error} onRetry={() => void call.refetch()} />;
  const c = call.data;
  const sources = timeline.data?.fieldSources ?? {};
  // The mapper's warnings (values present but unusable) are kept on each event's data.
  const warnings = (timeline.data?.events ?? []).flatMap((e) => {
    const list = (e.data as { mapping_warnings?: unknown } | null)?.mapping_warnings;
    return Array.isArray(list)
      ? list.map((w: { field?: string; source?: string; reason?: string; value?: string }) => ({
          event: e.eventType,
          text: `${w.field ?? '?'}${w.source ? ` (from ${w.source})` : ''}: ${w.reason ?? 'not used'}${w.value !== undefined ? ` — value “${w.value}”` : ''}`,
        }))
      : [];
  });

  return (
    <section>
      <nav aria-label="breadcrumb">
        <ul>
          <li>
            <a href={href('calls')}>Calls</a>
          </li>
          <li>{c.externalId}</li>
        </ul>
      </nav>
      <div className="page-head">
        <h1>
          Call {c.externalId} <StatusBadge status={c.status} />
        </h1>
        <small>
          {c.provider} · version {c.version} · updated {fmtDateTime(c.updatedAt)}
        </small>
      </div>
      {warnings.length > 0 && (
        <article className="warnings" role="note">
          <h2>Mapping warnings</h2>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>
                {w.event}: {w.text}
              </li>
            ))}
          </ul>
        </article>
      )}
      <div className="grid call-grid">
        <article>
          <header>
            <h2>Fields</h2>
          </header>
          <table className="fields-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Value</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {FIELDS.map(([key, label]) => {
                const value = c[key];
                const source = sources[key];
                return (
                  <tr key={key}>
                    <th scope="row">{label}</th>
                    <td className="mono">
                      {value === null || value === undefined ? (
                        '—'
                      ) : key.endsWith('At') ? (
                        fmtDateTime(String(value))
                      ) : key === 'recordingUrl' ? (
                        <a href={String(value)} rel="noreferrer noopener" target="_blank">
                          recording
                        </a>
                      ) : (
                        String(value)
                      )}
                    </td>
                    <td>
                      <small>{source ? `${source.source ?? 'event'} ${source.eventType ?? ''}` : ''}</small>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {Object.keys(c.tags).length > 0 && (
            <>
              <h3>Tags</h3>
              <Json value={c.tags} />
            </>
          )}
        </article>
        <article>
          <header>
            <h2>Timeline</h2>
          </header>
          {timeline.isPending ? (
            <Loading />
          ) : timeline.isError ? (
            <ErrorState error={timeline.error} onRetry={() => void timeline.refetch()} />
          ) : timeline.data.events.length === 0 ? (
            <p>No events are stored for this call.</p>
          ) : (
            <ol className="timeline" aria-label="Call events, oldest first">
              {timeline.data.events.map((e) => (
                <li key={e.id}>
                  <div className="timeline-head">
                    <StatusBadge status={e.source} /> <strong>{e.eventType}</strong>{' '}
                    <time dateTime={e.occurredAt}>{fmtDateTime(e.occurredAt)}</time>
                  </div>
                  {e.webhookLogId && session.can('admin') && (
                    <a href={href('webhooks', { id: e.webhookLogId })}>webhook request</a>
                  )}
                  <details>
                    <summary>Event data</summary>
                    <Json value={e.data} />
                  </details>
                </li>
              ))}
            </ol>
          )}
        </article>
      </div>
      <article>
        <details>
          <summary>
            <strong>Raw provider data</strong> (newest payload)
          </summary>
          <Json value={c.providerData} />
        </details>
      </article>
    </section>
  );
}
