import type { OnModuleInit } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { OutageLog, type OutageLogger } from '@switchboard/core';
import type { Queue, Worker } from 'bullmq';

/** The part of an ioredis client the listeners use. */
interface ReadyEmitter {
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * Logs a BullMQ worker's connection errors as one line when Redis goes away and one when it is
 * back (OutageLog), instead of a line per failed command of each of its connections.
 */
export function logWorkerErrors(worker: Worker, logger: OutageLogger, what: string): OutageLog {
  const outage = new OutageLog(logger, what);
  worker.on('error', (error) => outage.failure(error));
  // A job starting, or the connection's ready event, means Redis answers again.
  worker.on('active', () => outage.success());
  void worker.client.then((client) =>
    (client as unknown as ReadyEmitter).on('ready', () => outage.success()),
  );
  return outage;
}

/**
 * An 'error' listener for every queue a process registers. Without one, BullMQ writes each
 * connection error of a queue to the console itself (raw, multi-line `Unhandled error` dumps, a
 * few a second per queue during a Redis outage); with it, one line per outage per queue.
 */
export class QueueErrorListeners implements OnModuleInit {
  private readonly logger = new Logger('Queue');

  constructor(private readonly queues: Queue[]) {}

  onModuleInit(): void {
    for (const queue of this.queues) {
      const outage = new OutageLog(this.logger, `queue ${queue.name} (Redis)`);
      queue.on('error', (error) => outage.failure(error));
      void queue.client.then((client) =>
        (client as unknown as ReadyEmitter).on('ready', () => outage.success()),
      );
    }
  }
}
