import { parseWebhookBody, type InboundWebhook } from '@switchboard/core';
import type { WebhookLogForProcessing } from '@switchboard/persistence';

/**
 * Rebuilds the request a plugin maps from its inbox row: the bytes as received, the body parsed by
 * the same function the ingress used, the query and headers as stored (secrets were removed at the
 * ingress). Throws MalformedBodyError when the body does not parse (never retried).
 */
export function inboundWebhookFromRow(row: WebhookLogForProcessing): InboundWebhook {
  const rawBody = row.raw_body ?? Buffer.alloc(0);
  const contentType = row.content_type ?? undefined;
  return {
    method: row.method,
    headers: stringRecord(row.headers),
    query: queryRecord(row.query),
    contentType,
    rawBody,
    body: parseWebhookBody(rawBody, contentType),
    receivedAt: row.received_at,
    sourceIp: row.source_ip ?? undefined,
  };
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string') out[key.toLowerCase()] = v;
      else if (Array.isArray(v)) out[key.toLowerCase()] = v.map(String).join(', ');
      else if (v !== null && v !== undefined) out[key.toLowerCase()] = String(v);
    }
  }
  return out;
}

function queryRecord(value: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string') out[key] = v;
      else if (Array.isArray(v)) out[key] = v.map(String);
      else if (v !== null && v !== undefined) out[key] = String(v);
    }
  }
  return out;
}
