import type { ProviderContext, WebhookTemplate } from '@switchboard/plugin-sdk';
import { RetreaverAdapter, type RetreaverCredentials } from '@switchboard/plugin-retreaver';
import type { WebhookTarget } from '../simulator.js';

/** What the simulator sent for one trigger (the URL holds the secret: tests only). */
export interface SentWebhook {
  trigger: string;
  callId: string;
  method: string;
  url: string;
  body?: string;
  status: number;
}

/**
 * The templates an operator would paste for this target, straight from the plugin (built with a
 * context that only serves webhookTemplates: no HTTP, no credentials).
 */
export function templatesFor(target: WebhookTarget): WebhookTemplate[] {
  const ctx: ProviderContext<RetreaverCredentials> = {
    connectionId: 'retreaver-simulator',
    provider: 'retreaver',
    credentials: { apiKey: '', companyId: '' },
    settings: {},
    webhookUrl: target.webhookUrl,
    http: { request: () => Promise.reject(new Error('the simulator adapter makes no requests')) },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
    now: () => new Date(),
  };
  return new RetreaverAdapter(ctx).webhookTemplates({ url: target.webhookUrl, secret: target.secret });
}

/**
 * Fills `[token]`s the way Retreaver does: known tokens get the call's value (URL-encoded in the
 * URL, JSON-escaped in a JSON body, empty when the call has none); tokens Retreaver does not know
 * stay as they are, which is how an unknown tag key arrives.
 */
export function renderTemplate(
  template: WebhookTemplate,
  tokens: Record<string, string | undefined>,
): { url: string; body?: string } {
  const fill = (text: string, escape: (value: string) => string) =>
    text.replace(/\[([A-Za-z0-9_:]+)\]/g, (whole, name: string) =>
      name in tokens ? escape(tokens[name] ?? '') : whole,
    );
  const json = template.contentType?.includes('json');
  return {
    url: fill(template.url, encodeURIComponent),
    body:
      template.body === undefined
        ? undefined
        : fill(template.body, json ? (v) => JSON.stringify(v).slice(1, -1) : encodeURIComponent),
  };
}

export async function send(
  template: WebhookTemplate,
  rendered: { url: string; body?: string },
  callId: string,
): Promise<SentWebhook> {
  let status: number;
  try {
    const response = await fetch(rendered.url, {
      method: template.method,
      headers: {
        'user-agent': 'Retreaver-Simulator/1.0',
        ...(template.headers ?? {}),
        ...(rendered.body !== undefined
          ? { 'content-type': template.contentType ?? 'application/x-www-form-urlencoded' }
          : {}),
      },
      body: rendered.body,
      signal: AbortSignal.timeout(10_000),
    });
    status = response.status;
    await response.arrayBuffer().catch(() => undefined);
  } catch {
    status = 0; // connection refused or timed out: Retreaver would retry or give up
  }
  return {
    trigger: template.trigger,
    callId,
    method: template.method,
    url: rendered.url,
    body: rendered.body,
    status,
  };
}
