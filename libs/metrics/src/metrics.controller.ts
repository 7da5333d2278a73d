import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@switchboard/core';
import { SwitchboardMetrics } from './switchboard-metrics.js';

interface PlainReply {
  header(name: string, value: string): unknown;
  send(body: string): unknown;
}

/** GET /metrics in the Prometheus text format. */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: SwitchboardMetrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res() reply: PlainReply): Promise<void> {
    reply.header('content-type', this.metrics.registry.contentType);
    reply.send(await this.metrics.registry.metrics());
  }
}
