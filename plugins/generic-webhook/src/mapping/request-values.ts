import { readString, type InboundWebhook } from '@switchboard/plugin-sdk';
import type { Source } from './mapping-settings.js';
import { readValuePath } from './value-path.js';

/** The parts of a request a source can read: the body (JSON or form, parsed), the query, the headers. */
export interface RequestValues {
  body: unknown;
  query: Readonly<Record<string, string | string[]>>;
  headers: Readonly<Record<string, string>>;
}

export function requestValues(request: InboundWebhook): RequestValues {
  return { body: bodyOf(request), query: request.query ?? {}, headers: request.headers ?? {} };
}

/**
 * The body as a value. The ingress parses JSON and form bodies; a body it left as text (a sender
 * that posts JSON as text/plain) is parsed here, as JSON, else as form fields.
 */
function bodyOf(request: InboundWebhook): unknown {
  const { body } = request;
  if (body !== undefined && body !== null && typeof body !== 'string') return body;
  const text = typeof body === 'string' ? body : (request.rawBody?.toString('utf8') ?? '');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.includes('=') ? Object.fromEntries(new URLSearchParams(text)) : undefined;
  }
}

/** The raw value a source points at (undefined when the request has nothing there). */
export function readSource(values: RequestValues, source: Source): unknown {
  switch (source.kind) {
    case 'constant':
      return source.value;
    case 'body':
      return readValuePath(values.body, source.path);
    case 'form':
      return ownField(values.body, source.name);
    case 'query':
      return firstOf(ownField(values.query, source.name));
    case 'header':
      return ownField(values.headers, source.name);
  }
}

/** A value found: what it is and which source it came from. */
export interface Found {
  value: unknown;
  source: Source;
}

/**
 * The first source with something in it. Absent = missing, null, empty text or an unreplaced
 * template token ("[call_id]"); anything else, even a value that will not parse, is present (and
 * then becomes a mapping warning rather than falling through to a weaker source).
 */
export function findValue(values: RequestValues, sources: readonly Source[] | undefined): Found | undefined {
  for (const source of sources ?? []) {
    const value = readSource(values, source);
    if (isPresent(value)) return { value, source };
  }
  return undefined;
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return readString(value) !== undefined;
  return true;
}

function ownField(container: unknown, name: string): unknown {
  if (container === null || typeof container !== 'object' || Array.isArray(container)) return undefined;
  return Object.prototype.hasOwnProperty.call(container, name)
    ? (container as Record<string, unknown>)[name]
    : undefined;
}

function firstOf(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}
