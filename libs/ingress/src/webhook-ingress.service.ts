import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import {
  CALL_EVENT_TYPES,
  DEFAULT_TOKEN_HEADER,
  DEFAULT_TOKEN_QUERY_PARAM,
  MalformedBodyError,
  OutageLog,
  ProviderRegistry,
  describeVerification,
  parseWebhookBody,
  standardWebhookId,
  verifyWebhookRequest,
  type InboundWebhook,
  type WebhookDescription,
} from '@switchboard/core';
import { SwitchboardMetrics } from '@switchboard/metrics';
import type { InboxRow, InboxRowStatus } from '@switchboard/persistence';
import {
  DEFAULT_SECRET_NAMES,
  clean,
  flattenHeaders,
  parseQuery,
  secretNames,
  withoutSecretHeaders,
  withoutSecretBody,
  withoutSecretParams,
  type RawHeaders,
  type SecretNames,
} from './inbound-request.js';
import { webhookDedupKey } from './dedup-key.js';
import {
  IngressConnections,
  type IngressConnection,
  type UnreadableIngressConnection,
} from './ingress-connections.js';
import { unstorableReason } from './storable-body.js';
import { InboxWriter, isDataError } from './inbox-writer.js';
import { WebhookRateLimiter } from './webhook-rate-limiter.js';

/** What the HTTP layer sends back. Error bodies get the request id added there. */
export interface IngressReply {
  statusCode: number;
  body: Record<string, unknown>;
  retryAfterSeconds?: number;
}

/** A webhook request as far as it is known before its body is read. */
export interface WebhookRequestHead {
  provider: string;
  connectionId: string;
  method: string;
  /** Path and query string, as received. */
  url: string;
  headers: RawHeaders;
  /** Client address after trusted-proxy resolution. */
  sourceIp?: string;
  receivedAt: Date;
  /** performance.now() when the request arrived, for the latency histogram. */
  startedAt: number;
}

/** A request that passed the checks made before reading its body. */
export interface AdmittedWebhook {
  head: WebhookRequestHead;
  connection: IngressConnection;
}

export type Admission = { admitted: AdmittedWebhook } | { reply: IngressReply };

type Outcome =
  | 'accepted'
  | 'duplicate'
  | 'rejected_signature'
  | 'rejected_ip'
  | 'malformed'
  | 'unstorable'
  | 'too_large'
  | 'unknown_connection'
  | 'rate_limited'
  | 'unavailable';

const EVENT_TYPES = new Set<string>(CALL_EVENT_TYPES);
const RETRY_AFTER_UNAVAILABLE_SECONDS = 5;
/** Audit rows for unknown connections, per provider per second and process: enough to see a misconfiguration, too few to flood the table. */
const UNKNOWN_AUDIT_PER_SECOND = 20;

/**
 * The webhook front door: connection lookup, rate limit, verification, durable inbox row, enqueue.
 * Every request ends in one reply and one metric; every refusal of a request that names a known
 * provider leaves an audit row (status `rejected`), except rate-limited ones, whose rows would be
 * the flood the limit is there to stop.
 */
@Injectable()
export class WebhookIngress {
  private readonly logger = new Logger('Ingress');
  private unknownAudit = { second: 0, counts: new Map<string, number>() };
  /** PostgreSQL outages as seen by the ingress: one line when they start, one when they end. */
  private readonly storage: OutageLog;

  constructor(
    private readonly connections: IngressConnections,
    private readonly registry: ProviderRegistry,
    private readonly limiter: WebhookRateLimiter,
    private readonly writer: InboxWriter,
    private readonly metrics: SwitchboardMetrics,
    private readonly config: AppConfig,
  ) {
    this.storage = new OutageLog(this.logger, 'webhook storage (PostgreSQL)', {
      onFailure: () => this.metrics.dependencyErrors.inc({ dependency: 'postgresql' }),
      onChange: (up) => this.metrics.dependencyUp.set({ dependency: 'postgresql' }, up ? 1 : 0),
    });
    this.metrics.dependencyUp.set({ dependency: 'postgresql' }, 1);
  }

  /** Checks made before the body is read: provider, connection, active flag, rate limit. */
  async admit(head: WebhookRequestHead): Promise<Admission> {
    if (!this.registry.has(head.provider)) {
      return {
        reply: this.finish(
          head,
          'unknown',
          'unknown',
          'unknown_connection',
          notFound(
            'unknown_provider',
            `no plugin is loaded for provider "${clean(head.provider).slice(0, 64)}"`,
          ),
        ),
      };
    }
    let connection: IngressConnection | UnreadableIngressConnection | null;
    try {
      connection = await this.connections.get(head.connectionId);
    } catch (error) {
      this.storage.failure(error);
      return { reply: this.unavailable(head) };
    }
    if (!connection || connection.provider !== head.provider) {
      await this.auditUnknown(head);
      return {
        reply: this.finish(
          head,
          head.provider,
          'unknown',
          'unknown_connection',
          connectionNotFound(head.connectionId),
        ),
      };
    }
    if (isUnreadable(connection)) {
      if (connection.active) return { reply: await this.unreadable(head, connection) };
      await this.audit(head, null, {
        status: 404,
        error: 'connection is inactive',
        verification: 'skipped',
        connectionId: connection.id,
      });
      return {
        reply: this.finish(
          head,
          head.provider,
          'unknown',
          'unknown_connection',
          connectionNotFound(head.connectionId),
        ),
      };
    }
    if (!connection.active) {
      await this.audit(head, connection, {
        status: 404,
        error: 'connection is inactive',
        verification: 'skipped',
      });
      return {
        reply: this.finish(
          head,
          head.provider,
          'unknown',
          'unknown_connection',
          connectionNotFound(head.connectionId),
        ),
      };
    }
    if (!(await this.limiter.take(connection.id, connection.rateLimitPerSecond))) {
      return {
        reply: this.finish(head, head.provider, 'unknown', 'rate_limited', {
          statusCode: 429,
          body: {
            statusCode: 429,
            error: 'rate_limited',
            message: `more than ${connection.rateLimitPerSecond} webhooks per second for this connection`,
          },
          retryAfterSeconds: this.limiter.retryAfterSeconds(),
        }),
      };
    }
    return { admitted: { head, connection } };
  }

  /** Verifies, stores and enqueues an admitted request with its body. */
  async receive(admitted: AdmittedWebhook, rawBody: Buffer): Promise<IngressReply> {
    const { head, connection } = admitted;
    const headers = flattenHeaders(head.headers);
    const query = parseQuery(head.url);
    const contentType = headers['content-type'];
    let body: unknown;
    let malformed: string | undefined;
    try {
      body = parseWebhookBody(rawBody, contentType);
    } catch (error) {
      if (!(error instanceof MalformedBodyError)) throw error;
      malformed = error.message;
    }
    const request: InboundWebhook = {
      method: head.method,
      headers,
      query,
      contentType,
      rawBody,
      body,
      receivedAt: head.receivedAt,
      sourceIp: head.sourceIp,
    };

    const verification = verifyWebhookRequest(request, connection.policy, connection.keys, {
      adapterVerify: connection.adapter.verifyWebhook?.bind(connection.adapter),
      now: head.receivedAt,
    });
    const verificationText = describeVerification(verification);
    const stripped = {
      headers: withoutSecretHeaders(headers, connection.secrets),
      query: withoutSecretParams(query, connection.secrets),
    };
    // Verification needed the body as sent; what is stored and mapped loses its secret-bearing keys.
    const secretless =
      malformed === undefined
        ? withoutSecretBody(rawBody, body, contentType, connection.secrets)
        : { rawBody, body };
    if (!verification.ok) {
      const reason = verification.reason ?? 'invalid_signature';
      await this.audit(head, connection, {
        status: verification.httpStatus,
        error: `verification failed: ${reason}`,
        verification: verificationText,
        rawBody: secretless.rawBody,
        stripped,
      });
      const outcome = verification.check === 'ip' ? 'rejected_ip' : 'rejected_signature';
      const message =
        verification.check === 'ip'
          ? 'this address may not send webhooks for this connection'
          : `the request could not be verified (${reason})`;
      return this.finish(head, head.provider, 'unknown', outcome, {
        statusCode: verification.httpStatus,
        body: { statusCode: verification.httpStatus, error: reason, message },
      });
    }
    if (malformed !== undefined) {
      await this.audit(head, connection, {
        status: 400,
        error: malformed,
        verification: verificationText,
        rawBody: secretless.rawBody,
        stripped,
      });
      return this.finish(head, head.provider, 'unknown', 'malformed', {
        statusCode: 400,
        body: { statusCode: 400, error: 'malformed_body', message: malformed },
      });
    }

    // A body PostgreSQL or the worker can never store is refused now, not acknowledged and then
    // failed forever (see storable-body.ts).
    const unstorable = unstorableReason(body);
    if (unstorable !== undefined) {
      await this.audit(head, connection, {
        status: 422,
        error: unstorable,
        verification: verificationText,
        rawBody: secretless.rawBody,
        stripped,
      });
      return this.finish(head, head.provider, 'unknown', 'unstorable', {
        statusCode: 422,
        body: { statusCode: 422, error: 'unstorable_body', message: unstorable },
      });
    }

    // The mapper never sees secrets: it gets the stripped headers and query.
    const description = this.describe(connection, {
      ...request,
      rawBody: secretless.rawBody,
      body: secretless.body,
      headers: stripped.headers,
      query: stripped.query,
    });
    const eventId =
      description.eventId ?? (connection.policy.scheme === 'hmac' ? standardWebhookId(headers) : undefined);
    const eventType = description.eventType ?? null;
    const shadow = connection.shadow;
    const row: InboxRow = {
      id: randomUUID(),
      connectionId: connection.id,
      provider: connection.provider,
      eventType: eventType === null ? null : clean(eventType),
      eventId: eventId === undefined ? null : clean(eventId),
      // Shadow rows do not claim the event: once the connection goes live, a redelivery is processed.
      dedupKey: eventId !== undefined && !shadow ? webhookDedupKey(connection.id, eventId) : null,
      method: head.method,
      contentType: contentType === undefined ? null : clean(contentType),
      query: stripped.query,
      headers: stripped.headers,
      rawBody: secretless.rawBody.length > 0 ? secretless.rawBody : null,
      sourceIp: head.sourceIp ?? null,
      verification: verificationText,
      status: shadow ? 'ignored' : 'received',
      httpStatus: shadow ? 200 : 202,
      error: shadow ? 'shadow mode' : null,
      receivedAt: head.receivedAt,
    };
    const label = metricEventType(eventType);
    let result;
    try {
      result = await this.writer.write(row, !shadow);
      this.storage.success();
    } catch (error) {
      return this.storeFailed(head, connection, error, label);
    }
    if (result.kind === 'duplicate') {
      await this.audit(head, connection, {
        status: 200,
        rowStatus: 'ignored',
        error: `duplicate of ${result.id}`,
        verification: verificationText,
        rawBody: secretless.rawBody,
        stripped,
        eventType,
        eventId: eventId ?? null,
      });
      return this.finish(head, head.provider, label, 'duplicate', {
        statusCode: 200,
        body: { id: result.id, status: 'duplicate' },
      });
    }
    if (shadow)
      return this.finish(head, head.provider, label, 'accepted', {
        statusCode: 200,
        body: { id: result.id, status: 'ignored' },
      });
    return this.finish(head, head.provider, label, 'accepted', {
      statusCode: 202,
      body: { id: result.id, status: result.queued ? 'queued' : 'received' },
    });
  }

  /** The body was larger than WEBHOOK_BODY_LIMIT_BYTES: 413, with an audit row without the body. */
  async tooLarge(head: WebhookRequestHead, admitted?: AdmittedWebhook): Promise<IngressReply> {
    const limit = this.config.webhook.bodyLimitBytes;
    if (admitted) {
      const declared = flattenHeaders(head.headers)['content-length'];
      await this.audit(head, admitted.connection, {
        status: 413,
        error: `body larger than ${limit} bytes${declared ? ` (content-length ${clean(declared).slice(0, 20)})` : ''}; not stored`,
        verification: 'skipped',
      });
    }
    return this.finish(
      head,
      admitted ? head.provider : this.registry.has(head.provider) ? head.provider : 'unknown',
      'unknown',
      'too_large',
      {
        statusCode: 413,
        body: {
          statusCode: 413,
          error: 'payload_too_large',
          message: `the body is larger than ${limit} bytes`,
        },
      },
    );
  }

  /**
   * The connection's secrets cannot be decrypted (wrong ENCRYPTION_KEYS; logged once per
   * connection by ConnectionSecretsCheck). The request cannot be verified, so it is not accepted;
   * 503 rather than a 4xx because the fault is ours and fixable: providers retry, and once the
   * right key is back their retries are accepted and nothing is lost. The audit row says why.
   */
  private async unreadable(
    head: WebhookRequestHead,
    connection: UnreadableIngressConnection,
  ): Promise<IngressReply> {
    await this.audit(head, null, {
      status: 503,
      error: `connection ${connection.id}: ${connection.unreadable}; answered 503 so the provider retries`,
      verification: 'skipped',
      connectionId: connection.id,
    });
    return this.finish(head, head.provider, 'unknown', 'unavailable', {
      statusCode: 503,
      body: {
        statusCode: 503,
        error: 'connection_unavailable',
        message: 'this connection cannot verify webhooks right now; retry later',
      },
      retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_SECONDS,
    });
  }

  private describe(connection: IngressConnection, request: InboundWebhook): WebhookDescription {
    try {
      return connection.adapter.describeWebhook(request) ?? {};
    } catch {
      // Only the worker's full mapping decides that a payload is unusable (with the reason in the row).
      return {};
    }
  }

  private storeFailed(
    head: WebhookRequestHead,
    connection: IngressConnection,
    error: unknown,
    label: string,
  ): IngressReply {
    if ((error as { code?: string })?.code === '23503') {
      // The connection was deleted after it was cached.
      this.connections.forget(connection.id);
      return this.finish(
        head,
        head.provider,
        label,
        'unknown_connection',
        connectionNotFound(head.connectionId),
      );
    }
    if (isDataError(error))
      this.logger.error({ msg: 'inbox row refused by the database', err: describeError(error) });
    else this.storage.failure(error);
    return this.unavailable(head, label);
  }

  private unavailable(head: WebhookRequestHead, label = 'unknown'): IngressReply {
    return this.finish(
      head,
      this.registry.has(head.provider) ? head.provider : 'unknown',
      label,
      'unavailable',
      {
        statusCode: 503,
        body: {
          statusCode: 503,
          error: 'service_unavailable',
          message: 'the webhook could not be stored; retry later',
        },
        retryAfterSeconds: RETRY_AFTER_UNAVAILABLE_SECONDS,
      },
    );
  }

  /** Writes a `rejected` (or given status) audit row; a failure to write it never changes the reply. */
  private async audit(
    head: WebhookRequestHead,
    connection: IngressConnection | null,
    details: {
      status: number;
      error: string;
      verification: string;
      rowStatus?: InboxRowStatus;
      rawBody?: Buffer;
      stripped?: { headers: Record<string, string>; query: Record<string, string | string[]> };
      eventType?: string | null;
      eventId?: string | null;
      /** For a connection known by id only (its secrets unreadable). */
      connectionId?: string;
    },
  ): Promise<void> {
    const names: SecretNames = connection?.secrets ?? this.providerSecretNames(head.provider);
    const stripped = details.stripped ?? {
      headers: withoutSecretHeaders(flattenHeaders(head.headers), names),
      query: withoutSecretParams(parseQuery(head.url), names),
    };
    const contentType = stripped.headers['content-type'];
    const row: InboxRow = {
      id: randomUUID(),
      connectionId: connection?.id ?? details.connectionId ?? null,
      provider: head.provider,
      eventType: details.eventType ? clean(details.eventType) : null,
      eventId: details.eventId ? clean(details.eventId) : null,
      dedupKey: null,
      method: head.method,
      contentType: contentType ?? null,
      query: stripped.query,
      headers: stripped.headers,
      rawBody: details.rawBody && details.rawBody.length > 0 ? details.rawBody : null,
      sourceIp: head.sourceIp ?? null,
      verification: details.verification,
      status: details.rowStatus ?? 'rejected',
      httpStatus: details.status,
      error: clean(details.error),
      receivedAt: head.receivedAt,
    };
    try {
      await this.writer.write(row, false);
      this.storage.success();
    } catch (error) {
      if (isDataError(error))
        this.logger.warn({
          msg: 'audit row not written',
          err: describeError(error),
          provider: head.provider,
        });
      else this.storage.failure(error);
    }
  }

  /** Secret-bearing names for a provider when no connection is known: the platform's plus the plugin's token names. */
  private providerSecretNames(provider: string): SecretNames {
    if (!this.registry.has(provider)) return DEFAULT_SECRET_NAMES;
    const { tokenHeader, tokenQueryParam } = this.registry.manifest(provider).webhooks;
    return secretNames(tokenHeader ?? DEFAULT_TOKEN_HEADER, tokenQueryParam ?? DEFAULT_TOKEN_QUERY_PARAM);
  }

  /** Audit row for an unknown connection of a known provider (connection_id null), within a small budget. */
  private async auditUnknown(head: WebhookRequestHead): Promise<void> {
    const second = Math.floor(Date.now() / 1000);
    if (this.unknownAudit.second !== second) this.unknownAudit = { second, counts: new Map() };
    const used = this.unknownAudit.counts.get(head.provider) ?? 0;
    if (used >= UNKNOWN_AUDIT_PER_SECOND) return;
    this.unknownAudit.counts.set(head.provider, used + 1);
    await this.audit(head, null, {
      status: 404,
      error: `no connection ${clean(head.connectionId).slice(0, 80)} for provider ${head.provider}`,
      verification: 'skipped',
    });
  }

  private finish(
    head: WebhookRequestHead,
    provider: string,
    eventType: string,
    outcome: Outcome,
    reply: IngressReply,
  ): IngressReply {
    this.metrics.webhooksReceived.inc({ provider, event_type: eventType, outcome });
    this.metrics.webhookIngressDuration.observe({ provider }, (performance.now() - head.startedAt) / 1000);
    return reply;
  }
}

function isUnreadable(
  connection: IngressConnection | UnreadableIngressConnection,
): connection is UnreadableIngressConnection {
  return 'unreadable' in connection;
}

function notFound(error: string, message: string): IngressReply {
  return { statusCode: 404, body: { statusCode: 404, error, message } };
}

/** Same answer for unknown, inactive and other-provider connections: it tells a prober nothing. */
function connectionNotFound(connectionId: string): IngressReply {
  return notFound(
    'connection_not_found',
    `no active connection ${clean(connectionId).slice(0, 80)} for this provider`,
  );
}

/** Event types become a metric label only when they are one of ours (labels must stay few). */
function metricEventType(eventType: string | null): string {
  if (eventType === null) return 'unknown';
  return EVENT_TYPES.has(eventType) ? eventType : 'other';
}

function describeError(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = (e?.message ?? String(error)).replace(/postgres(ql)?:\/\/[^\s]+/g, 'postgresql://…');
  return e?.code ? `${e.code} ${message}` : message;
}
