import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import {
  ConfirmButton,
  CopyButton,
  EmptyState,
  ErrorState,
  Loading,
  SecretOnce,
  StatusBadge,
} from '../components';
import { fmtDateTime } from '../format';
import { href, navigate } from '../route';
import type { Connection, WebhookTemplate } from '../types';

export function ConnectionPage({ id }: { id: string }) {
  const queryClient = useQueryClient();
  const path = `/connections/${encodeURIComponent(id)}`;
  const connection = useQuery({ queryKey: ['connection', id], queryFn: () => api<Connection>('GET', path) });
  const templates = useQuery({
    queryKey: ['templates', id],
    queryFn: () => api<{ items: WebhookTemplate[] }>('GET', `${path}/webhook-templates`),
  });
  const [secret, setSecret] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['connection', id] });
    await queryClient.invalidateQueries({ queryKey: ['templates', id] });
    await queryClient.invalidateQueries({ queryKey: ['connections'] });
  };
  const update = useMutation({
    mutationFn: (body: Partial<Pick<Connection, 'mode' | 'active' | 'ipAllowlist'>>) =>
      api<Connection>('PATCH', path, { body }),
    onSuccess: async (_data, body) => {
      setNotice(
        body.mode
          ? `Mode is now ${body.mode}.`
          : body.active !== undefined
            ? body.active
              ? 'Connection activated.'
              : 'Connection deactivated: its webhooks are now refused.'
            : 'IP allowlist saved.',
      );
      await refresh();
    },
  });
  const validate = useMutation({ mutationFn: () => api<{ valid: boolean }>('POST', `${path}/validate`) });
  const [allowlist, setAllowlist] = useState<string>();

  if (connection.isPending) return <Loading />;
  if (connection.isError)
    return <ErrorState error={connection.error} onRetry={() => void connection.refetch()} />;
  const c = connection.data;

  const rotate = async () => {
    const result = await api<{ webhookSecret: string }>('POST', `${path}/webhook-secret/rotate`, {
      body: {},
    });
    setSecret(result.webhookSecret);
    setNotice(
      'New secret issued; it is accepted within about 10 seconds. The previous one keeps working until you revoke it, so update the provider first.',
    );
    await refresh();
  };
  const revokePrevious = async () => {
    await api('POST', `${path}/webhook-secret/revoke-previous`);
    setNotice('Previous secrets revoked: only the newest secret is accepted now.');
    await refresh();
  };
  const remove = async () => {
    await api('DELETE', path);
    await queryClient.invalidateQueries({ queryKey: ['connections'] });
    navigate('connections');
  };

  return (
    <section>
      <nav aria-label="breadcrumb">
        <ul>
          <li>
            <a href={href('connections')}>Connections</a>
          </li>
          <li>{c.name}</li>
        </ul>
      </nav>
      <div className="page-head">
        <h1>
          {c.name} <StatusBadge status={c.mode} /> <StatusBadge status={c.active ? 'active' : 'inactive'} />
        </h1>
      </div>
      <div role="status" aria-live="polite" className="notice">
        {notice}
      </div>
      {update.isError && <ErrorState error={update.error} />}
      {secret && <SecretOnce secret={secret} what="New webhook secret" />}

      <div className="grid">
        <article>
          <header>
            <h2>Details</h2>
          </header>
          <dl className="fields">
            <dt>Provider</dt>
            <dd>{c.provider}</dd>
            <dt>Webhook URL</dt>
            <dd className="url-cell">
              <code>{c.webhookUrl}</code> <CopyButton text={c.webhookUrl} />
            </dd>
            {Object.entries(c.credentials).map(([k, v]) => (
              <div key={k} className="dl-row">
                <dt>{k}</dt>
                <dd>{v === '[secret]' ? <em>secret (stored encrypted)</em> : <code>{v}</code>}</dd>
              </div>
            ))}
            <dt>Active webhook secrets</dt>
            <dd>{c.activeWebhookSecrets}</dd>
            <dt>Created</dt>
            <dd>{fmtDateTime(c.createdAt)}</dd>
          </dl>
          <div className="actions">
            <button
              type="button"
              className="secondary outline"
              aria-busy={validate.isPending}
              onClick={() => validate.mutate()}
            >
              Validate credentials
            </button>
            <span role="status" aria-live="polite">
              {validate.data &&
                (validate.data.valid
                  ? '✓ The provider accepts these credentials.'
                  : '✗ The provider refuses these credentials: update them from the CLI or API (PATCH /connections/{id}).')}
              {validate.isError && (validate.error as Error).message}
            </span>
          </div>
        </article>

        <article>
          <header>
            <h2>Settings</h2>
          </header>
          <fieldset>
            <label>
              <input
                type="checkbox"
                role="switch"
                checked={c.mode === 'live'}
                disabled={update.isPending}
                onChange={(e) => update.mutate({ mode: e.target.checked ? 'live' : 'shadow' })}
              />
              Live (off = shadow: webhooks are logged, not processed)
            </label>
          </fieldset>
          <label>
            Webhook IP allowlist (empty = any address)
            <textarea
              rows={2}
              value={allowlist ?? c.ipAllowlist.join(', ')}
              onChange={(e) => setAllowlist(e.target.value)}
              placeholder="e.g. 203.0.113.0/24"
            />
          </label>
          <button
            type="button"
            className="secondary"
            disabled={allowlist === undefined || update.isPending}
            onClick={() =>
              update.mutate(
                { ipAllowlist: (allowlist ?? '').split(/[\s,]+/).filter(Boolean) },
                { onSuccess: () => setAllowlist(undefined) },
              )
            }
          >
            Save allowlist
          </button>
          <hr />
          <h3>Webhook secret</h3>
          <div className="actions">
            <ConfirmButton
              label="Rotate secret"
              title="Issue a new webhook secret?"
              confirmLabel="Rotate"
              onConfirm={rotate}
            >
              <p>
                A new secret is shown once. The current one keeps working until you revoke it, so no webhook
                is lost while you update the provider.
              </p>
            </ConfirmButton>
            <ConfirmButton
              label="Revoke previous secrets"
              title="Revoke every secret but the newest?"
              confirmLabel="Revoke"
              danger
              disabled={c.activeWebhookSecrets < 2}
              onConfirm={revokePrevious}
            >
              <p>Webhooks signed with an older secret will be refused from now on.</p>
            </ConfirmButton>
          </div>
          <hr />
          <h3>Danger zone</h3>
          <div className="actions">
            <ConfirmButton
              label={c.active ? 'Deactivate' : 'Activate'}
              title={c.active ? 'Deactivate this connection?' : 'Activate this connection?'}
              confirmLabel={c.active ? 'Deactivate' : 'Activate'}
              danger={c.active}
              onConfirm={() => update.mutateAsync({ active: !c.active }).then(() => undefined)}
            >
              <p>
                {c.active
                  ? 'Its webhooks will be refused (404) and its syncs stop until you activate it again.'
                  : 'Its webhooks will be accepted again.'}
              </p>
            </ConfirmButton>
            <ConfirmButton
              label="Delete"
              title={`Delete “${c.name}”?`}
              confirmLabel="Delete for good"
              danger
              onConfirm={remove}
            >
              <p>This removes the connection, its credentials and its stored calls. It cannot be undone.</p>
            </ConfirmButton>
          </div>
        </article>
      </div>

      <article>
        <header>
          <h2>Setup templates</h2>
          <p>Paste these into {c.provider}, one per trigger. They carry the newest webhook secret.</p>
        </header>
        {templates.isPending ? (
          <Loading />
        ) : templates.isError ? (
          <ErrorState error={templates.error} onRetry={() => void templates.refetch()} />
        ) : templates.data.items.length === 0 ? (
          <EmptyState title="This provider has no webhook templates." />
        ) : (
          templates.data.items.map((t) => (
            <details key={`${t.trigger}-${t.providerTrigger}`} className="template">
              <summary>
                <strong>{t.trigger}</strong> — {t.providerTrigger} <small>({t.method})</small>
              </summary>
              <div className="copy-row">
                <code className="wrap">{t.url}</code>
                <CopyButton text={t.url} label="Copy URL" />
              </div>
              {t.headers && Object.keys(t.headers).length > 0 && (
                <div className="copy-row">
                  <pre className="json">
                    {Object.entries(t.headers)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join('\n')}
                  </pre>
                  <CopyButton
                    text={Object.entries(t.headers)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join('\n')}
                    label="Copy headers"
                  />
                </div>
              )}
              {t.body && (
                <div className="copy-row">
                  <pre className="json">{t.body}</pre>
                  <CopyButton text={t.body} label="Copy body" />
                </div>
              )}
              {t.notes && <p>{t.notes}</p>}
            </details>
          ))
        )}
      </article>
    </section>
  );
}
