import { Module } from '@nestjs/common';
import { PrismaService } from '@switchboard/persistence/prisma';
import { CallTimelineService } from './call-timeline.service.js';
import { ConsoleApiController } from './console-api.controller.js';
import { OverviewService } from './overview.service.js';

/** The API additions behind the web console (overview, whoami, credential forms, call timeline). */
@Module({
  controllers: [ConsoleApiController],
  // Prisma serves only these queries: the client is loaded by the API, never by the worker.
  providers: [PrismaService, OverviewService, CallTimelineService],
})
export class ConsoleApiModule {}
