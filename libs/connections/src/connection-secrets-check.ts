import { Injectable, Logger } from '@nestjs/common';
import { DecryptionError, EnvelopeCipher } from '@switchboard/crypto';
import { SwitchboardMetrics } from '@switchboard/metrics';
import { ConnectionRepository } from '@switchboard/persistence';

/** A connection whose stored secrets this process cannot decrypt, and why (never the secret itself). */
export interface UnreadableConnection {
  id: string;
  provider: string;
  reason: string;
}

/** How long a full check of every active connection is reused (readiness is probed every few seconds). */
const CHECK_TTL_MS = 30_000;

/**
 * Connections whose credentials or webhook secrets cannot be decrypted with ENCRYPTION_KEYS (a
 * key removed too early, a database restored under another deployment's keys, `.data` cleaned on a
 * dev machine). Says so once per connection in the log — not once per webhook — keeps the count
 * in `switchboard_connection_secrets_unreadable`, and lists them for readiness.
 */
@Injectable()
export class ConnectionSecretsCheck {
  private readonly logger = new Logger('ConnectionSecrets');
  private readonly reported = new Map<string, UnreadableConnection>();
  private cached?: { at: number; value: Promise<UnreadableConnection[]> };

  constructor(
    private readonly repository: ConnectionRepository,
    private readonly cipher: EnvelopeCipher,
    private readonly metrics: SwitchboardMetrics,
  ) {}

  /** Whether `error` means that stored secrets cannot be decrypted (as opposed to the database being down). */
  static isUnreadable(error: unknown): boolean {
    return error instanceof DecryptionError || (error as { code?: unknown })?.code === 'decryption_failed';
  }

  /** Records a connection found unreadable; logs only the first time. Returns the reason. */
  report(connection: { id: string; providerType: string }, error: unknown): string {
    const reason = `its stored secrets cannot be decrypted: ${(error as Error).message}`;
    if (!this.reported.has(connection.id)) {
      this.logger.error(
        `connection ${connection.id} (${connection.providerType}): ${reason}. Its webhooks are answered 503 ` +
          '(providers retry) and its syncs fail until ENCRYPTION_KEYS holds the key they were encrypted with ' +
          '(docs/operations.md, "Encryption keys")',
      );
    }
    this.reported.set(connection.id, { id: connection.id, provider: connection.providerType, reason });
    this.metrics.connectionsUnreadable.set(this.reported.size);
    return reason;
  }

  /** The connection decrypted fine (again). */
  readable(connectionId: string): void {
    if (!this.reported.delete(connectionId)) return;
    this.logger.log(`connection ${connectionId}: stored secrets readable again`);
    this.metrics.connectionsUnreadable.set(this.reported.size);
  }

  /** Every active connection whose secrets cannot be decrypted (checked at most every 30 s). */
  unreadable(): Promise<UnreadableConnection[]> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CHECK_TTL_MS) return this.cached.value;
    const value = this.checkAll();
    this.cached = { at: now, value };
    value.catch(() => {
      if (this.cached?.value === value) this.cached = undefined;
    });
    return value;
  }

  private async checkAll(): Promise<UnreadableConnection[]> {
    const connections = await this.repository.list({ activeOnly: true });
    const found: UnreadableConnection[] = [];
    for (const c of connections) {
      try {
        this.cipher.decrypt(c.credentials);
        if (c.webhookSecrets) this.cipher.decrypt(c.webhookSecrets);
        this.readable(c.id);
      } catch (error) {
        if (!ConnectionSecretsCheck.isUnreadable(error)) throw error;
        const reason = this.report(c, error);
        found.push({ id: c.id, provider: c.providerType, reason });
      }
    }
    return found;
  }
}
