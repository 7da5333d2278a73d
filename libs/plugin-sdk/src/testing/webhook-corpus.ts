import { strict as assert } from 'node:assert';
import type { CallTrackingProvider, InboundWebhook } from '../index.js';

/**
 * One case of a plugin's webhook corpus (`test/fixtures/<provider>/webhook-corpus.json`): a request
 * as the provider sends it for one event, in one shape (our template's, or the provider's native
 * one), and what it must map to.
 */
export interface WebhookCorpusCase {
  name: string;
  /** The provider event (our trigger name) the payload stands for. */
  event: string;
  shape: 'template' | 'native' | string;
  request: {
    method: string;
    query?: Record<string, string | string[]>;
    headers?: Record<string, string>;
    contentType?: string;
    /** Parsed body (JSON object or form fields); the raw body is its JSON text. */
    body?: unknown;
    /** Raw body text, when the body is not JSON (a form, say). */
    rawBody?: string;
    receivedAt: string;
  };
  /** Connection settings the adapter gets (e.g. `timeZone`). */
  settings?: Record<string, unknown>;
  expected: {
    type: string;
    eventId?: string;
    eventIdPattern?: string;
    /** The event must carry no id (nothing stable to key on). */
    noEventId?: boolean;
    occurredAt?: string;
    /** Normalized call fields (dates as ISO strings); every field listed must match exactly. */
    call: Record<string, unknown>;
    /** Normalized field names of the expected warnings (none when absent). */
    warnings?: string[];
  };
}

export interface WebhookCorpus {
  provider: string;
  cases: WebhookCorpusCase[];
}

/** The case's request as the ingress hands it to a plugin. */
export function corpusRequest(c: WebhookCorpusCase): InboundWebhook {
  const { request } = c;
  const raw = request.rawBody ?? (request.body === undefined ? '' : JSON.stringify(request.body));
  return {
    method: request.method,
    headers: {
      ...(request.contentType ? { 'content-type': request.contentType } : {}),
      ...request.headers,
    },
    query: request.query ?? {},
    contentType: request.contentType,
    rawBody: Buffer.from(raw),
    body: request.body,
    receivedAt: new Date(request.receivedAt),
  };
}

/** JSON-comparable form of a mapped call (dates as ISO strings, undefined keys gone). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}

/**
 * Maps one corpus case with the adapter and asserts the result: event type and id, time, every
 * expected call field (and no field beyond them other than providerData), and the warnings.
 * `describeWebhook` must agree with `mapWebhook` on id and type.
 */
export function checkWebhookCase(adapter: CallTrackingProvider, c: WebhookCorpusCase): void {
  const request = corpusRequest(c);
  const event = adapter.mapWebhook(request);
  const where = `${c.name}`;
  assert.equal(event.type, c.expected.type, `${where}: type`);
  if (c.expected.eventId !== undefined) assert.equal(event.eventId, c.expected.eventId, `${where}: eventId`);
  if (c.expected.eventIdPattern !== undefined)
    assert.match(event.eventId ?? '', new RegExp(c.expected.eventIdPattern), `${where}: eventId`);
  if (c.expected.noEventId) assert.equal(event.eventId, undefined, `${where}: no eventId`);
  if (c.expected.occurredAt !== undefined)
    assert.equal(event.occurredAt.toISOString(), c.expected.occurredAt, `${where}: occurredAt`);
  const { providerData: _data, ...call } = plain(event.call) as Record<string, unknown>;
  assert.deepEqual(call, c.expected.call, `${where}: call`);
  assert.deepEqual(
    (event.warnings ?? []).map((w) => w.field).sort(),
    [...(c.expected.warnings ?? [])].sort(),
    `${where}: warnings`,
  );
  const description = adapter.describeWebhook(request);
  assert.equal(description.eventId, event.eventId, `${where}: describeWebhook eventId`);
  assert.equal(description.eventType, event.type, `${where}: describeWebhook eventType`);
}
