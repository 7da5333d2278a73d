import type { ApiResponseOptions } from '@nestjs/swagger';

type SchemaObject = NonNullable<Extract<ApiResponseOptions, { schema?: unknown }>['schema']>;

/** OpenAPI shapes of the console's routes (plain objects: the answers are built, not DTO classes). */
const int = { type: 'integer' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const nullableTime = { ...time, nullable: true };
const seconds = { type: 'number', nullable: true, description: 'seconds' };

export const OVERVIEW_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    generatedAt: time,
    windowMinutes: { ...int, example: 60 },
    connections: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          connectionId: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          provider: { type: 'string', example: 'ringba' },
          mode: { type: 'string', enum: ['live', 'shadow'] },
          active: { type: 'boolean' },
          received: { ...int, description: 'webhook requests stored in the window, all outcomes' },
          rejected: { ...int, description: 'refused at the door (token, signature, address, body)' },
          processed: int,
          failed: int,
          pending: { ...int, description: 'accepted, not processed yet (any age)' },
          lagSeconds: { type: 'object', properties: { avg: seconds, max: seconds } },
          lastReceivedAt: nullableTime,
          sync: {
            type: 'object',
            nullable: true,
            properties: {
              state: { type: 'string' },
              lastSuccessAt: nullableTime,
              lastRunAt: nullableTime,
              error: { type: 'string', nullable: true },
            },
          },
        },
      },
    },
    providers: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          provider: { type: 'string' },
          received: int,
          rejected: int,
          processed: int,
          failed: int,
        },
      },
    },
    queues: {
      type: 'array',
      nullable: true,
      description: 'null when Redis cannot be read (see queuesError)',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          waiting: int,
          active: int,
          delayed: int,
          failed: int,
          completed: int,
        },
      },
    },
    queuesError: { type: 'string' },
    series: {
      type: 'array',
      description: 'one entry per minute, oldest first, the last one the current minute',
      items: { type: 'object', properties: { minute: time, received: int, processed: int } },
    },
    plugins: {
      type: 'object',
      properties: {
        loaded: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              provider: { type: 'string' },
              displayName: { type: 'string' },
              version: { type: 'string' },
            },
          },
        },
        failed: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              package: { type: 'string' },
              provider: { type: 'string' },
              reason: { type: 'string' },
            },
          },
        },
      },
    },
  },
};

export const CREDENTIAL_FIELDS_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    provider: { type: 'string' },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', example: 'accountId' },
          label: { type: 'string', example: 'Account ID' },
          secret: { type: 'boolean' },
          required: { type: 'boolean' },
          pattern: { type: 'string', description: 'regular expression the value must match' },
          minLength: int,
          maxLength: int,
          hints: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};

export const TIMELINE_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    callId: { type: 'string', format: 'uuid' },
    events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          source: { type: 'string', example: 'webhook' },
          eventType: { type: 'string', example: 'call.completed' },
          occurredAt: time,
          receivedAt: time,
          webhookLogId: { type: 'string', format: 'uuid', nullable: true },
          data: { type: 'object' },
        },
      },
    },
    fieldSources: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          at: time,
          eventId: { type: 'string', format: 'uuid', nullable: true },
          source: { type: 'string', nullable: true },
          eventType: { type: 'string', nullable: true },
        },
      },
    },
  },
};
