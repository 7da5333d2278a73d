import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { ProviderHttpMetrics } from './provider-http-metrics.js';
import { SwitchboardMetrics } from './switchboard-metrics.js';

/**
 * Prometheus metrics on prom-client. A registry per application instance (not prom-client's
 * global one), so several apps in one test process do not collide.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: SwitchboardMetrics, useFactory: () => new SwitchboardMetrics() },
    {
      provide: ProviderHttpMetrics,
      useFactory: (m: SwitchboardMetrics) => new ProviderHttpMetrics(m),
      inject: [SwitchboardMetrics],
    },
  ],
  exports: [SwitchboardMetrics, ProviderHttpMetrics],
})
export class MetricsModule {}
