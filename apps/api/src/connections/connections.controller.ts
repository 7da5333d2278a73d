import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectionService } from '@switchboard/connections';
import { RequireScope } from '../auth/auth.guard.js';
import { CreateConnectionDto, RotateSecretDto, UpdateConnectionDto } from './connection.dto.js';

/** Operators manage provider connections here; credentials go in, never come out. */
@ApiTags('connections')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionService) {}

  @Post()
  @ApiOperation({ summary: 'Create a connection; the webhook secret is returned once' })
  create(@Body() body: CreateConnectionDto) {
    return this.connections.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List connections (secrets masked)' })
  list(@Query('provider') provider?: string) {
    return this.connections.list({ provider }).then((items) => ({ items }));
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.connections.get(id);
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change name, mode (live/shadow), active flag, settings, IP allowlist or credentials',
  })
  update(@Param('id') id: string, @Body() body: UpdateConnectionDto) {
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
  @ApiOperation({ summary: 'Check the stored credentials against the provider' })
  validate(@Param('id') id: string) {
    return this.connections.validate(id);
  }
}
