import { BadRequestException, Controller, Get, Header, Logger, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { isStreamId, LiveCallStream } from '@switchboard/pipeline';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.guard.js';
import { CallEventsQuery, GetCallQuery, ListCallsQuery, StreamCallsQuery } from './calls.dto.js';
import { CallsService } from './calls.service.js';
import { serveLiveCalls } from './live-calls.sse.js';

/** Calls for host applications (read scope): list, one call, and the live stream. */
@ApiTags('calls')
@ApiBearerAuth()
@RequireScope('read')
@Controller('calls')
export class CallsController {
  private readonly logger = new Logger('Calls');

  constructor(
    private readonly calls: CallsService,
    private readonly live: LiveCallStream,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Calls, newest first (by start time), with filters and cursor pagination' })
  list(@Query() query: ListCallsQuery) {
    return this.calls.list(query);
  }

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Live call changes (Server-Sent Events); reconnect with Last-Event-ID to get what was missed',
  })
  async stream(@Query() query: StreamCallsQuery, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const header = request.headers['last-event-id'];
    const lastEventId = typeof header === 'string' && header !== '' ? header : query.lastEventId;
    if (lastEventId !== undefined && !isStreamId(lastEventId)) {
      throw new BadRequestException({
        error: 'invalid_last_event_id',
        message: 'Last-Event-ID is not an id this stream sent',
      });
    }
    reply.hijack();
    try {
      await serveLiveCalls(this.live, reply.raw, query, lastEventId);
    } catch (error) {
      // Headers may be out already: say why in the stream, then end it (EventSource reconnects).
      if (!reply.raw.headersSent)
        reply.raw.writeHead(503, { 'content-type': 'text/event-stream; charset=utf-8' });
      reply.raw.end(
        `event: stream.error\ndata: ${JSON.stringify({ message: 'live stream unavailable' })}\n\n`,
      );
      this.logger.warn(`live stream failed: ${(error as Error).message}`);
    }
  }

  @Get(':id')
  @ApiOperation({
    summary:
      "One call: from the cache, else the database; with fresh=true re-read from the provider's API " +
      '(through the plugin) and stored through the normal merge first',
  })
  @Header('content-type', 'application/json; charset=utf-8')
  get(@Param('id') id: string, @Query() query: GetCallQuery): Promise<string> {
    return this.calls.getJson(id, query.fresh === true);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The call's timeline: every webhook and sync event folded into it, oldest first" })
  events(@Param('id') id: string, @Query() query: CallEventsQuery) {
    return this.calls.events(id, query.limit ?? 200, query.offset ?? 0);
  }
}
