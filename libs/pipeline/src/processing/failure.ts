import { ProviderError } from '@switchboard/core';
import { describe } from '@switchboard/persistence';

/** PostgreSQL error classes that say "the server or the connection", not "your data". */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '57014', // query_canceled (statement timeout)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '58000', // system_error
]);

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

const TRANSIENT_MESSAGES = [
  /Can't reach database server/i,
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is closed/i,
  /connect ECONNREFUSED/i,
];

/**
 * Whether trying again later can succeed: a provider error marked retryable, or the database /
 * network being unavailable. Everything else (bad payloads, values a column cannot hold, plugin
 * bugs) fails at once, because the same input gives the same error.
 */
export function isTransientFailure(error: unknown, depth = 0): boolean {
  if (error instanceof ProviderError) return error.retryable;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code))) {
    return true;
  }
  const message = typeof e?.message === 'string' ? e.message : '';
  if (TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return true;
  // Drivers wrap the socket or server error.
  return depth < 3 && e?.cause !== undefined && isTransientFailure(e.cause, depth + 1);
}

/** One line for the inbox row and the job: no stack, no connection string. */
export function failureText(error: unknown): string {
  const base = describe(error).split('\n')[0];
  const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
  return `${name}${base}`;
}
