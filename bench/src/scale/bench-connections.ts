import type { WebhookTemplate } from '@switchboard/core';
import type { ScaleConnection } from './webhook-traffic.js';

const CREDENTIALS: Record<string, Record<string, string>> = {
  ringba: { accountId: 'RA0123456', apiToken: 'ringba-api-token-1234' },
  retreaver: { apiKey: 'retreaver-api-key', companyId: '1234' },
  trackdrive: { subdomain: 'acme', publicKey: 'public-key', privateKey: 'private-key' },
};

/**
 * Creates a provider connection through the api's REST API (as an operator would) and reads the
 * webhook templates its plugin gives for it.
 */
export async function createConnection(options: {
  apiUrl: string;
  adminToken: string;
  provider: string;
  name: string;
  scheme: 'hmac' | 'token';
  rateLimitPerSecond?: number;
}): Promise<ScaleConnection> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${options.adminToken}` };
  const webhook = {
    ...(options.scheme === 'hmac' ? { scheme: 'hmac' } : {}),
    ...(options.rateLimitPerSecond ? { rateLimitPerSecond: options.rateLimitPerSecond } : {}),
  };
  const response = await fetch(`${options.apiUrl}/connections`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      provider: options.provider,
      name: options.name,
      validate: false,
      credentials: CREDENTIALS[options.provider],
      // Webhooks only: no scheduled sync calling a provider that is not there.
      settings: { webhook, sync: { enabled: false } },
    }),
  });
  if (response.status !== 201 && response.status !== 200)
    throw new Error(
      `creating a ${options.provider} connection failed: ${response.status} ${await response.text()}`,
    );
  const created = (await response.json()) as { connection: { id: string }; webhookSecret: string };
  const id = created.connection.id;
  const listed = await fetch(`${options.apiUrl}/connections/${id}/webhook-templates`, { headers });
  if (!listed.ok) throw new Error(`webhook templates of ${id}: ${listed.status} ${await listed.text()}`);
  const { items } = (await listed.json()) as { items: WebhookTemplate[] };
  return {
    id,
    provider: options.provider,
    scheme: options.scheme,
    secret: created.webhookSecret,
    templates: new Map(items.map((t) => [t.trigger, t])),
  };
}
