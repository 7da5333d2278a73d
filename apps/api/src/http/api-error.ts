import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error body shape of the whole API. `error` is a stable machine-readable code. */
export class ApiErrorBody {
  @ApiProperty({ example: 404 })
  statusCode!: number;

  @ApiProperty({ example: 'connection_not_found', description: 'Stable machine-readable error code' })
  error!: string;

  @ApiProperty({ example: 'no connection 7d3f…' })
  message!: string;

  @ApiPropertyOptional({ description: 'Structured details (e.g. which fields are invalid)' })
  details?: unknown;

  @ApiPropertyOptional({ description: 'Correlation id of the request (also in the logs)' })
  requestId?: string;
}
