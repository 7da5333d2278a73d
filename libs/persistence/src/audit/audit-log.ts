import { Injectable, Logger } from '@nestjs/common';
import { AuditLogRepository, type AuditEntry } from '../repositories/audit-log.repository.js';

/**
 * Records admin actions in `audit_log`. Inject it wherever an admin action happens (API
 * controllers, CLI commands, the sync engine's backfill routes) and call `record` after the action
 * succeeded. The action has happened by then, so a failed audit write is logged loudly rather than
 * turned into a failed request.
 */
@Injectable()
export class AuditLog {
  private readonly logger = new Logger('AuditLog');

  constructor(private readonly repository: AuditLogRepository) {}

  async record(entry: AuditEntry): Promise<void> {
    try {
      await this.repository.insert(entry);
    } catch (error) {
      this.logger.error({
        msg: 'audit record not written',
        action: entry.action,
        targetType: entry.target.type,
        targetId: entry.target.id ?? null,
        error: (error as Error).message,
      });
    }
  }
}
