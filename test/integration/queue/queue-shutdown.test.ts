import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { AppConfigModule } from '@switchboard/config';
import { QueueModule, QueuesSettleBeforeShutdown, redisOptionsFromUrl } from '@switchboard/queue';
import { testConfig } from '../../support/app-config.js';
import { uniqueRedisPrefix } from '../../support/redis.js';
import { TEST_REDIS_URL } from '../../support/services.js';

/**
 * A process that stops right after starting (a CLI command done in milliseconds) must not crash:
 * BullMQ 5 rejects the start-up of a queue closed while still connecting, with nobody listening
 * (seen as `keys revoke` exiting 1 in a busy CI run, after its work was done).
 */
describe('queues closed right after they were made (real Redis)', () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(() => process.off('unhandledRejection', record));

  it('close without an unhandled rejection once they have settled', async () => {
    const prefix = uniqueRedisPrefix('qclose');
    for (let i = 0; i < 10; i++) {
      // Offline queue off, as producers have it: the start-up's INFO then fails at once on close.
      const connection = { ...redisOptionsFromUrl(TEST_REDIS_URL), enableOfflineQueue: false };
      const queue = new Queue(`q${i}`, { connection, prefix });
      queue.on('error', () => undefined);
      await new Promise((resolve) => setTimeout(resolve, i % 5));
      await new QueuesSettleBeforeShutdown([queue]).beforeApplicationShutdown();
      await queue.close();
    }
    // A rejected start-up surfaces a few ticks after the close.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(unhandled.map(String)).toEqual([]);
  });

  it('does not hold a shutdown for long when a queue never connects (Redis down)', async () => {
    const neverReady = { waitUntilReady: () => new Promise(() => undefined) } as unknown as Queue;
    const started = Date.now();
    await new QueuesSettleBeforeShutdown([neverReady], 300).beforeApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('is part of every process that registers the queues', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppConfigModule.forRoot(testConfig({ REDIS_PREFIX: uniqueRedisPrefix('qmod') })),
        QueueModule.forRoot(),
      ],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.get(QueuesSettleBeforeShutdown)).toBeInstanceOf(QueuesSettleBeforeShutdown);
    await moduleRef.close();
  });
});
