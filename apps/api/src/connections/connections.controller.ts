import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectionService } from '@switchboard/connections';
import { AuditLog, CallRepository } from '@switchboard/persistence';
import { CallCache } from '@switchboard/pipeline';
import { auditContext, type AuditedRequest } from '../auth/audit-actor.js';
import { RequireScope } from '../auth/auth.guard.js';
import {
  CreateConnectionDto,
  ListConnectionsQuery,
  RotateSecretDto,
  UpdateConnectionDto,
} from './connection.dto.js';

/** Operators manage provider connections here; credentials go in, never come out. */
@ApiTags('connections')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('connections')
export class ConnectionsController {
  constructor(
    private readonly connections: ConnectionService,
    private readonly audit: AuditLog,
    private readonly calls: CallRepository,
    private readonly cache: CallCache,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Create a connection; the webhook secret is returned once. settings.apiBaseUrl must be on the host ' +
      'the plugin declares unless ALLOW_CUSTOM_API_BASE_URLS=true. A refused credential check answers ' +
      '422 with the provider status and a short reason, never the provider body.',
  })
  async create(@Body() body: CreateConnectionDto, @Req() request: AuditedRequest) {
    const created = await this.connections.create(body);
    await this.audit.record({
      ...auditContext(request),
      action: 'connection.created',
      target: { type: 'connection', id: created.connection.id },
      details: { provider: body.provider, name: created.connection.name, mode: created.connection.mode },
    });
    return created;
  }

  @Get()
  @ApiOperation({ summary: 'List connections (secrets masked)' })
  list(@Query() query: ListConnectionsQuery) {
    return this.connections.list({ provider: query.provider }).then((items) => ({ items }));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.connections.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change name, mode (live/shadow), active flag, settings, IP allowlist or credentials',
  })
  async update(@Param('id') id: string, @Body() body: UpdateConnectionDto, @Req() request: AuditedRequest) {
    const updated = await this.connections.update(id, body);
    await this.audit.record({
      ...auditContext(request),
      action: 'connection.updated',
      target: { type: 'connection', id },
      // Which fields changed, never their values (credentials are secrets).
      details: {
        fields: Object.keys(body).filter((k) => body[k as keyof UpdateConnectionDto] !== undefined),
      },
    });
    return updated;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a connection with its calls; cached copies of its calls are dropped' })
  async remove(@Param('id') id: string, @Req() request: AuditedRequest): Promise<void> {
    const { provider, name } = await this.connections.get(id);
    const callIds = await this.calls.idsOfConnection(id);
    await this.connections.remove(id);
    await this.cache.forget(callIds);
    await this.audit.record({
      ...auditContext(request),
      action: 'connection.deleted',
      target: { type: 'connection', id },
      details: { provider, name, calls: callIds.length },
    });
  }

  @Post(':id/webhook-secret/rotate')
  @ApiOperation({ summary: 'Issue a new webhook secret; the previous stays valid until revoked' })
  async rotate(@Param('id') id: string, @Body() body: RotateSecretDto, @Req() request: AuditedRequest) {
    const rotated = await this.connections.rotateWebhookSecret(id, { keepPrevious: body?.keepPrevious });
    await this.audit.record({
      ...auditContext(request),
      action: 'webhook_secret.rotated',
      target: { type: 'connection', id },
      details: { keepPrevious: body?.keepPrevious ?? true },
    });
    return rotated;
  }

  @Post(':id/webhook-secret/revoke-previous')
  @HttpCode(204)
  async revokePrevious(@Param('id') id: string, @Req() request: AuditedRequest): Promise<void> {
    await this.connections.revokePreviousWebhookSecrets(id);
    await this.audit.record({
      ...auditContext(request),
      action: 'webhook_secret.previous_revoked',
      target: { type: 'connection', id },
    });
  }

  @Get(':id/webhook-templates')
  @ApiOperation({ summary: 'The URL/header/body templates to paste into the provider, per trigger' })
  templates(@Param('id') id: string) {
    return this.connections.webhookTemplates(id).then((items) => ({ items }));
  }

  @Post(':id/validate')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Check the stored credentials against the provider ({valid}); a provider failure answers 502 with ' +
      'its HTTP status and a short reason, never the provider body',
  })
  validate(@Param('id') id: string) {
    return this.connections.validate(id);
  }
}
