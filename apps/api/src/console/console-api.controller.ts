import { Controller, Get, NotFoundException, Param, Req, UnauthorizedException } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ProviderRegistry, Public } from '@switchboard/core';
import { ApiKeyService } from '../auth/api-key.service.js';
import { presentedToken, RequireScope } from '../auth/auth.guard.js';
import { CallTimelineService } from './call-timeline.service.js';
import { credentialForm } from './credential-form.js';
import { CREDENTIAL_FIELDS_SCHEMA, OVERVIEW_SCHEMA, TIMELINE_SCHEMA } from './console-api.schemas.js';
import { OverviewService } from './overview.service.js';

/**
 * Read endpoints the web console needs and the rest of the API lacked. They are plain REST, so
 * scripts can do everything the console does.
 */
@ApiTags('console')
@ApiBearerAuth()
@Controller()
export class ConsoleApiController {
  constructor(
    private readonly keys: ApiKeyService,
    private readonly registry: ProviderRegistry,
    private readonly overviews: OverviewService,
    private readonly timelines: CallTimelineService,
  ) {}

  @Get('me')
  @Public()
  @ApiOperation({
    summary: 'Who the presented token is: admin token, API key (with its scopes), or an open local API',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: ['admin-token', 'api-key', 'open'] },
        scopes: { type: 'array', items: { type: 'string', enum: ['read', 'write', 'admin'] } },
        keyId: { type: 'string', format: 'uuid', nullable: true },
      },
    },
  })
  @ApiUnauthorizedResponse({ description: 'No token, or one the API does not accept' })
  async me(@Req() request: { headers: Record<string, string | string[] | undefined> }) {
    const principal = await this.keys.authenticate(presentedToken(request.headers));
    if (!principal) {
      throw new UnauthorizedException({
        error: 'unauthorized',
        message: 'send an API key or the admin token as "Authorization: Bearer <key>"',
      });
    }
    return { kind: principal.kind, scopes: principal.scopes, keyId: principal.keyId ?? null };
  }

  @Get('overview')
  @RequireScope('read')
  @ApiOperation({
    summary:
      'Last hour per connection: webhooks received/rejected/processed/failed, processing lag, sync state; ' +
      'queue depths; plugin load state; received vs processed per minute',
  })
  @ApiOkResponse({ schema: OVERVIEW_SCHEMA })
  overview() {
    return this.overviews.overview();
  }

  @Get('plugins/:provider/credential-fields')
  @RequireScope('read')
  @ApiOperation({
    summary: "The plugin's credential fields (name, label, secret, pattern, length, hints), to build a form",
  })
  @ApiOkResponse({ schema: CREDENTIAL_FIELDS_SCHEMA })
  @ApiNotFoundResponse({ description: 'unknown_provider: no plugin is loaded for this provider' })
  credentialFields(@Param('provider') provider: string) {
    if (!this.registry.has(provider)) {
      throw new NotFoundException({
        error: 'unknown_provider',
        message: `no plugin for provider "${provider}"`,
      });
    }
    return { provider, fields: credentialForm(this.registry.manifest(provider)) };
  }

  @Get('calls/:id/timeline')
  @RequireScope('read')
  @ApiOperation({
    summary: "A call's events (webhooks and syncs) in order, and which event each field value came from",
  })
  @ApiOkResponse({ schema: TIMELINE_SCHEMA })
  @ApiNotFoundResponse({ description: 'call_not_found' })
  timeline(@Param('id') id: string) {
    return this.timelines.timeline(id);
  }
}
