import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { InboxBacklog } from '@switchboard/ingress';
import { HealthController } from './health.controller.js';
import { ReadinessIndicators } from './readiness.indicators.js';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false })],
  controllers: [HealthController],
  providers: [ReadinessIndicators, InboxBacklog],
})
export class HealthModule {}
