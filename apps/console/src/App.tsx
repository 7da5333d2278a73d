import { useEffect, useRef } from 'react';
import { CallPage } from './pages/CallPage';
import { CallsPage } from './pages/CallsPage';
import { ConnectionPage } from './pages/ConnectionPage';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { NewConnectionPage } from './pages/NewConnectionPage';
import { OverviewPage } from './pages/OverviewPage';
import { SignInPage } from './pages/SignInPage';
import { SyncPage } from './pages/SyncPage';
import { WebhookLogsPage } from './pages/WebhookLogsPage';
import { href, useRoute } from './route';
import { useSession } from './session';

const NAV = [
  { path: 'overview', label: 'Overview', scope: 'read' },
  { path: 'connections', label: 'Connections', scope: 'admin' },
  { path: 'calls', label: 'Calls', scope: 'read' },
  { path: 'webhooks', label: 'Webhook logs', scope: 'admin' },
  { path: 'sync', label: 'Sync', scope: 'admin' },
] as const;

export function App() {
  const session = useSession();
  const route = useRoute();
  const [section = 'overview', id] = route.path;

  useEffect(() => {
    const label = NAV.find((n) => n.path === section)?.label ?? 'Console';
    document.title = `${label} · Switchboard`;
  }, [section]);

  // A new page (not a new filter) moves keyboard and screen-reader focus to the page's content,
  // as a full page load would.
  const page = route.path.join('/');
  const shown = useRef<string>(undefined);
  useEffect(() => {
    if (shown.current !== undefined && shown.current !== page) document.getElementById('main')?.focus();
    shown.current = page;
  }, [page]);

  if (!session.principal) return <SignInPage />;

  const allowed = NAV.filter((n) => session.can(n.scope));
  const item = NAV.find((n) => n.path === section);
  const content = !item ? (
    <NotFound />
  ) : !session.can(item.scope) ? (
    <section>
      <h1>{item.label}</h1>
      <p role="alert">
        This page needs the “{item.scope}” scope, and this key has{' '}
        {session.principal.scopes.join(', ') || 'none'}. Sign in with the admin token or an API key that has
        it.
      </p>
    </section>
  ) : section === 'overview' ? (
    <OverviewPage />
  ) : section === 'connections' ? (
    id === 'new' ? (
      <NewConnectionPage />
    ) : id ? (
      <ConnectionPage id={id} />
    ) : (
      <ConnectionsPage />
    )
  ) : section === 'calls' ? (
    id ? (
      <CallPage id={id} />
    ) : (
      <CallsPage />
    )
  ) : section === 'sync' ? (
    <SyncPage />
  ) : (
    <WebhookLogsPage />
  );

  return (
    <>
      <a
        href="#main"
        className="skip-link"
        onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}
      >
        Skip to content
      </a>
      <header className="container-fluid topbar">
        <nav aria-label="Main">
          <ul>
            <li>
              <strong className="brand">Switchboard</strong>
            </li>
          </ul>
          <ul className="nav-links">
            {allowed.map((n) => (
              <li key={n.path}>
                <a href={href(n.path)} aria-current={n.path === section ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
          <ul>
            <li className="who" title={session.principal.scopes.join(', ')}>
              {session.principal.kind === 'admin-token'
                ? 'Admin token'
                : session.principal.kind === 'api-key'
                  ? `API key (${session.principal.scopes.join(', ')})`
                  : 'Open local API'}
            </li>
            <li>
              <button type="button" className="secondary outline" onClick={() => session.signOut()}>
                Sign out
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="container-fluid">
        {content}
      </main>
    </>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. Go to the <a href={href('overview')}>overview</a>.
      </p>
    </section>
  );
}
