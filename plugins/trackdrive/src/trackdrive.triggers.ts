import type { CallEventType, CallStatus } from '@switchboard/plugin-sdk';

/** Our trigger names for TrackDrive, in lifecycle order. */
export const TRACKDRIVE_TRIGGERS = [
  'incoming',
  'ringing',
  'answered',
  'completed',
  'converted',
  'payout',
  'recording',
  'updated',
] as const;

export type TrackDriveTrigger = (typeof TRACKDRIVE_TRIGGERS)[number];

/** Events accepted by POST /api/v1/subscriptions that concern calls. */
export type TrackDriveSubscriptionEvent =
  'new_call' | 'call_ringing' | 'call_forwarded' | 'call_ended' | 'call_changed';

export interface TrackDriveTriggerSpec {
  trigger: TrackDriveTrigger;
  eventType: CallEventType;
  /** The trigger's name in TrackDrive's outgoing-webhook UI (Company > Webhooks). */
  webhookTrigger: string;
  /** What registerWebhook subscribes to. */
  subscription: { event: TrackDriveSubscriptionEvent; trigger_fields?: Record<string, boolean> };
  /** Status to assume when the payload carries none. */
  impliedStatus?: CallStatus;
  description: string;
}

export const TRACKDRIVE_TRIGGER_SPECS: Readonly<Record<TrackDriveTrigger, TrackDriveTriggerSpec>> = {
  incoming: {
    trigger: 'incoming',
    eventType: 'call.started',
    webhookTrigger: 'New Call',
    subscription: { event: 'new_call' },
    impliedStatus: 'ringing',
    description: 'a call arrives on a tracking number',
  },
  ringing: {
    trigger: 'ringing',
    eventType: 'call.started',
    webhookTrigger: 'Buyer Dialled',
    subscription: { event: 'call_ringing' },
    impliedStatus: 'ringing',
    description: 'TrackDrive dials the buyer',
  },
  answered: {
    trigger: 'answered',
    eventType: 'call.answered',
    webhookTrigger: 'Buyer Answered',
    subscription: { event: 'call_forwarded' },
    impliedStatus: 'in_progress',
    description: 'the buyer answers and the caller is connected',
  },
  completed: {
    trigger: 'completed',
    eventType: 'call.completed',
    webhookTrigger: 'Call Ended',
    subscription: { event: 'call_ended' },
    description: 'the call ends, whatever the outcome',
  },
  converted: {
    trigger: 'converted',
    eventType: 'call.converted',
    webhookTrigger: 'Buyer Converted',
    subscription: { event: 'call_changed', trigger_fields: { buyer_converted: true } },
    description: 'the buyer conversion is recorded (revenue)',
  },
  payout: {
    trigger: 'payout',
    eventType: 'call.payout',
    webhookTrigger: 'Traffic Source Converted',
    subscription: { event: 'call_changed', trigger_fields: { offer_converted: true } },
    description: 'the traffic source (publisher) conversion is recorded (payout)',
  },
  recording: {
    trigger: 'recording',
    eventType: 'call.recording',
    webhookTrigger: 'Recording Updated',
    subscription: { event: 'call_changed', trigger_fields: { has_recording: true } },
    description: 'the call recording is available',
  },
  updated: {
    trigger: 'updated',
    eventType: 'call.updated',
    webhookTrigger: 'Disposition Changed',
    subscription: { event: 'call_changed' },
    description: 'anything else about the call changes (disposition, revenue adjustments)',
  },
};

export function isTrackDriveTrigger(value: unknown): value is TrackDriveTrigger {
  return typeof value === 'string' && (TRACKDRIVE_TRIGGERS as readonly string[]).includes(value);
}

/** A subscription event name found in a payload, as our trigger (call_changed -> updated). */
export function triggerForSubscriptionEvent(value: string | undefined): TrackDriveTrigger | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'new_call':
      return 'incoming';
    case 'call_ringing':
      return 'ringing';
    case 'call_forwarded':
      return 'answered';
    case 'call_ended':
      return 'completed';
    case 'call_changed':
      return 'updated';
    default:
      return undefined;
  }
}
