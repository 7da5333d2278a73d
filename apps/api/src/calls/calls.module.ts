import { Module } from '@nestjs/common';
import { CallEventStore, LiveEventPublisher, PipelineApiModule } from '@switchboard/pipeline';
import { CallReadThrough } from './call-read-through.service.js';
import { CallsController } from './calls.controller.js';
import { CallsService } from './calls.service.js';
import { ConnectionCallsController } from './connection-calls.controller.js';

@Module({
  imports: [PipelineApiModule],
  controllers: [CallsController, ConnectionCallsController],
  // CallEventStore and LiveEventPublisher: read-through stores provider answers like the worker does.
  providers: [CallsService, CallReadThrough, CallEventStore, LiveEventPublisher],
})
export class CallsModule {}
