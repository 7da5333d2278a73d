import { Module } from '@nestjs/common';
import { PipelineApiModule } from '@switchboard/pipeline';
import { WebhookLogsController } from './webhook-logs.controller.js';

@Module({ imports: [PipelineApiModule], controllers: [WebhookLogsController] })
export class WebhookLogsModule {}
