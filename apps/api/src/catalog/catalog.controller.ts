import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditLog } from '@switchboard/persistence';
import { auditContext, type AuditedRequest } from '../auth/audit-actor.js';
import { RequireScope } from '../auth/auth.guard.js';
import { CatalogQuery, ProvisionNumberDto } from './catalog.dto.js';
import { CatalogService } from './catalog.service.js';

/** A connection's campaigns and tracking numbers, through its plugin (read; changes need write). */
@ApiTags('campaigns and numbers')
@ApiBearerAuth()
@RequireScope('read')
@Controller('connections')
export class CatalogController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly audit: AuditLog,
  ) {}

  @Get(':id/campaigns')
  @ApiOperation({
    summary:
      "The connection's campaigns at the provider (read at most once a minute; ?refresh=true forces it)",
  })
  async campaigns(@Param('id') id: string, @Query() query: CatalogQuery) {
    return { items: await this.catalog.listCampaigns(id, query.refresh === true) };
  }

  @Get(':id/numbers')
  @ApiOperation({
    summary: "The connection's tracking numbers at the provider (read at most once a minute; ?refresh=true)",
  })
  async numbers(@Param('id') id: string, @Query() query: CatalogQuery) {
    return { items: await this.catalog.listNumbers(id, query.refresh === true) };
  }

  @Post(':id/numbers')
  @RequireScope('write')
  @ApiOperation({
    summary: 'Buy a tracking number at the provider (501 not_supported when the plugin cannot)',
  })
  async provision(@Param('id') id: string, @Body() body: ProvisionNumberDto, @Req() request: AuditedRequest) {
    const number = await this.catalog.provision(id, body);
    await this.audit.record({
      ...auditContext(request),
      action: 'number.provisioned',
      target: { type: 'tracking_number', id: number.externalId },
      details: { connectionId: id, number: number.number },
    });
    return number;
  }

  @Delete(':id/numbers/:externalId')
  @RequireScope('write')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Release a tracking number at the provider (501 not_supported when the plugin cannot)',
  })
  async release(
    @Param('id') id: string,
    @Param('externalId') externalId: string,
    @Req() request: AuditedRequest,
  ) {
    await this.catalog.release(id, externalId);
    await this.audit.record({
      ...auditContext(request),
      action: 'number.released',
      target: { type: 'tracking_number', id: externalId },
      details: { connectionId: id },
    });
  }
}
