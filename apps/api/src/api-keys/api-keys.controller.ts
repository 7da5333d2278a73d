import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { apiKeyExpiry, AuditLog } from '@switchboard/persistence';
import { ApiKeyService } from '../auth/api-key.service.js';
import { auditContext, type AuditedRequest } from '../auth/audit-actor.js';
import { RequireScope } from '../auth/auth.guard.js';
import { parseTimestamp } from '../http/field-rules.js';
import { CreateApiKeyDto, CreatedApiKeyView, toApiKeyView } from './api-keys.dto.js';

/** API keys for host applications (admin scope): created here, shown once, stored hashed. */
@ApiTags('api-keys')
@ApiBearerAuth()
@RequireScope('admin')
@Controller('api-keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly audit: AuditLog,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create an API key with one scope and an optional lifetime; the key is returned once',
  })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  async create(@Body() body: CreateApiKeyDto, @Req() request: AuditedRequest): Promise<CreatedApiKeyView> {
    if (body.expiresIn && body.expiresAt) {
      throw new BadRequestException({
        error: 'bad_request',
        message: 'give expiresIn or expiresAt, not both',
      });
    }
    const expiresAt = body.expiresIn ? apiKeyExpiry(body.expiresIn) : parseTimestamp(body.expiresAt);
    if (body.expiresIn && !expiresAt) {
      throw new BadRequestException({
        error: 'bad_request',
        message: 'expiresIn must be between 1 minute and 10 years',
        details: { field: 'expiresIn' },
      });
    }
    if (expiresAt && expiresAt <= new Date()) {
      throw new BadRequestException({
        error: 'bad_request',
        message: 'expiresAt must be in the future',
        details: { field: 'expiresAt' },
      });
    }
    const created = await this.keys.create(body.name.trim(), [body.scope], expiresAt);
    await this.audit.record({
      ...auditContext(request),
      action: 'api_key.created',
      target: { type: 'api_key', id: created.id },
      details: {
        name: created.record.name,
        prefix: created.prefix,
        scope: body.scope,
        expiresAt: expiresAt ?? null,
      },
    });
    return { apiKey: toApiKeyView(created.record), key: created.key };
  }

  @Get()
  @ApiOperation({ summary: 'API keys (never the keys themselves), with scopes, expiry and last use' })
  @ApiQuery({ name: 'includeRevoked', required: false, type: Boolean })
  async list(@Query('includeRevoked') includeRevoked?: string) {
    return { items: (await this.keys.list(includeRevoked === 'true')).map(toApiKeyView) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key (by id or prefix); requests with it get 401 from then on' })
  async revoke(@Param('id') id: string, @Req() request: AuditedRequest): Promise<void> {
    if (!/^[0-9a-f-]{8,36}$/i.test(id)) {
      throw new NotFoundException({ error: 'api_key_not_found', message: `no API key ${id}` });
    }
    const record = await this.keys.revoke(id);
    if (!record) throw new NotFoundException({ error: 'api_key_not_found', message: `no API key ${id}` });
    await this.audit.record({
      ...auditContext(request),
      action: 'api_key.revoked',
      target: { type: 'api_key', id: record.id },
      details: { name: record.name, prefix: record.prefix },
    });
  }
}
