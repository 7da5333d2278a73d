import { Injectable } from '@nestjs/common';
import { DatabasePool } from '@switchboard/persistence';

export interface HeldLock {
  release(): Promise<void>;
}

/**
 * "At most one scheduled sync per connection at a time", across every worker process: a
 * PostgreSQL session advisory lock held on a connection of its own for the length of the run.
 * A worker that dies (SIGKILL, lost network) loses its session and with it the lock, so nothing
 * has to expire or be cleaned up.
 */
@Injectable()
export class ConnectionSyncLock {
  constructor(private readonly pool: DatabasePool) {}

  /** The lock, or undefined when another process holds it. */
  async tryAcquire(name: string): Promise<HeldLock | undefined> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [`switchboard:sync:${name}`],
      );
      if (!rows[0]?.locked) {
        client.removeListener('error', onError);
        client.release();
        return undefined;
      }
    } catch (error) {
      client.removeListener('error', onError);
      client.release(error as Error);
      throw error;
    }
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        try {
          if (!broken)
            await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [
              `switchboard:sync:${name}`,
            ]);
        } catch (error) {
          broken = error as Error;
        } finally {
          client.removeListener('error', onError);
          // A connection that failed may still hold the lock: destroy it rather than pool it.
          client.release(broken);
        }
      },
    };
  }
}
