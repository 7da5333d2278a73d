import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CallReportRepository, type CallReportRow } from '@switchboard/persistence';
import { RequireScope } from '../auth/auth.guard.js';
import { parseTimestamp } from '../http/field-rules.js';
import { CallReportQueryDto } from './reports.dto.js';
import { isKnownTimeZone, zonedMidnight } from './zoned-time.js';

/** Longest window one report covers; longer ones are a bulk export, not a report. */
const MAX_REPORT_DAYS = 400;

/** One group of the report: counts as numbers; money, rates and averages as exact decimal strings. */
export interface CallReportItem {
  key: string | null;
  label: string | null;
  provider: string | null;
  connectionId: string | null;
  calls: number;
  answered: number;
  converted: number;
  answerRate: string | null;
  conversionRate: string | null;
  durationSeconds: number;
  avgDurationSeconds: string | null;
  revenue: string;
  payout: string;
  cost: string;
  margin: string;
}

/** Call reports across providers (read scope), one SQL statement each (CallReportRepository). */
@ApiTags('reports')
@ApiBearerAuth()
@RequireScope('read')
@Controller('reports')
export class ReportsController {
  /** Zones PostgreSQL confirmed (pg_timezone_names is a scan of ~1,200 rows: asked once per zone). */
  private readonly knownZones = new Set<string>(['UTC']);

  constructor(private readonly reports: CallReportRepository) {}

  @Get('calls')
  @ApiOperation({
    summary:
      'Calls started in [from, to) grouped by provider, connection, campaign, publisher, day or hour (in tz): ' +
      'counts, answered/converted rates, duration, revenue, payout, cost and margin (revenue - payout), ' +
      'money as exact decimal strings',
  })
  async calls(@Query() query: CallReportQueryDto) {
    const timeZone = query.tz ?? 'UTC';
    if (!this.knownZones.has(timeZone)) {
      if (!isKnownTimeZone(timeZone) || !(await this.reports.isTimeZone(timeZone))) {
        throw bad('tz', `tz "${timeZone}" is not an IANA time zone such as America/New_York`);
      }
      if (this.knownZones.size < 1_000) this.knownZones.add(timeZone);
    }
    const from = windowEdge(query.from, timeZone);
    const to = windowEdge(query.to, timeZone);
    if (to <= from) throw bad('to', 'to must be after from');
    if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000) {
      throw bad('to', `from and to must be at most ${MAX_REPORT_DAYS} days apart`);
    }
    const groupBy = query.groupBy ?? 'provider';
    const rows = await this.reports.report({
      from,
      to,
      groupBy,
      timeZone,
      connectionId: query.connection,
      provider: query.provider,
    });
    return { from: from.toISOString(), to: to.toISOString(), groupBy, timeZone, items: rows.map(toItem) };
  }
}

/** A plain date is midnight in the report's zone; a date-time is what it says. */
function windowEdge(value: string, timeZone: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? zonedMidnight(value, timeZone) : (parseTimestamp(value) as Date);
}

function bad(field: string, message: string): BadRequestException {
  return new BadRequestException({ error: 'bad_request', message, details: { field } });
}

function toItem(row: CallReportRow): CallReportItem {
  return {
    key: row.key,
    label: row.label,
    provider: row.provider,
    connectionId: row.connection_id,
    calls: Number(row.calls),
    answered: Number(row.answered),
    converted: Number(row.converted),
    answerRate: row.answer_rate,
    conversionRate: row.conversion_rate,
    durationSeconds: Number(row.duration_seconds),
    avgDurationSeconds: row.avg_duration_seconds,
    revenue: row.revenue,
    payout: row.payout,
    cost: row.cost,
    margin: row.margin,
  };
}
