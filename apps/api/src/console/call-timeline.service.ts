import { Injectable, NotFoundException } from '@nestjs/common';
import { PrismaService } from '@switchboard/persistence/prisma';

export interface TimelineEvent {
  id: string;
  source: string;
  eventType: string;
  occurredAt: string;
  receivedAt: string;
  /** The webhook_logs row the event came from (GET /webhook-logs/{id}), for webhook events. */
  webhookLogId: string | null;
  data: unknown;
}

export interface CallTimeline {
  callId: string;
  events: TimelineEvent[];
  /**
   * Per normalized field, the event whose value the call holds (newest non-null value wins), so
   * an operator can see where each value came from. `eventId` is null when no stored event has
   * that time (for example, the event was pruned).
   */
  fieldSources: Record<
    string,
    { at: string; eventId: string | null; source: string | null; eventType: string | null }
  >;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A call's history in order: every webhook and sync event folded into it. */
@Injectable()
export class CallTimelineService {
  constructor(private readonly prisma: PrismaService) {}

  async timeline(callId: string): Promise<CallTimeline> {
    const notFound = () => new NotFoundException({ error: 'call_not_found', message: `no call ${callId}` });
    if (!UUID.test(callId)) throw notFound();
    const call = await this.prisma.call.findUnique({ where: { id: callId }, select: { fieldTimes: true } });
    if (!call) throw notFound();
    const rows = await this.prisma.callEvent.findMany({
      where: { callId },
      orderBy: [{ occurredAt: 'asc' }, { createdAt: 'asc' }],
      take: 1000,
    });
    const events = rows.map((e) => ({
      id: e.id,
      source: e.source,
      eventType: e.eventType,
      occurredAt: e.occurredAt.toISOString(),
      receivedAt: e.createdAt.toISOString(),
      webhookLogId: e.webhookLogId,
      data: e.data,
    }));
    const byTime = new Map(rows.map((e) => [e.occurredAt.getTime(), e]));
    const fieldSources: CallTimeline['fieldSources'] = {};
    for (const [field, ms] of Object.entries((call.fieldTimes ?? {}) as Record<string, unknown>)) {
      if (typeof ms !== 'number') continue;
      const event = byTime.get(ms);
      fieldSources[field] = {
        at: new Date(ms).toISOString(),
        eventId: event?.id ?? null,
        source: event?.source ?? null,
        eventType: event?.eventType ?? null,
      };
    }
    return { callId, events, fieldSources };
  }
}
