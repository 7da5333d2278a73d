import { BadRequestException, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.guard.js';
import { GetCallQuery } from './calls.dto.js';
import { CallsService } from './calls.service.js';

/** A call named by its connection and the provider's own id (read scope). */
@ApiTags('calls')
@ApiBearerAuth()
@RequireScope('read')
@Controller('connections')
export class ConnectionCallsController {
  constructor(private readonly calls: CallsService) {}

  @Get(':id/calls/:externalId')
  @ApiOperation({
    summary:
      "A call by the provider's id: the stored call, or — when Switchboard does not know it yet, or with " +
      "fresh=true — read from the provider's API through the plugin and stored through the normal merge",
  })
  get(@Param('id') id: string, @Param('externalId') externalId: string, @Query() query: GetCallQuery) {
    if (externalId.length > 255) {
      throw new BadRequestException({
        error: 'bad_request',
        message: 'externalId must be at most 255 characters',
        details: { field: 'externalId' },
      });
    }
    return this.calls.byExternalId(id, externalId, query.fresh === true);
  }
}
