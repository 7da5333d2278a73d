import { Module } from '@nestjs/common';
import { PipelineApiModule } from '@switchboard/pipeline';
import { CallsController } from './calls.controller.js';
import { CallsService } from './calls.service.js';

@Module({
  imports: [PipelineApiModule],
  controllers: [CallsController],
  providers: [CallsService],
})
export class CallsModule {}
