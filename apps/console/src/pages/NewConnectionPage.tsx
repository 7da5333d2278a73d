import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { ErrorState, Loading, SecretOnce } from '../components';
import { href } from '../route';
import type { Connection, CredentialField, Plugin } from '../types';

interface FieldProblem {
  field: string;
  rules: string[];
}

/** A form generated from the plugin's credential fields (GET /plugins/{provider}/credential-fields). */
export function NewConnectionPage() {
  const queryClient = useQueryClient();
  const plugins = useQuery({
    queryKey: ['plugins'],
    queryFn: () => api<{ plugins: Plugin[] }>('GET', '/plugins'),
  });
  const [provider, setProvider] = useState('');
  const chosen = provider || plugins.data?.plugins[0]?.provider || '';
  const fields = useQuery({
    queryKey: ['credential-fields', chosen],
    queryFn: () =>
      api<{ fields: CredentialField[] }>('GET', `/plugins/${encodeURIComponent(chosen)}/credential-fields`),
    enabled: chosen !== '',
  });
  const [values, setValues] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [formError, setFormError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ connection: Connection; webhookSecret: string }>();

  if (plugins.isPending) return <Loading />;
  if (plugins.isError) return <ErrorState error={plugins.error} onRetry={() => void plugins.refetch()} />;
  if (plugins.data.plugins.length === 0)
    return (
      <ErrorState
        error={
          new Error(
            'No provider plugin is loaded, so no connection can be made. Install a plugin and restart the API.',
          )
        }
      />
    );

  if (created) {
    return (
      <section>
        <h1>Connection created</h1>
        <p>
          <strong>{created.connection.name}</strong> ({created.connection.provider}) receives webhooks at{' '}
          <code>{created.connection.webhookUrl}</code>.
        </p>
        <SecretOnce secret={created.webhookSecret} what="Webhook secret" />
        <p>
          Next: <a href={href(`connections/${created.connection.id}`)}>open the connection</a> for the setup
          templates to paste into {created.connection.provider}.
        </p>
      </section>
    );
  }

  const set = (name: string, value: string) => setValues((v) => ({ ...v, [name]: value }));
  const problemOf = (name: string) => problems.find((p) => p.field === name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblems([]);
    setFormError(undefined);
    const credentials: Record<string, string> = {};
    for (const f of fields.data?.fields ?? [])
      if (values[`cred.${f.name}`]) credentials[f.name] = values[`cred.${f.name}`];
    let settings: Record<string, unknown> | undefined;
    try {
      settings = settingsOf(values.settings, values.apiBaseUrl);
    } catch (error) {
      setProblems([{ field: 'settings', rules: [(error as Error).message] }]);
      document.getElementById('settings')?.focus();
      setBusy(false);
      return;
    }
    const allowlist = (values.ipAllowlist ?? '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    try {
      const result = await api<{ connection: Connection; webhookSecret: string }>('POST', '/connections', {
        body: {
          provider: chosen,
          name: values.name ?? '',
          credentials,
          mode: values.mode === 'shadow' ? 'shadow' : 'live',
          settings,
          ipAllowlist: allowlist.length ? allowlist : undefined,
          validate: values.skipValidation !== 'on',
        },
      });
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
      await queryClient.invalidateQueries({ queryKey: ['overview'] });
      setCreated(result);
    } catch (error) {
      const details =
        error instanceof ApiError ? (error.details as { fields?: FieldProblem[] } | undefined) : undefined;
      if (details?.fields?.length) {
        setProblems(details.fields);
        document.getElementById(`cred-${details.fields[0].field}`)?.focus();
      } else if (error instanceof ApiError && error.code === 'invalid_settings') {
        // The plugin's or the platform's rule for a settings key: said under the settings box.
        setProblems([{ field: 'settings', rules: [error.message] }]);
      }
      setFormError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>New connection</h1>
      <form onSubmit={(e) => void submit(e)} noValidate className="narrow">
        {formError !== undefined && <ErrorState error={formError} />}
        <label htmlFor="provider">Provider</label>
        <select
          id="provider"
          name="provider"
          value={chosen}
          onChange={(e) => {
            setProvider(e.target.value);
            setProblems([]);
          }}
        >
          {plugins.data.plugins.map((p) => (
            <option key={p.provider} value={p.provider}>
              {p.displayName}
            </option>
          ))}
        </select>
        <label>
          Name
          <input
            name="name"
            required
            value={values.name ?? ''}
            onChange={(e) => set('name', e.target.value)}
            placeholder="Main account"
          />
        </label>
        <fieldset>
          <legend>Credentials</legend>
          {fields.isPending && <Loading label="Loading the provider's fields…" />}
          {fields.isError && <ErrorState error={fields.error} onRetry={() => void fields.refetch()} />}
          {fields.data?.fields.map((f) => {
            const problem = problemOf(f.name);
            const id = `cred-${f.name}`;
            return (
              <label key={`${chosen}.${f.name}`} htmlFor={id}>
                {f.label}
                {f.required ? '' : ' (optional)'}
                <input
                  id={id}
                  name={f.name}
                  type={f.secret ? 'password' : 'text'}
                  autoComplete="off"
                  spellCheck={false}
                  required={f.required}
                  value={values[`cred.${f.name}`] ?? ''}
                  onChange={(e) => set(`cred.${f.name}`, e.target.value)}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={`${id}-help`}
                />
                <small id={`${id}-help`} className={problem ? 'field-error' : undefined}>
                  {problem
                    ? `${f.hints[0] ?? 'This value is not valid'} (${problem.rules.join(', ')})`
                    : (f.hints[0] ?? (f.secret ? 'Secret: stored encrypted, never shown again.' : ''))}
                </small>
              </label>
            );
          })}
        </fieldset>
        <details>
          <summary>Advanced</summary>
          <label>
            Provider API base URL (optional)
            <input
              name="apiBaseUrl"
              type="url"
              value={values.apiBaseUrl ?? ''}
              onChange={(e) => set('apiBaseUrl', e.target.value)}
              placeholder="default: the provider's public API"
            />
            <small>For a provider simulator or a regional endpoint.</small>
          </label>
          <label htmlFor="settings">
            Settings (JSON, optional)
            <textarea
              id="settings"
              name="settings"
              rows={6}
              spellCheck={false}
              value={values.settings ?? ''}
              onChange={(e) => set('settings', e.target.value)}
              placeholder='e.g. {"timeZone": "America/New_York"}, or the generic webhook plugin&apos;s {"mapping": {...}}'
              aria-invalid={problemOf('settings') ? true : undefined}
              aria-describedby="settings-help"
            />
            <small id="settings-help" className={problemOf('settings') ? 'field-error' : undefined}>
              {problemOf('settings')?.rules[0] ??
                'timeZone, sync, rateLimits and the plugin’s own keys; checked by the API when you create.'}
            </small>
          </label>
          <label>
            Webhook IP allowlist (optional)
            <textarea
              name="ipAllowlist"
              rows={2}
              value={values.ipAllowlist ?? ''}
              onChange={(e) => set('ipAllowlist', e.target.value)}
              placeholder="e.g. 203.0.113.0/24, 198.51.100.7"
            />
          </label>
          <label>
            <input
              type="checkbox"
              role="switch"
              name="shadow"
              checked={values.mode === 'shadow'}
              onChange={(e) => set('mode', e.target.checked ? 'shadow' : 'live')}
            />
            Shadow mode (receive and log webhooks without processing them)
          </label>
          <label>
            <input
              type="checkbox"
              name="skipValidation"
              checked={values.skipValidation === 'on'}
              onChange={(e) => set('skipValidation', e.target.checked ? 'on' : '')}
            />
            Save without checking the credentials with the provider
          </label>
        </details>
        <button type="submit" aria-busy={busy} disabled={busy || !fields.data}>
          Create connection
        </button>
      </form>
    </section>
  );
}

/** The settings JSON of the form (an object, or nothing), with the base URL field over it. */
function settingsOf(
  json: string | undefined,
  apiBaseUrl: string | undefined,
): Record<string, unknown> | undefined {
  let settings: Record<string, unknown> | undefined;
  if (json?.trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new Error('Settings must be valid JSON.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('Settings must be a JSON object, e.g. {"timeZone": "UTC"}.');
    settings = parsed as Record<string, unknown>;
  }
  if (apiBaseUrl?.trim()) settings = { ...settings, apiBaseUrl: apiBaseUrl.trim() };
  return settings;
}
