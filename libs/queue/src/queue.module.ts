import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AppConfig } from '@switchboard/config';
import type { Queue } from 'bullmq';
import { producerConnection } from './connection-options.js';
import { ALL_QUEUES } from './queue-names.js';
import { QueueErrorListeners } from './queue-errors.js';
import { QueuesSettleBeforeShutdown } from './queue-shutdown.js';

/** Registers every queue for producers (api, cli) and processors (worker). */
@Global()
@Module({})
export class QueueModule {
  static forRoot(): DynamicModule {
    const registered = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));
    const queues = ALL_QUEUES.map((name) => getQueueToken(name));
    return {
      module: QueueModule,
      imports: [
        BullModule.forRootAsync({
          useFactory: (config: AppConfig) => ({
            connection: producerConnection(config.redisUrl),
            prefix: config.redisPrefix,
          }),
          inject: [AppConfig],
        }),
        registered,
      ],
      providers: [
        {
          provide: QueueErrorListeners,
          useFactory: (...queues: Queue[]) => new QueueErrorListeners(queues),
          inject: queues,
        },
        {
          provide: QueuesSettleBeforeShutdown,
          useFactory: (...queues: Queue[]) => new QueuesSettleBeforeShutdown(queues),
          inject: queues,
        },
      ],
      exports: [registered],
    };
  }
}
