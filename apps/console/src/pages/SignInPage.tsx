import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useSession } from '../session';
import type { Principal } from '../types';

/**
 * The admin token or an API key, typed in and kept in memory only (not in the URL, not in
 * localStorage): a reload or "Sign out" forgets it.
 */
export function SignInPage() {
  const session = useSession();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  // An API without ADMIN_TOKEN (local development) answers /me without a token.
  const open = useQuery({
    queryKey: ['open-api'],
    queryFn: () => api<Principal>('GET', '/me'),
    retry: false,
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) {
      setError('Paste the admin token (ADMIN_TOKEN) or an API key (sk_…).');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(token.trim());
      setToken('');
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? 'The API does not accept this token. Check for a typo, or whether the key was revoked or has expired.'
          : (e as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="container signin">
      <article>
        <header>
          <h1>Switchboard console</h1>
          <p>Sign in with the admin token or an API key. Its scopes decide what you can see and change.</p>
        </header>
        {session.endedBecause && <p role="status">{session.endedBecause}</p>}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor="token">Admin token or API key</label>
          <input
            id="token"
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby="token-help"
            autoFocus
          />
          <small id="token-help">
            {error ?? 'Kept in this tab’s memory only; reloading the page signs you out.'}
          </small>
          <button type="submit" aria-busy={busy}>
            Sign in
          </button>
        </form>
        {open.data?.kind === 'open' && (
          <footer>
            <p>This API runs without ADMIN_TOKEN (local development), so no token is needed.</p>
            <button type="button" className="secondary" onClick={() => void session.signIn(undefined)}>
              Continue without a token
            </button>
          </footer>
        )}
      </article>
    </main>
  );
}
