import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@switchboard/config';
import { ConnectionService } from '@switchboard/connections';
import { ProviderRegistry } from '@switchboard/core';
import { RequireScope } from '../auth/auth.guard.js';
import { checkApiBaseUrl } from './api-base-url.policy.js';
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
    private readonly registry: ProviderRegistry,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      'Create a connection; the webhook secret is returned once. settings.apiBaseUrl must be on the host ' +
      'the plugin declares unless ALLOW_CUSTOM_API_BASE_URLS=true. A refused credential check answers ' +
      '422 with the provider status and a short reason, never the provider body.',
  })
  create(@Body() body: CreateConnectionDto) {
    if (this.registry.has(body.provider)) this.checkSettings(body.provider, body.settings);
    return this.connections.create(body);
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
  async update(@Param('id') id: string, @Body() body: UpdateConnectionDto) {
    if (body.settings !== undefined) {
      const { provider } = await this.connections.get(id);
      this.checkSettings(provider, body.settings);
    }
    return this.connections.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    await this.connections.remove(id);
  }

  @Post(':id/webhook-secret/rotate')
  @ApiOperation({ summary: 'Issue a new webhook secret; the previous stays valid until revoked' })
  rotate(@Param('id') id: string, @Body() body: RotateSecretDto) {
    return this.connections.rotateWebhookSecret(id, { keepPrevious: body?.keepPrevious });
  }

  @Post(':id/webhook-secret/revoke-previous')
  @HttpCode(204)
  async revokePrevious(@Param('id') id: string): Promise<void> {
    await this.connections.revokePreviousWebhookSecrets(id);
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

  private checkSettings(provider: string, settings: Record<string, unknown> | undefined): void {
    if (!this.registry.has(provider)) return;
    checkApiBaseUrl(settings, this.registry.manifest(provider), this.config.allowCustomApiBaseUrls);
  }
}
