import {
  CALL_EVENT_TYPES,
  isCallStatus,
  isFinalStatus,
  MappingError,
  parseBoolean,
  PayloadReader,
  payloadFingerprint,
  readString,
  toE164,
  withoutSecretKeys,
  type CallEventType,
  type CallStatus,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type Parsed,
  type WebhookDescription,
} from '@switchboard/plugin-sdk';
import { GENERIC_WEBHOOK } from '../generic-webhook.constants.js';
import { tableKey, PARTY_TAG_FIELDS, type MappedField, type WebhookMapping } from './mapping-settings.js';
import { parseMoneyAs } from './money-formats.js';
import { findValue, requestValues, type Found, type RequestValues } from './request-values.js';
import { parseTimeAs, type TimeReading } from './time-formats.js';

type PhoneField = 'trackingNumber' | 'callerNumber' | 'destinationNumber';
type TimeField = 'startedAt' | 'answeredAt' | 'endedAt';
type MoneyField = 'revenue' | 'payout' | 'cost';
type TextField = 'campaignExternalId' | 'campaignName';

const PHONE_FIELDS: readonly PhoneField[] = ['trackingNumber', 'callerNumber', 'destinationNumber'];
const TIME_FIELDS: readonly TimeField[] = ['startedAt', 'answeredAt', 'endedAt'];
const MONEY_FIELDS: readonly MoneyField[] = ['revenue', 'payout', 'cost'];
const TEXT_FIELDS: readonly TextField[] = ['campaignExternalId', 'campaignName'];

/** A call status implied by the event when the sender names none. */
const IMPLIED_STATUS: Partial<Record<CallEventType, CallStatus>> = {
  'call.started': 'ringing',
  'call.answered': 'in_progress',
};

/**
 * What describeWebhook and mapWebhook both need, read the same way by both so they always agree:
 * the call id, the event type (from the sender's value and the table, or inferred from which
 * values are present), the status, and the event id.
 */
interface EventCore {
  externalId?: string;
  type: CallEventType;
  status?: CallStatus;
  eventId?: string;
  /** Sender values the tables do not know (warnings when mapping). */
  unknownStatus?: Found;
  unknownEventType?: Found;
  /** The external id's value was there but is not text (an object, a list). */
  unreadableId?: Found;
}

/**
 * Maps any sender's webhook with a connection's mapping. One per adapter (the mapping is compiled
 * once); stateless across requests.
 */
export class GenericWebhookMapper {
  constructor(
    private readonly mapping: WebhookMapping,
    private readonly timeZone: string | undefined,
  ) {}

  describe(request: InboundWebhook): WebhookDescription {
    const core = this.core(requestValues(request));
    return core.eventId === undefined
      ? { eventType: core.type }
      : { eventId: core.eventId, eventType: core.type };
  }

  map(request: InboundWebhook): NormalizedCallEvent {
    const values = requestValues(request);
    const core = this.core(values);
    const read = new PayloadReader({ timeZone: this.timeZone });
    if (core.externalId === undefined) {
      const where = (this.mapping.fields.externalId ?? []).map((s) => s.label).join(', ');
      const seen = core.unreadableId ? ` (${core.unreadableId.source.label} is not text)` : '';
      throw new MappingError(GENERIC_WEBHOOK, `no call id at ${where}${seen}`, 'externalId');
    }
    if (core.unknownStatus) {
      const { value, source } = core.unknownStatus;
      read.warn('status', `${source.label} value is not in the status table`, value, source.label);
    }
    if (core.unknownEventType) {
      const { value, source } = core.unknownEventType;
      read.warn(
        'eventType',
        `${source.label} value is not in the event type table; inferred "${core.type}"`,
        value,
        source.label,
      );
    }

    const call: NormalizedCall = { externalId: core.externalId, providerData: providerData(values) };
    const reading: TimeReading = {
      format: this.mapping.time,
      timeZone: read.timeZone,
      dateOrder: this.mapping.dateOrder,
    };
    const found = (field: MappedField) => findValue(values, this.mapping.fields[field]);
    const take = <T>(field: string, hit: Found, parsed: Parsed<T>): T | undefined => {
      if (parsed === undefined) return undefined;
      if (parsed.ok) return parsed.value;
      read.warn(field, `${hit.source.label} ${parsed.reason}`, hit.value, hit.source.label);
      return undefined;
    };
    const text = (field: string, hit: Found | undefined): string | undefined => {
      if (!hit) return undefined;
      const value = readString(hit.value);
      if (value === undefined)
        read.warn(field, `${hit.source.label} is not text`, hit.value, hit.source.label);
      return value;
    };

    for (const field of TEXT_FIELDS) assign(call, field, text(field, found(field)));
    for (const field of PHONE_FIELDS) {
      const hit = found(field);
      if (!hit) continue;
      const e164 = toE164(hit.value, this.mapping.phoneCountry as Parameters<typeof toE164>[1]);
      if (e164 === undefined)
        read.warn(field, `${hit.source.label} is not a phone number`, hit.value, hit.source.label);
      assign(call, field, e164);
    }
    for (const field of TIME_FIELDS) {
      const hit = found(field);
      if (hit) assign(call, field, take(field, hit, parseTimeAs(reading, hit.value)));
    }
    for (const field of ['durationSeconds', 'connectedDurationSeconds'] as const) {
      const hit = found(field);
      if (hit) assign(call, field, read.duration(field, hit.value, hit.source.label));
    }
    const recording = found('recordingUrl');
    if (recording)
      assign(call, 'recordingUrl', read.url('recordingUrl', recording.value, recording.source.label));
    const converted = found('converted');
    if (converted)
      assign(call, 'converted', read.boolean('converted', converted.value, converted.source.label));
    for (const field of MONEY_FIELDS) {
      const hit = found(field);
      if (hit) assign(call, field, take(field, hit, parseMoneyAs(this.mapping.money, hit.value)));
    }
    const tags: Record<string, string> = {};
    for (const field of PARTY_TAG_FIELDS) {
      const value = text(field, found(field));
      if (value !== undefined) tags[field] = value;
    }
    for (const [name, sources] of this.mapping.tags) {
      const value = text(`tags.${name}`, findValue(values, sources));
      if (value !== undefined) tags[name] = value;
    }
    if (Object.keys(tags).length > 0) call.tags = tags;

    const { type } = core;
    // A call that ended is in a final status: talk time tells which, when the sender named none.
    const status =
      type === 'call.completed' && !(core.status && isFinalStatus(core.status))
        ? (endedStatus(call) ?? core.status)
        : (core.status ?? IMPLIED_STATUS[type]);
    if (status !== undefined) call.status = status;
    if (type === 'call.converted') call.converted ??= true;
    // A completed event without an end time: start + duration (the sender's clock), else its arrival.
    if (type === 'call.completed' && !call.endedAt && call.startedAt && call.durationSeconds !== undefined)
      call.endedAt = new Date(call.startedAt.getTime() + call.durationSeconds * 1000);

    const occurredHit = found('occurredAt');
    const occurredAt =
      (occurredHit && take('occurredAt', occurredHit, parseTimeAs(reading, occurredHit.value))) ??
      (type === 'call.started'
        ? call.startedAt
        : type === 'call.answered'
          ? call.answeredAt
          : type === 'call.completed'
            ? call.endedAt
            : undefined) ??
      request.receivedAt;
    // The event is the moment itself when the sender gave no time for it.
    if (type === 'call.started') call.startedAt ??= occurredAt;
    if (type === 'call.answered') call.answeredAt ??= occurredAt;
    if (type === 'call.completed') call.endedAt ??= occurredAt;

    const warnings = read.result();
    return {
      type,
      occurredAt,
      ...(core.eventId !== undefined ? { eventId: core.eventId } : {}),
      call,
      ...(warnings ? { warnings } : {}),
    };
  }

  private core(values: RequestValues): EventCore {
    const core: EventCore = { type: 'call.updated' };
    const found = (field: MappedField) => findValue(values, this.mapping.fields[field]);

    const id = found('externalId');
    if (id) {
      core.externalId = readString(id.value);
      if (core.externalId === undefined) core.unreadableId = id;
    }

    const status = found('status');
    if (status) {
      const text = readString(status.value);
      const mapped = text === undefined ? undefined : this.mapping.statuses.get(tableKey(text));
      const ours =
        mapped ?? (isCallStatus(text?.toLowerCase()) ? (text?.toLowerCase() as CallStatus) : undefined);
      if (ours) core.status = ours;
      else core.unknownStatus = status;
    }

    const named = found('eventType');
    let type: CallEventType | undefined;
    if (named) {
      const text = readString(named.value);
      const key = text === undefined ? undefined : tableKey(text);
      type =
        (key === undefined ? undefined : this.mapping.eventTypes.get(key)) ??
        ((CALL_EVENT_TYPES as readonly string[]).find((t) => t === key) as CallEventType | undefined);
      if (type === undefined) core.unknownEventType = named;
    }
    core.type = type ?? this.inferType(core.status, found);

    const configuredId = found('eventId');
    const eventId = configuredId ? readString(configuredId.value) : undefined;
    if (eventId !== undefined) core.eventId = eventId;
    else if (core.externalId !== undefined) {
      // Without an event id from the sender, the payload's own content is the id: a redelivery
      // hashes the same (and is dropped), any other payload does not.
      const query = Object.fromEntries(Object.entries(values.query));
      const fingerprint = payloadFingerprint(
        { body: values.body ?? null, query },
        this.mapping.eventIdIgnore,
      );
      core.eventId = `${core.externalId}:${core.type}:${fingerprint}`;
    }
    return core;
  }

  /**
   * The event a payload that names none stands for, from the values present, most advanced first:
   * a final status or an end time, a conversion, an answer, a recording, money, a start.
   * Presence (not validity) decides, so describeWebhook needs no parsing.
   */
  private inferType(
    status: CallStatus | undefined,
    found: (f: MappedField) => Found | undefined,
  ): CallEventType {
    if ((status && isFinalStatus(status)) || found('endedAt')) return 'call.completed';
    const converted = found('converted');
    const conversion = converted ? parseBoolean(converted.value) : undefined;
    if (conversion?.ok && conversion.value) return 'call.converted';
    if (status === 'in_progress' || found('answeredAt')) return 'call.answered';
    if (found('recordingUrl')) return 'call.recording';
    if (found('revenue') || found('payout')) return 'call.payout';
    if (status === 'ringing' || found('startedAt')) return 'call.started';
    return 'call.updated';
  }
}

/**
 * The outcome of a call that ended without a status: talk time means it was answered, none that
 * it was missed; with neither, the status is left as it is (no guess).
 */
function endedStatus(call: NormalizedCall): CallStatus | undefined {
  const talked = call.connectedDurationSeconds;
  if (talked === undefined) return undefined;
  return talked > 0 ? 'completed' : 'missed';
}

function assign<K extends keyof NormalizedCall>(
  call: NormalizedCall,
  field: K,
  value: NormalizedCall[K] | undefined,
) {
  if (value !== undefined) call[field] = value;
}

/** What the sender sent, secrets left out: the body, or the query when there is no body. */
function providerData(values: RequestValues): Record<string, unknown> {
  const { body } = values;
  if (Array.isArray(body)) return withoutSecretKeys({ items: body });
  if (body !== null && typeof body === 'object') return withoutSecretKeys(body as Record<string, unknown>);
  const query: Record<string, unknown> = { ...values.query };
  return withoutSecretKeys(query);
}
