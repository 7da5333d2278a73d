import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@switchboard/core';
import { ReadinessIndicators } from './readiness.indicators.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: ReadinessIndicators,
  ) {}

  /** The process is up and its event loop turns. Never checks dependencies, so an outage cannot cause restarts. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs' })
  live() {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  /** 200 when PostgreSQL, Redis and the queue answer; 503 naming what is down otherwise. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 503 with details when a dependency is down' })
  async ready() {
    try {
      return await this.health.check([
        () => this.indicators.database(),
        () => this.indicators.redisCache(),
        () => this.indicators.queue(),
        () => this.indicators.inbox(),
        () => this.indicators.connections(),
        () => this.indicators.sync(),
        () => this.indicators.plugins(),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.entries(result.details ?? {})
        .filter(([, v]) => v.status === 'down')
        .map(([name]) => name);
      throw new ServiceUnavailableException({
        error: 'not_ready',
        message: `not ready: ${down.join(', ')} down`,
        details: result.details,
      });
    }
  }
}
