export interface MicroBatcherOptions<I, O> {
  /** Flush as soon as this many items wait. */
  maxSize: number;
  /** Flush a partial batch this long after its first item arrived. */
  maxWaitMs: number;
  /** Batches handled at the same time (each takes a database connection). */
  maxConcurrent: number;
  /** Handles a batch; must return one outcome per item, in order. A throw fails every item of the batch. */
  handle(items: I[]): Promise<O[]>;
}

interface Pending<I, O> {
  item: I;
  resolve(outcome: O): void;
  reject(error: unknown): void;
}

/**
 * Collects items submitted one at a time (one per BullMQ job) into batches, so a whole batch is
 * stored in one transaction, while each submitter still gets its own outcome. A batch leaves when
 * it is full, or `maxWaitMs` after its first item if a slot is free: while `maxConcurrent` batches
 * are running, a partial batch keeps growing instead, so batches get bigger exactly when the
 * database is the bottleneck (BullMQ's concurrency bounds how many items can be waiting at all).
 */
export class MicroBatcher<I, O> {
  private buffer: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly ready: Pending<I, O>[][] = [];
  private running = 0;
  /** The partial buffer has waited maxWaitMs: send it as soon as a slot is free. */
  private due = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly options: MicroBatcherOptions<I, O>) {
    if (options.maxSize < 1 || options.maxConcurrent < 1)
      throw new RangeError('maxSize and maxConcurrent must be >= 1');
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.buffer.push({ item, resolve, reject });
      if (this.buffer.length >= this.options.maxSize) {
        this.cut();
      } else if (!this.timer && !this.due) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.due = true;
          this.pump();
        }, this.options.maxWaitMs);
      }
    });
  }

  /** Items waiting or being handled. */
  get pending(): number {
    return this.buffer.length + this.ready.reduce((n, b) => n + b.length, 0) + this.running;
  }

  /** Sends what is buffered now and resolves when every batch has been handled. */
  async drain(): Promise<void> {
    this.cut();
    if (this.running === 0 && this.ready.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Moves the buffer to the batches ready to run. */
  private cut(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
    if (this.buffer.length === 0) return;
    this.ready.push(this.buffer);
    this.buffer = [];
    this.pump();
  }

  private pump(): void {
    while (this.running < this.options.maxConcurrent) {
      if (this.ready.length === 0 && this.due && this.buffer.length > 0) {
        this.ready.push(this.buffer);
        this.buffer = [];
        this.due = false;
      }
      const batch = this.ready.shift();
      if (!batch) return;
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        this.pump();
        if (this.running === 0 && this.ready.length === 0) {
          for (const wake of this.idleWaiters.splice(0)) wake();
        }
      });
    }
  }

  private async run(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.options.handle(batch.map((p) => p.item));
      if (outcomes.length !== batch.length) {
        throw new Error(`batch handler returned ${outcomes.length} outcomes for ${batch.length} items`);
      }
      batch.forEach((p, i) => p.resolve(outcomes[i]));
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}
