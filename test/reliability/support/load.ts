import type { WebhookTemplate } from '@switchboard/core';
import {
  CALL_LIFECYCLES,
  newCallSpec,
  tokenValues,
  type CallSpec,
} from '../../../bench/src/pipeline/webhook-fixtures.js';
import type { Platform } from './platform.js';

/** Credentials the plugins accept without calling the provider (validate: false). */
export const CREDENTIALS: Record<string, Record<string, string>> = {
  ringba: { accountId: 'RA0123456', apiToken: 'rel-ringba-api-token-5f1c9e' },
  retreaver: { apiKey: 'rel-retreaver-api-key-77d2', companyId: '1234' },
  trackdrive: { subdomain: 'acme', publicKey: 'rel-td-public-key-3a', privateKey: 'rel-td-private-key-9b' },
};

/** The credential fields that are secrets (account ids and public keys are not). */
const SECRET_FIELDS: Record<string, string[]> = {
  ringba: ['apiToken'],
  retreaver: ['apiKey'],
  trackdrive: ['privateKey'],
};

export interface Connection {
  id: string;
  provider: string;
  templates: WebhookTemplate[];
}

/** Creates a connection through the API; its webhook secret and credentials join the secrets to look for. */
export async function createConnection(
  platform: Platform,
  provider: string,
  settings: Record<string, unknown> = {},
): Promise<Connection> {
  const created = await platform.admin<{ connection: { id: string }; webhookSecret: string }>(
    'POST',
    '/connections',
    {
      provider,
      name: `${provider} reliability`,
      credentials: CREDENTIALS[provider],
      validate: false,
      settings,
    },
  );
  platform.secrets.more.push(
    created.webhookSecret,
    ...SECRET_FIELDS[provider].map((f) => CREDENTIALS[provider][f]),
  );
  const { items } = await platform.admin<{ items: WebhookTemplate[] }>(
    'GET',
    `/connections/${created.connection.id}/webhook-templates`,
  );
  return { id: created.connection.id, provider, templates: items };
}

export interface Delivery {
  call: CallSpec;
  trigger: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The webhooks of `count` calls (each call's whole lifecycle), as the provider would send them. */
export function callDeliveries(
  platform: Platform,
  connection: Connection,
  count: number,
  first = 0,
): Delivery[] {
  const byTrigger = new Map(connection.templates.map((t) => [t.trigger, t]));
  const deliveries: Delivery[] = [];
  for (let i = first; i < first + count; i++) {
    const call = newCallSpec(connection.provider, i, new Date(Date.now() - 3_600_000 + i * 1000));
    for (const [step, trigger] of (CALL_LIFECYCLES[connection.provider] ?? []).entries()) {
      const template = byTrigger.get(trigger);
      if (!template) continue;
      const values = tokenValues(call, trigger, new Date(call.startedAt.getTime() + step * 1000));
      const fill = (text: string, encode: (v: string) => string) =>
        text.replace(/\[([^\]]+)\]/g, (_, t: string) => encode(values[t] ?? ''));
      const url = new URL(fill(template.url, encodeURIComponent));
      deliveries.push({
        call,
        trigger,
        method: template.method,
        url: `${platform.apiBase}${url.pathname}${url.search}`,
        headers: {
          ...(template.headers ?? {}),
          ...(template.contentType ? { 'content-type': template.contentType } : {}),
        },
        body: template.body ? fill(template.body, (v) => JSON.stringify(v).slice(1, -1)) : undefined,
      });
    }
  }
  return deliveries;
}

export interface Outcome {
  delivery: Delivery;
  status: number;
  /** Inbox row id in a 202 (stored) or 200 (duplicate) answer. */
  id?: string;
  /** Response body (for the secret check). */
  body: string;
}

/**
 * Sends deliveries at `ratePerSecond` (at most `maxInFlight` at once), the way a provider does:
 * a delivery that got no 2xx is retried (after `retryDelayMs`) up to `retries` times, and every
 * `redeliverEvery`-th delivery is sent a second time after its first 2xx (a provider redelivery).
 */
export async function sendAtRate(
  deliveries: readonly Delivery[],
  options: {
    ratePerSecond: number;
    maxInFlight?: number;
    retries?: number;
    retryDelayMs?: number;
    redeliverEvery?: number;
  },
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const maxInFlight = options.maxInFlight ?? 64;
  let inFlight = 0;
  const started = Date.now();
  const sendOnce = async (delivery: Delivery): Promise<Outcome> => {
    try {
      const res = await fetch(delivery.url, {
        method: delivery.method,
        headers: delivery.headers,
        body: delivery.body,
        signal: AbortSignal.timeout(15_000),
      });
      const body = await res.text();
      let id: string | undefined;
      try {
        id = (JSON.parse(body) as { id?: string }).id;
      } catch {
        id = undefined;
      }
      const outcome = { delivery, status: res.status, id, body };
      outcomes.push(outcome);
      return outcome;
    } catch (error) {
      const outcome = { delivery, status: 0, body: String((error as Error).message) };
      outcomes.push(outcome);
      return outcome;
    }
  };
  const deliver = async (delivery: Delivery, index: number) => {
    for (let attempt = 0; attempt <= (options.retries ?? 20); attempt++) {
      const outcome = await sendOnce(delivery);
      if (outcome.status >= 200 && outcome.status < 300) {
        if (options.redeliverEvery && index % options.redeliverEvery === 0) await sendOnce(delivery);
        return;
      }
      if (outcome.status >= 400 && outcome.status < 500 && outcome.status !== 429) return;
      await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs ?? 500));
    }
  };
  const pending: Promise<void>[] = [];
  for (const [index, delivery] of deliveries.entries()) {
    const due = started + (index * 1000) / options.ratePerSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight >= maxInFlight) await new Promise((resolve) => setTimeout(resolve, 2));
    inFlight++;
    pending.push(deliver(delivery, index).finally(() => inFlight--));
  }
  await Promise.all(pending);
  return outcomes;
}
