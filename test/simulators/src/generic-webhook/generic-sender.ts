/**
 * A tiny stand-in for "any system that can send an HTTP request": a home-grown dialer that reports
 * each call's ring, answer and hang-up in its own format, as a nested JSON body, as form fields or
 * as a query string (a pixel). The generic webhook plugin is configured for it with
 * GENERIC_SENDER_MAPPING — no code. Money is in cents, times in unix seconds, statuses in capitals.
 */

export type GenericSenderShape = 'json' | 'form' | 'query';
export type GenericSenderStep = 'ring' | 'answer' | 'hangup';
export const GENERIC_SENDER_STEPS: readonly GenericSenderStep[] = ['ring', 'answer', 'hangup'];

export interface GenericSenderCall {
  id: string;
  /** Ten-digit US numbers, as this dialer writes them. */
  caller: string;
  called: string;
  startedAt: Date;
  ringSeconds: number;
  talkSeconds: number;
  revenueCents: number;
  campaign: string;
  source: string;
}

/** One request the sender makes. `path` is relative to the webhook URL (`''` or `?query`). */
export interface GenericSenderRequest {
  method: 'GET' | 'POST';
  /** Query parameters the sender adds (the query shape carries everything here). */
  query: Record<string, string>;
  contentType?: string;
  body?: string;
}

const both = (body: string, form: string, query: string) => [
  { from: 'body', path: body },
  { from: 'form', name: form },
  { from: 'query', name: query },
];

/** The connection's `settings.mapping` for this sender: every shape it sends, one mapping. */
export const GENERIC_SENDER_MAPPING = {
  fields: {
    externalId: both('$.call.id', 'call_id', 'cid'),
    eventType: both('$.event', 'event', 'event'),
    status: both('$.call.status', 'status', 'status'),
    callerNumber: both('$.call.from', 'caller', 'caller'),
    trackingNumber: both('$.call.to', 'called', 'called'),
    startedAt: both('$.call.started', 'started', 'started'),
    answeredAt: both('$.call.answered', 'answered', 'answered'),
    endedAt: both('$.call.ended', 'ended', 'ended'),
    durationSeconds: both('$.call.duration', 'duration', 'duration'),
    connectedDurationSeconds: both('$.call.talk_time', 'talk_time', 'talk_time'),
    revenue: both('$.revenue_cents', 'revenue_cents', 'revenue_cents'),
    campaignName: both('$.campaign.name', 'campaign', 'campaign'),
    publisherName: both('$.source', 'source', 'source'),
  },
  statuses: {
    RINGING: 'ringing',
    ANSWERED: 'in_progress',
    COMPLETED: 'completed',
    NO_ANSWER: 'missed',
    BUSY: 'busy',
  },
  eventTypes: {
    'call.ring': 'call.started',
    'call.answer': 'call.answered',
    'call.hangup': 'call.completed',
  },
  money: 'cents',
  time: 'unix-seconds',
  // The dialer stamps each delivery; a retry of the same event must still hash the same.
  eventIdIgnore: ['sent_at'],
} as const;

const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));

/** What the dialer knows about the call at `step`, flat, as it names things. */
function facts(call: GenericSenderCall, step: GenericSenderStep): Record<string, string> {
  const answered = new Date(call.startedAt.getTime() + call.ringSeconds * 1000);
  const ended = new Date(answered.getTime() + call.talkSeconds * 1000);
  const out: Record<string, string> = {
    event: `call.${step}`,
    call_id: call.id,
    status: { ring: 'RINGING', answer: 'ANSWERED', hangup: 'COMPLETED' }[step],
    caller: call.caller,
    called: call.called,
    started: seconds(call.startedAt),
    campaign: call.campaign,
    source: call.source,
  };
  if (step !== 'ring') out.answered = seconds(answered);
  if (step === 'hangup') {
    out.ended = seconds(ended);
    out.duration = String(call.ringSeconds + call.talkSeconds);
    out.talk_time = String(call.talkSeconds);
    out.revenue_cents = String(call.revenueCents);
  }
  return out;
}

/** The request the dialer sends for one step of a call, in one shape. */
export function genericSenderRequest(
  call: GenericSenderCall,
  step: GenericSenderStep,
  shape: GenericSenderShape,
  sentAt = new Date(),
): GenericSenderRequest {
  const f = facts(call, step);
  if (shape === 'query') {
    const { call_id, ...rest } = f;
    return { method: 'GET', query: { cid: call_id, ...rest } };
  }
  if (shape === 'form') {
    return {
      method: 'POST',
      query: {},
      contentType: 'application/x-www-form-urlencoded',
      body: new URLSearchParams({ ...f, sent_at: seconds(sentAt) }).toString(),
    };
  }
  const json = {
    event: f.event,
    sent_at: Number(seconds(sentAt)),
    call: {
      id: f.call_id,
      status: f.status,
      from: f.caller,
      to: f.called,
      started: Number(f.started),
      ...(f.answered ? { answered: Number(f.answered) } : {}),
      ...(f.ended
        ? { ended: Number(f.ended), duration: Number(f.duration), talk_time: Number(f.talk_time) }
        : {}),
    },
    campaign: { name: f.campaign },
    source: f.source,
    ...(f.revenue_cents ? { revenue_cents: Number(f.revenue_cents) } : {}),
  };
  return { method: 'POST', query: {}, contentType: 'application/json', body: JSON.stringify(json) };
}

/** A call of the dialer, numbered `n`, starting at `startedAt`. */
export function genericSenderCall(n: number, startedAt: Date): GenericSenderCall {
  const suffix = String(1000 + (n % 9000)).padStart(4, '0');
  return {
    id: `dialer-${n}-${startedAt.getTime().toString(36)}`,
    caller: `719555${suffix}`,
    called: '8005550199',
    startedAt,
    ringSeconds: 8,
    talkSeconds: 60 + n,
    revenueCents: 1000 + n * 25,
    campaign: 'Home loans',
    source: 'Publisher One',
  };
}
