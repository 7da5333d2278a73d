import { MicroBatcher } from './micro-batcher.js';

describe('MicroBatcher', () => {
  it('flushes a full batch at once and gives each submitter its own outcome', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, string>({
      maxSize: 3,
      maxWaitMs: 10_000,
      maxConcurrent: 1,
      handle: async (items) => {
        batches.push(items);
        return items.map((i) => `done ${i}`);
      },
    });
    const results = await Promise.all([1, 2, 3].map((i) => batcher.submit(i)));
    expect(results).toEqual(['done 1', 'done 2', 'done 3']);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('flushes a partial batch after maxWaitMs', async () => {
    const batcher = new MicroBatcher<number, number>({
      maxSize: 100,
      maxWaitMs: 5,
      maxConcurrent: 1,
      handle: async (items) => items.map((i) => i * 2),
    });
    const started = Date.now();
    await expect(batcher.submit(21)).resolves.toBe(42);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('runs at most maxConcurrent batches at once and queues the rest', async () => {
    let running = 0;
    let peak = 0;
    const batcher = new MicroBatcher<number, number>({
      maxSize: 2,
      maxWaitMs: 1,
      maxConcurrent: 2,
      handle: async (items) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
        return items;
      },
    });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => batcher.submit(i)));
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(peak).toBe(2);
  });

  it('rejects every item of a batch whose handler throws, and the next batch still runs', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>({
      maxSize: 2,
      maxWaitMs: 1,
      maxConcurrent: 1,
      handle: async (items) => {
        if (calls++ === 0) throw new Error('boom');
        return items;
      },
    });
    const first = [batcher.submit(1), batcher.submit(2)];
    await expect(Promise.all(first)).rejects.toThrow('boom');
    await expect(batcher.submit(3)).resolves.toBe(3);
  });

  it('drain() waits for everything submitted so far', async () => {
    const done: number[] = [];
    const batcher = new MicroBatcher<number, number>({
      maxSize: 50,
      maxWaitMs: 10_000,
      maxConcurrent: 1,
      handle: async (items) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        done.push(...items);
        return items;
      },
    });
    const pending = [batcher.submit(1), batcher.submit(2)];
    await batcher.drain();
    expect(done).toEqual([1, 2]);
    await Promise.all(pending);
    expect(batcher.pending).toBe(0);
  });

  it('lets a partial batch grow while every slot is busy, so batches get bigger under load', async () => {
    const sizes: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher<number, number>({
      maxSize: 100,
      maxWaitMs: 1,
      maxConcurrent: 1,
      handle: async (items) => {
        sizes.push(items.length);
        if (sizes.length === 1) await gate;
        return items;
      },
    });
    const first = batcher.submit(0);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first batch is running
    const rest = Array.from({ length: 30 }, (_, i) => batcher.submit(i + 1));
    await new Promise((resolve) => setTimeout(resolve, 20)); // well past maxWaitMs
    release();
    await Promise.all([first, ...rest]);
    expect(sizes).toEqual([1, 30]);
  });
});
