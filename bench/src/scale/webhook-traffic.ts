import type { WebhookTemplate } from '@switchboard/core';
import { signStandardWebhook } from '@switchboard/core';
import { CALL_LIFECYCLES, newCallSpec, tokenValues, type CallSpec } from '../pipeline/webhook-fixtures.js';

/** A provider connection of the bench deployment, with the webhook templates its plugin gives. */
export interface ScaleConnection {
  id: string;
  provider: string;
  /** hmac: Standard Webhooks signature over the request; token: the shared token the template carries. */
  scheme: 'hmac' | 'token';
  secret: string;
  templates: ReadonlyMap<string, WebhookTemplate>;
}

export interface WebhookRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The event's id (`webhook-id`) when signed: a redelivery carries the same one. */
  eventId?: string;
}

interface OpenCall {
  connection: ScaleConnection;
  spec: CallSpec;
  step: number;
}

/**
 * What the providers would send: call lifecycles (Ringba 6 events, Retreaver 5, TrackDrive 6),
 * rendered from each plugin's own webhook templates with the provider's tokens filled in, many
 * calls open at once (`openCalls`), so the events of a call arrive spread out and interleaved
 * with others. Token connections send what the template says (the token in the URL or header);
 * HMAC connections' requests are signed per Standard Webhooks, each event with its own id.
 */
export class WebhookTraffic {
  private readonly open: OpenCall[] = [];
  private sent = 0;
  private callsStarted = 0;

  constructor(
    private readonly connections: readonly ScaleConnection[],
    private readonly openCalls = 400,
  ) {}

  get calls(): number {
    return this.callsStarted;
  }

  next(): WebhookRequest {
    const slot = this.sent++ % this.openCalls;
    let call = this.open[slot];
    if (!call || call.step >= (CALL_LIFECYCLES[call.connection.provider] ?? []).length) {
      call = this.open[slot] = this.newCall();
    }
    const trigger = CALL_LIFECYCLES[call.connection.provider][call.step++];
    return render(call, trigger);
  }

  private newCall(): OpenCall {
    const n = this.callsStarted++;
    const connection = this.connections[n % this.connections.length];
    return { connection, spec: newCallSpec(connection.provider, n, new Date()), step: 0 };
  }
}

function render(call: OpenCall, trigger: string): WebhookRequest {
  const { connection, spec } = call;
  const template = connection.templates.get(trigger);
  if (!template) throw new Error(`${connection.provider} has no webhook template for "${trigger}"`);
  const values = tokenValues(spec, trigger, new Date());
  const fill = (text: string, encode: (v: string) => string) =>
    text.replace(/\[([^\]]+)\]/g, (_, token: string) => encode(values[token] ?? ''));
  const url = new URL(fill(template.url, encodeURIComponent));
  const body = template.body ? fill(template.body, (v) => JSON.stringify(v).slice(1, -1)) : undefined;
  const headers: Record<string, string> = { ...(template.headers ?? {}) };
  if (template.contentType ?? body) headers['content-type'] = template.contentType ?? 'application/json';
  if (connection.scheme === 'hmac') {
    // A signing relay in front of the provider: no token, a signature instead.
    url.searchParams.delete('token');
    delete headers['x-switchboard-token'];
    const eventId = `evt_${spec.externalId}_${trigger}`;
    const at = Math.floor(Date.now() / 1000);
    headers['webhook-id'] = eventId;
    headers['webhook-timestamp'] = String(at);
    headers['webhook-signature'] = signStandardWebhook(connection.secret, eventId, at, body ?? '');
    return { method: template.method, path: `${url.pathname}${url.search}`, headers, body, eventId };
  }
  return { method: template.method, path: `${url.pathname}${url.search}`, headers, body };
}
