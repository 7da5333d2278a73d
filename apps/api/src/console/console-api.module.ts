import { Module } from '@nestjs/common';
import { CallTimelineService } from './call-timeline.service.js';
import { ConsoleApiController } from './console-api.controller.js';
import { OverviewService } from './overview.service.js';

/** The API additions behind the web console (overview, whoami, credential forms, call timeline). */
@Module({
  controllers: [ConsoleApiController],
  providers: [OverviewService, CallTimelineService],
})
export class ConsoleApiModule {}
