import type { Queue } from 'bullmq';

/**
 * Whether a BullMQ queue's Redis connection is up, answered without a round trip. BullMQ makes
 * every command wait until the first connection is made, so with Redis down at startup an add
 * would hang; with it lost later, the producer connection (no offline queue) fails at once. This
 * waits for the first connection once, shared by all callers and for a bounded time, and then
 * reads the connection's status, so that while Redis is down callers skip the enqueue at no cost
 * instead of each waiting for a timeout.
 */
export class QueueReadiness {
  private client?: { status: string };
  private readonly connected: Promise<void>;
  private startup?: Promise<void>;

  constructor(
    queue: Queue,
    private readonly startupWaitMs: number,
  ) {
    this.connected = queue.client.then(
      (client) => {
        this.client = client;
      },
      () => undefined,
    );
  }

  async isReady(): Promise<boolean> {
    if (!this.client) {
      this.startup ??= Promise.race([this.connected, delay(this.startupWaitMs)]);
      await this.startup;
    }
    return this.client?.status === 'ready';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
