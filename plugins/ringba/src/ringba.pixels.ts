import {
  ProviderError,
  type CallEventType,
  type WebhookConfig,
  type WebhookTemplate,
} from '@switchboard/plugin-sdk';
import { RINGBA_PROVIDER } from './ringba.constants.js';

/**
 * Ringba delivers real-time events through Tracking Pixels (Integrations > Pixels): one pixel per
 * "Fire Pixel On" option, a URL with tokens that Ringba replaces per call, sent as GET by default
 * (POST/PUT/PATCH and custom headers in the advanced options) (R2). These are our names for the
 * options; the query parameter `event` carries the name so the mapper knows which one fired.
 */
export const RINGBA_TRIGGERS = [
  'incoming',
  'connected',
  'converted',
  'payout',
  'completed',
  'finalized',
  'recording',
  'error',
] as const;

export type RingbaTrigger = (typeof RINGBA_TRIGGERS)[number];

/** Generic trigger names other parts of Switchboard may ask for. */
const TRIGGER_ALIASES: Readonly<Record<string, RingbaTrigger>> = {
  started: 'incoming',
  answered: 'connected',
  ended: 'finalized',
};

/**
 * Query / body keys of a pixel and the Ringba token that fills each. Tokens marked [I] were seen
 * only in third-party code; when Ringba leaves one unreplaced the mapper reads it as absent.
 */
export const PIXEL_TOKENS = {
  call_id: '[Call:InboundCallId]',
  // The "-NoPlus" form keeps a literal "+" out of the query string, where it would read as a space.
  caller: '[tag:InboundNumber:Number-NoPlus]',
  number: '[tag:DialedNumber:Number]', // [I]
  campaign_name: '[tag:Campaign:Name]', // [I]
  publisher_id: '[tag:Publisher:Id]',
  publisher_name: '[tag:Publisher:Name]',
  publisher_sub_id: '[tag:Publisher:SubId]',
  duplicate: '[tag:CallInfo:IsDuplicate]',
  state: '[tag:InboundNumber:State]',
  zip: '[tag:Geo:ZipCode]',
  target_id: '[tag:Target:Id]',
  target_name: '[tag:Target:Name]',
  buyer: '[tag:Buyer:Name]', // [I]
  revenue: '[Call:ConversionAmount]',
  payout: '[Call:ConversionPayout]',
  duration: '[tag:CallLength:Total]', // [I]
  end_source: '[tag:EndCall:EndCallSource]', // [I]
  recording_url: '[tag:Recording:RecordingUrl]', // [I]
} as const;

export type PixelField = keyof typeof PIXEL_TOKENS;

/**
 * Every token Ringba documents for pixels (shared/providers R3 [C]) plus the ones seen in
 * third-party setups ([I]). Our templates use only these: a template token Ringba does not define
 * would arrive unreplaced. Ringba has no token for the campaign id or the target's number, so the
 * templates carry neither (the scheduled sync fills them from the call logs).
 */
export const RINGBA_DOCUMENTED_TOKENS: readonly string[] = [
  '[Call:InboundCallId]',
  '[tag:InboundNumber:Number]',
  '[tag:InboundNumber:Number-NoPlus]',
  '[tag:InboundNumber:State]',
  '[tag:Publisher:Name]',
  '[tag:Publisher:Id]',
  '[tag:Publisher:SubId]',
  '[tag:Target:Name]',
  '[tag:Target:Id]',
  '[tag:Campaign:TrackingId]',
  '[Call:ConversionAmount]',
  '[Call:ConversionPayout]',
  '[tag:CallInfo:IsDuplicate]',
  '[tag:Geo:ZipCode]',
  '[tag:Integration:googleClickId]',
  // [I] third-party code and the research fixtures
  '[tag:CallLength:Total]',
  '[tag:Recording:RecordingUrl]',
  '[Call:RecordingUrl]',
  '[tag:Campaign:Name]',
  '[tag:EndCall:EndCallSource]',
  '[tag:Buyer:Name]',
  '[tag:DialedNumber:Number]',
];

const COMMON_FIELDS: readonly PixelField[] = [
  'call_id',
  'caller',
  'number',
  'campaign_name',
  'publisher_id',
  'publisher_name',
  'publisher_sub_id',
  'duplicate',
];
const TARGET_FIELDS: readonly PixelField[] = ['target_id', 'target_name', 'buyer'];

export interface RingbaTriggerSpec {
  /** The option's label in Ringba's "Fire Pixel On" list (R2). */
  providerTrigger: string;
  eventType: CallEventType;
  fields: readonly PixelField[];
  notes: string;
}

export const RINGBA_TRIGGER_SPECS: Readonly<Record<RingbaTrigger, RingbaTriggerSpec>> = {
  incoming: {
    providerTrigger: 'Incoming',
    eventType: 'call.started',
    fields: [...COMMON_FIELDS, 'state', 'zip'],
    notes: 'Fires as soon as the call reaches Ringba; records the call as ringing.',
  },
  connected: {
    providerTrigger: 'Connected',
    eventType: 'call.answered',
    fields: [...COMMON_FIELDS, ...TARGET_FIELDS],
    notes: 'Fires when a target answers; records the call as in progress with its destination.',
  },
  converted: {
    providerTrigger: 'Converted',
    eventType: 'call.converted',
    fields: [...COMMON_FIELDS, ...TARGET_FIELDS, 'revenue'],
    notes:
      'Fires when the call converts; carries the revenue. Ringba may not know the payout yet at this point: ' +
      'the Payout pixel carries it.',
  },
  payout: {
    providerTrigger: 'Payout',
    eventType: 'call.payout',
    fields: [...COMMON_FIELDS, ...TARGET_FIELDS, 'revenue', 'payout'],
    notes: 'Fires when the call is marked to pay the publisher; carries the payout.',
  },
  completed: {
    providerTrigger: 'Completed',
    eventType: 'call.completed',
    fields: [...COMMON_FIELDS, ...TARGET_FIELDS, 'duration', 'end_source'],
    notes: 'Fires when a call that connected ends; records it as completed.',
  },
  finalized: {
    providerTrigger: 'Finalized',
    eventType: 'call.completed',
    fields: [...COMMON_FIELDS, ...TARGET_FIELDS, 'duration', 'end_source', 'revenue', 'payout'],
    notes:
      'Fires when any call ends, however it ended. Pixels carry no outcome flags, so this event sets the end ' +
      'time but not the status; the scheduled sync fills the status of calls that never connected.',
  },
  recording: {
    providerTrigger: 'Recording',
    eventType: 'call.recording',
    fields: [...COMMON_FIELDS, 'recording_url'],
    notes: 'Fires when the recording can be played (usually a few seconds after the call).',
  },
  error: {
    providerTrigger: 'Error',
    eventType: 'call.completed',
    fields: [...COMMON_FIELDS, ...TARGET_FIELDS, 'end_source'],
    notes: 'Fires when Ringba marks the call as an error; records it as failed.',
  },
};

export type PixelMethod = 'GET' | 'POST';

export function isRingbaTrigger(value: unknown): value is RingbaTrigger {
  return typeof value === 'string' && (RINGBA_TRIGGERS as readonly string[]).includes(value);
}

/** Our trigger names (or their generic aliases) to Ringba trigger names; unknown names are an error. */
export function resolveTriggers(requested: readonly string[] | undefined): RingbaTrigger[] {
  if (!requested) return [...RINGBA_TRIGGERS];
  const resolved = new Set<RingbaTrigger>();
  for (const name of requested) {
    const trigger = isRingbaTrigger(name) ? name : TRIGGER_ALIASES[name];
    if (!trigger) {
      throw new ProviderError(
        RINGBA_PROVIDER,
        'unknown_trigger',
        false,
        `ringba has no pixel trigger "${name}"; use one of ${RINGBA_TRIGGERS.join(', ')}`,
      );
    }
    resolved.add(trigger);
  }
  return RINGBA_TRIGGERS.filter((t) => resolved.has(t));
}

/**
 * The pixels to paste into Ringba, one per trigger. The secret goes in the `token` query parameter
 * (the platform's token check); `event` names the trigger. GET pixels carry the call data as query
 * parameters; POST pixels carry it as a JSON body [I: Ringba's pixel form documents method and
 * headers; a body field is not confirmed].
 */
export function buildPixelTemplates(config: WebhookConfig, method: PixelMethod = 'GET'): WebhookTemplate[] {
  return resolveTriggers(config.triggers).map((trigger) => {
    const spec = RINGBA_TRIGGER_SPECS[trigger];
    const base = `${config.url}${config.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(config.secret)}&event=${trigger}`;
    const template: WebhookTemplate = {
      trigger,
      providerTrigger: `Fire Pixel On: ${spec.providerTrigger}`,
      method,
      url: base,
      notes: spec.notes,
    };
    if (method === 'GET') {
      // Tokens stay literal: Ringba must see "[Call:InboundCallId]", not its percent-encoding.
      template.url = `${base}&${spec.fields.map((f) => `${f}=${PIXEL_TOKENS[f]}`).join('&')}`;
    } else {
      const lines = spec.fields.map((f) => `  "${f}": "${PIXEL_TOKENS[f]}"`);
      template.body = `{\n${lines.join(',\n')}\n}`;
      template.contentType = 'application/json';
      template.headers = { 'Content-Type': 'application/json' };
    }
    return template;
  });
}
