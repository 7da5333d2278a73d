import { Injectable } from '@nestjs/common';
import { DatabasePool } from '../database/database-pool.js';

/** Who acted: the admin token, an API key (with its id), an open development API, the CLI, or the system. */
export type AuditActorKind = 'admin-token' | 'api-key' | 'open' | 'cli' | 'system';

export interface AuditEntry {
  actor: { kind: AuditActorKind; keyId?: string | null };
  /** Dotted noun.verb, e.g. connection.created, webhook_secret.rotated, api_key.revoked, backfill.started. */
  action: string;
  target: { type: string; id?: string | null };
  requestId?: string | null;
  /** What changed (field names, counts, filters). Never a secret value. */
  details?: Record<string, unknown>;
}

export interface AuditLogRow {
  id: string;
  at: Date;
  actor_kind: AuditActorKind;
  actor_key_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
  /** `at` in epoch microseconds (exact), for keyset paging. */
  position_us: string;
}

export interface AuditLogFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

/** The `audit_log` table: append-only inserts, and keyset-paged reads newest first. */
@Injectable()
export class AuditLogRepository {
  constructor(private readonly pool: DatabasePool) {}

  async insert(entry: AuditEntry): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO audit_log (actor_kind, actor_key_id, action, target_type, target_id, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) RETURNING id`,
      [
        entry.actor.kind,
        entry.actor.keyId ?? null,
        entry.action,
        entry.target.type,
        entry.target.id ?? null,
        entry.requestId ?? null,
        JSON.stringify(entry.details ?? {}),
      ],
    );
    return (rows[0] as { id: string }).id;
  }

  /** Newest first; pass the last row's (position_us, id) as `after` for the next page. */
  async list(
    filter: AuditLogFilter,
    limit: number,
    after?: { atUs: string; id: string },
  ): Promise<AuditLogRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.action) add((p) => `action = ${p}`, filter.action);
    if (filter.targetType) add((p) => `target_type = ${p}`, filter.targetType);
    if (filter.targetId) add((p) => `target_id = ${p}`, filter.targetId);
    if (filter.from) add((p) => `at >= ${p}`, filter.from);
    if (filter.to) add((p) => `at < ${p}`, filter.to);
    if (after) {
      params.push(after.atUs, after.id);
      where.push(
        `(at, id) < (timestamptz 'epoch' + $${params.length - 1}::bigint * interval '1 microsecond', $${params.length}::uuid)`,
      );
    }
    params.push(limit);
    const { rows } = await this.pool.query<AuditLogRow>(
      `SELECT *, (extract(epoch FROM at) * 1000000)::bigint::text AS position_us FROM audit_log
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows;
  }
}
