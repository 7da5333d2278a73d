import { REDACTED, SECRET_QUERY_PARAMS, redactHeaders } from '@switchboard/logging';
import type { WebhookLogRow } from '@switchboard/persistence';

/** A webhook_logs row as operators see it: secrets stay out (again, on top of the ingress's own redaction). */
export interface WebhookLogView {
  id: string;
  connectionId: string | null;
  provider: string;
  eventType: string | null;
  eventId: string | null;
  method: string;
  contentType: string | null;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** The body as text (UTF-8), or base64 when it is not valid UTF-8 (see bodyEncoding). */
  body: string | null;
  bodyEncoding: 'utf8' | 'base64';
  sourceIp: string | null;
  verification: string;
  status: string;
  httpStatus: number;
  attempts: number;
  error: string | null;
  /**
   * Values the payload carried but the mapper could not use ({field, source?, reason, value}); the
   * call was stored with the rest. Empty when everything mapped or the row is not processed yet.
   */
  mappingWarnings: Array<{ field: string; source?: string; reason: string; value: string }>;
  receivedAt: string;
  processedAt: string | null;
  createdAt: string;
}

export function toWebhookLogView(row: WebhookLogRow): WebhookLogView {
  const text = row.raw_body ? row.raw_body.toString('utf8') : null;
  const isUtf8 = text === null || Buffer.from(text, 'utf8').equals(row.raw_body as Buffer);
  return {
    id: row.id,
    connectionId: row.connection_id,
    provider: row.provider,
    eventType: row.event_type,
    eventId: row.event_id,
    method: row.method,
    contentType: row.content_type,
    query: redactQuery(row.query ?? {}),
    headers: redactHeaders(row.headers ?? {}),
    body: isUtf8 ? text : (row.raw_body as Buffer).toString('base64'),
    bodyEncoding: isUtf8 ? 'utf8' : 'base64',
    sourceIp: row.source_ip,
    verification: row.verification,
    status: row.status,
    httpStatus: row.http_status,
    attempts: row.attempts,
    error: row.error,
    mappingWarnings: (row.mapping_warnings ?? []).map((w) => ({
      field: w.field,
      ...(w.source !== undefined ? { source: w.source } : {}),
      reason: w.reason,
      value: w.value,
    })),
    receivedAt: row.received_at.toISOString(),
    processedAt: row.processed_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

function redactQuery(query: Record<string, string | string[]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(query))
    out[key] = SECRET_QUERY_PARAMS.has(key.toLowerCase()) ? REDACTED : value;
  return out;
}
