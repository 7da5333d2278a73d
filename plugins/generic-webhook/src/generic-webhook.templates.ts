import type { WebhookConfig, WebhookTemplate } from '@switchboard/plugin-sdk';
import { TOKEN_HEADER, TOKEN_QUERY_PARAM } from './generic-webhook.constants.js';
import type { MappedField, Source, WebhookMapping } from './mapping/mapping-settings.js';
import type { PathSegment } from './mapping/value-path.js';

/** How the connection proves its webhooks (its `settings.webhook`, as far as templates care). */
export interface TemplateVerification {
  scheme: 'token' | 'hmac';
  tokenQueryParam: string;
  tokenHeader: string;
}

export function templateVerification(settings: Readonly<Record<string, unknown>>): TemplateVerification {
  const raw = settings.webhook;
  const webhook = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  return {
    scheme: webhook.scheme === 'hmac' ? 'hmac' : 'token',
    tokenQueryParam:
      typeof webhook.tokenQueryParam === 'string' ? webhook.tokenQueryParam : TOKEN_QUERY_PARAM,
    tokenHeader: typeof webhook.tokenHeader === 'string' ? webhook.tokenHeader : TOKEN_HEADER,
  };
}

const HMAC_HEADERS = {
  'webhook-id': '{{a unique message id, the same on a retry}}',
  'webhook-timestamp': '{{unix seconds when sent}}',
  'webhook-signature': 'v1,{{base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>"}}',
};

/**
 * What to configure in the sender, one template per request shape the mapping reads (a JSON body,
 * form fields, a query string), with `{{field}}` where the sender puts its value. The token goes in
 * the URL (or the header, see notes); with `hmac` the sender signs each request instead
 * (Standard Webhooks), and a query-string request, which has no body to sign, is not offered.
 */
export function buildWebhookTemplates(
  config: WebhookConfig,
  mapping: WebhookMapping | undefined,
  verification: TemplateVerification,
): WebhookTemplate[] {
  const sources = mapping ? mappedSources(mapping) : [];
  const has = (kind: Source['kind']) => sources.some(([, s]) => s.kind === kind);
  const url = new URL(config.url);
  if (verification.scheme === 'token') url.searchParams.set(verification.tokenQueryParam, config.secret);
  const auth =
    verification.scheme === 'token'
      ? `The token is in the URL; a sender that cannot change URLs sends it in the "${verification.tokenHeader}" header instead.`
      : 'Sign every request with the connection secret (Standard Webhooks: https://www.standardwebhooks.com); never put the secret in the URL.';
  const headers = verification.scheme === 'hmac' ? HMAC_HEADERS : {};
  const templates: WebhookTemplate[] = [];
  const headerNote = has('header')
    ? ` Headers it reads: ${sources
        .filter(([, s]) => s.kind === 'header')
        .map(([f, s]) => `${(s as { name: string }).name} (${f})`)
        .join(', ')}.`
    : '';

  if (has('body') || (!has('form') && !has('query'))) {
    templates.push({
      trigger: 'json',
      providerTrigger: 'every call event, as a JSON body',
      method: 'POST',
      url: url.toString(),
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(jsonSkeleton(sources), null, 2),
      contentType: 'application/json',
      notes: `POST each call event as JSON shaped like the body (values in {{}} are yours). ${auth}${headerNote}`,
    });
  }
  if (has('form')) {
    const fields = sources.filter(([, s]) => s.kind === 'form') as Array<[string, { name: string }]>;
    templates.push({
      trigger: 'form',
      providerTrigger: 'every call event, as form fields',
      method: 'POST',
      url: url.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: fields.map(([f, s]) => `${encodeURIComponent(s.name)}={{${f}}}`).join('&'),
      contentType: 'application/x-www-form-urlencoded',
      notes: `POST each call event as form fields (values in {{}} are yours, URL-encoded). ${auth}${headerNote}`,
    });
  }
  if (has('query') && verification.scheme === 'token') {
    // Placeholders stay readable ({{field}}); only the names are encoded.
    const params = sources
      .filter(([, s]) => s.kind === 'query')
      .map(([field, s]) => `${encodeURIComponent((s as { name: string }).name)}={{${field}}}`);
    const base = url.toString();
    templates.push({
      trigger: 'query',
      providerTrigger: 'every call event, as a URL (pixel or GET postback)',
      method: 'GET',
      url: `${base}${url.search ? '&' : '?'}${params.join('&')}`,
      notes: `Request the URL for each call event with your values in place of {{}} (URL-encoded). ${auth}`,
    });
  }
  return templates;
}

/** Every (field or tag name, source) of the mapping, in mapping order. */
function mappedSources(mapping: WebhookMapping): Array<[string, Source]> {
  const out: Array<[string, Source]> = [];
  for (const [field, sources] of Object.entries(mapping.fields) as Array<[MappedField, Source[]]>)
    for (const source of sources) out.push([field, source]);
  for (const [name, sources] of mapping.tags)
    for (const source of sources) out.push([`tags.${name}`, source]);
  return out;
}

/** A JSON body with `{{field}}` at each mapped path; a path that collides with another is left out. */
function jsonSkeleton(sources: Array<[string, Source]>): unknown {
  let root: unknown = undefined;
  for (const [field, source] of sources) {
    if (source.kind !== 'body') continue;
    root = place(root, source.path, `{{${field}}}`);
  }
  return root ?? {};
}

function place(container: unknown, path: readonly PathSegment[], value: string): unknown {
  if (path.length === 0) return container === undefined ? value : container;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    if (container !== undefined && !Array.isArray(container)) return container;
    const list = (container as unknown[] | undefined) ?? [];
    while (list.length <= head) list.push({});
    list[head] = place(isEmptyObject(list[head]) ? undefined : list[head], rest, value);
    return list;
  }
  if (
    container !== undefined &&
    (typeof container !== 'object' || container === null || Array.isArray(container))
  )
    return container;
  const object = (container as Record<string, unknown> | undefined) ?? {};
  const current = Object.prototype.hasOwnProperty.call(object, head) ? object[head] : undefined;
  // defineProperty: a "__proto__" segment is a key like any other, never the prototype.
  Object.defineProperty(object, head, {
    value: place(current, rest, value),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return object;
}

function isEmptyObject(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0
  );
}
