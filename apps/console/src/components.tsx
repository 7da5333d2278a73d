import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ApiError } from './api';

/** An error with what to do about it: the API's own message, plus a hint by kind. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const e = error instanceof ApiError ? error : undefined;
  const hint =
    e?.status === 0
      ? 'Check that the API is running and reachable from this browser.'
      : e?.status === 403
        ? 'This key lacks the scope for this page. Sign in with the admin token or an admin key.'
        : e?.status === 503
          ? 'A dependency (PostgreSQL or Redis) is unavailable. Check GET /health/ready, then retry.'
          : e && e.status >= 500
            ? `The API failed${e.requestId ? ` (request ${e.requestId}; look it up in the API log)` : ''}. Retry in a moment.`
            : undefined;
  return (
    <div role="alert" className="error-state">
      <strong>{e ? e.message : String((error as Error)?.message ?? error)}</strong>
      {hint && <p>{hint}</p>}
      {onRetry && (
        <button type="button" className="secondary outline" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <p aria-busy="true">{label}</p>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status.replace(/[^a-z_]/gi, '')}`}>{status.replace('_', ' ')}</span>;
}

/** Copies text to the clipboard and says so for a moment (for screen readers too). */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(t);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Clipboard API refused (plain http on a remote host): fall back to a selection copy.
      const area = document.createElement('textarea');
      area.value = text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
  };
  return (
    <button type="button" className="copy secondary outline" onClick={() => void copy()} aria-live="polite">
      {copied ? 'Copied' : label}
    </button>
  );
}

/**
 * A confirmation in a modal dialog (focus moves into it, Escape cancels). The action runs only on
 * the explicit confirm button.
 */
export function ConfirmButton({
  label,
  title,
  children,
  confirmLabel,
  onConfirm,
  danger,
  disabled,
}: {
  label: string;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void | Promise<void>;
  danger?: boolean;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      dialog.current?.close();
    }
  };
  return (
    <>
      <button
        type="button"
        className={danger ? 'danger outline' : 'secondary outline'}
        disabled={disabled}
        onClick={() => dialog.current?.showModal()}
      >
        {label}
      </button>
      <dialog ref={dialog} aria-labelledby={`${label}-title`}>
        <article>
          <h3 id={`${label}-title`}>{title}</h3>
          <div>{children}</div>
          <footer>
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button
              type="button"
              className={danger ? 'danger' : ''}
              aria-busy={busy}
              onClick={() => void confirm()}
            >
              {confirmLabel}
            </button>
          </footer>
        </article>
      </dialog>
    </>
  );
}

/** A secret shown once, with a copy button and a reminder that it will not be shown again. */
export function SecretOnce({ secret, what }: { secret: string; what: string }) {
  return (
    <div className="secret-once" role="status">
      <p>
        <strong>{what}</strong> — shown once. Copy it now and paste it into the provider; Switchboard will not
        show it again.
      </p>
      <div className="copy-row">
        <code data-testid="secret-once">{secret}</code>
        <CopyButton text={secret} />
      </div>
    </div>
  );
}

export function Json({ value }: { value: unknown }) {
  return <pre className="json">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}
