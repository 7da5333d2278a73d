import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { CopyButton, EmptyState, ErrorState, Loading, StatusBadge } from '../components';
import { fmtDateTime } from '../format';
import { href } from '../route';
import type { Connection } from '../types';

export function ConnectionsPage() {
  const query = useQuery({
    queryKey: ['connections'],
    queryFn: () => api<{ items: Connection[] }>('GET', '/connections'),
  });
  return (
    <section>
      <div className="page-head">
        <h1>Connections</h1>
        <a role="button" href={href('connections/new')}>
          New connection
        </a>
      </div>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <EmptyState title="No connections yet.">
          <p>
            A connection holds one provider account’s credentials and gives it a webhook URL.{' '}
            <a href={href('connections/new')}>Create the first one</a>.
          </p>
        </EmptyState>
      ) : (
        <div className="table-scroll">
          <table className="striped">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Provider</th>
                <th scope="col">Mode</th>
                <th scope="col">State</th>
                <th scope="col">Webhook URL</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {query.data.items.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <a href={href(`connections/${c.id}`)}>{c.name}</a>
                  </th>
                  <td>{c.provider}</td>
                  <td>
                    <StatusBadge status={c.mode} />
                  </td>
                  <td>
                    <StatusBadge status={c.active ? 'active' : 'inactive'} />
                  </td>
                  <td className="url-cell">
                    <code>{c.webhookUrl}</code> <CopyButton text={c.webhookUrl} />
                  </td>
                  <td>{fmtDateTime(c.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
