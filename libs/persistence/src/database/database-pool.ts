import { Logger } from '@nestjs/common';
import pg from 'pg';

/**
 * The one PostgreSQL connection pool of a process. Prisma runs on it (through @prisma/adapter-pg)
 * and the few hot paths that need multi-row SQL use it directly, so there is one budget of
 * connections, not two.
 */
export class DatabasePool extends pg.Pool {
  private readonly poolLogger = new Logger('Database');
  private down = false;

  constructor(connectionString: string, max: number) {
    super({ connectionString, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
    // An idle client losing its server emits 'error' on the pool; without a listener that would
    // crash the process. One log line per outage, not one per dropped client.
    this.on('error', (error) => this.markDown(error));
    // A checked-out client (a transaction in progress, Prisma's or ours) losing its server emits
    // 'error' on the client, where the pool's listener is not attached: give every client one, so
    // a dropped connection fails the statement in flight instead of crashing the process.
    this.on('connect', (client) => client.on('error', (error) => this.markDown(error)));
  }

  markDown(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.poolLogger.error(`PostgreSQL unreachable: ${describe(error)}; will keep retrying`);
  }

  markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.poolLogger.log('PostgreSQL reachable again');
  }

  /**
   * Runs `work` in a transaction on one pooled connection: COMMIT when it resolves, ROLLBACK when it
   * throws. A connection that errors meanwhile (dropped mid-transaction) or cannot roll back is
   * destroyed rather than handed out again. A checked-out client has no error listener of its own:
   * without this one, a dropped connection would be an uncaught 'error' event.
   */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  /** SELECT 1 with a deadline; used by readiness checks. */
  async ping(timeoutMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.query('SELECT 1'),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      this.markUp();
    } catch (error) {
      this.markDown(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Error text without connection strings (which can hold a password). */
export function describe(error: unknown): string {
  const e = error as { code?: string; message?: string };
  const message = (e?.message ?? String(error)).replace(/postgres(ql)?:\/\/[^\s]+/g, 'postgresql://…');
  return e?.code ? `${e.code} ${message}` : message;
}
