import type { BeforeApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';

/**
 * Lets every queue finish connecting before Nest closes it (in onApplicationShutdown). BullMQ 5,
 * closing a queue whose connection is still starting, drops the connection's listeners and then
 * rejects the start-up with nobody listening: an unhandled rejection that turned short CLI commands
 * (done in milliseconds, `keys revoke`) into a crash and exit 1 after their work was done. Bounded,
 * so a Redis outage does not hold the shutdown.
 */
export class QueuesSettleBeforeShutdown implements BeforeApplicationShutdown {
  constructor(
    private readonly queues: Queue[],
    private readonly timeoutMs = 2_000,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.timeoutMs);
    });
    await Promise.race([Promise.allSettled(this.queues.map((queue) => queue.waitUntilReady())), deadline]);
    clearTimeout(timer);
  }
}
