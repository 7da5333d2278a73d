import type { SeededRandom } from '../seeded-random.js';

/**
 * The simulated Ringba account: campaigns, publishers, targets, tracking numbers and the call
 * log, with Ringba's own field names (R1). Seeded: the same seed gives the same account.
 */
export interface SimCampaign {
  id: string;
  name: string;
  enabled: boolean;
}

export interface SimParty {
  id: string;
  name: string;
  subId?: string;
  number?: string;
}

export interface SimNumber {
  id: string;
  phoneNumber: string;
  displayNumber: string;
  campaignId?: string;
  isTollFree: boolean;
  affiliate?: { id: string; name: string };
}

/** A call-log record as `POST /{accountId}/calllogs/detail` returns it. */
export type SimCallRecord = Record<string, unknown> & {
  inboundCallId: string;
  callDt: number;
};

/** How a simulated call ends. */
export type SimOutcome = 'converted' | 'completed' | 'missed' | 'canceled' | 'error' | 'rejected' | 'live';

export interface SimWorld {
  campaigns: SimCampaign[];
  publishers: SimParty[];
  targets: SimParty[];
  numbers: SimNumber[];
}

export function ringbaId(random: SeededRandom, prefix: string): string {
  return `${prefix}${random.hex(32)}`;
}

export function buildWorld(random: SeededRandom): SimWorld {
  const campaigns: SimCampaign[] = ['Auto Insurance', 'Medicare Inbound', 'Debt Relief'].map((name, i) => ({
    id: ringbaId(random, 'CA'),
    name,
    enabled: i < 2,
  }));
  const publishers: SimParty[] = ['Acme Media', 'Blue Leads', 'Call Harbor'].map((name) => ({
    id: ringbaId(random, 'AF'),
    name,
    subId: `sub-${random.int(100, 999)}`,
  }));
  const targets: SimParty[] = ['Northwind Agency', 'Contoso Sales', 'Fabrikam Group', 'Tailspin Desk'].map(
    (name) => ({ id: ringbaId(random, 'TA'), name, number: random.phone() }),
  );
  const numbers: SimNumber[] = Array.from({ length: 6 }, (_, i) => {
    const phoneNumber = i === 5 ? `+1888555${String(random.int(0, 99)).padStart(2, '0')}00` : random.phone();
    const publisher = publishers[i % publishers.length];
    return {
      id: ringbaId(random, 'PN'),
      phoneNumber,
      displayNumber: displayOf(phoneNumber),
      campaignId: i < 5 ? campaigns[i % campaigns.length].id : undefined,
      isTollFree: i === 5,
      affiliate: { id: publisher.id, name: publisher.name },
    };
  });
  return { campaigns, publishers, targets, numbers };
}

export function displayOf(e164: string): string {
  const d = e164.replace(/\D/g, '').slice(-10);
  return `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
}

const STATES = ['CA', 'TX', 'FL', 'NY', 'OH'];
const INCOMPLETE_REASONS = ['No Target Available', 'Caller Hung Up In IVR', 'Call Failed'];

/** A new call in its "incoming" state (live, not connected). */
export function newCall(random: SeededRandom, world: SimWorld, callDt: number): SimCallRecord {
  const trackingNumber = random.pick(world.numbers.filter((n) => n.campaignId));
  const campaign = world.campaigns.find((c) => c.id === trackingNumber.campaignId) ?? world.campaigns[0];
  const publisher =
    world.publishers.find((p) => p.id === trackingNumber.affiliate?.id) ?? world.publishers[0];
  const caller = random.phone();
  const state = random.pick(STATES);
  const zip = String(random.int(10000, 99999));
  const duplicate = random.bool(0.05);
  return {
    inboundCallId: `RGB${random.hex(29).toUpperCase()}`,
    callDt,
    campaignId: campaign.id,
    campaignName: campaign.name,
    publisherId: publisher.id,
    publisherName: publisher.name,
    publisherSubId: publisher.subId,
    inboundPhoneNumber: caller,
    number: trackingNumber.phoneNumber,
    numberId: trackingNumber.id,
    isFromNumberPool: false,
    callLengthInSeconds: 0,
    connectedCallLengthInSeconds: 0,
    timeToCallInSeconds: 0,
    endCallSource: null,
    hasConnected: false,
    hasConverted: false,
    hasPayout: false,
    hasPreviouslyConnected: false,
    hasRecording: false,
    hasAnnotations: false,
    isLive: true,
    conversionAmount: 0,
    payoutAmount: 0,
    profitNet: 0,
    profitGross: 0,
    totalCost: 0,
    telcoCost: 0,
    isDuplicate: duplicate,
    isIncomplete: false,
    events: [{ name: 'CallPlanDetail', dtStamp: new Date(callDt).toISOString() }],
    'message-tags': [
      { name: 'State', source: 'InboundNumber', type: 'InboundNumber', value: state, 'value-num': null },
      { name: 'ZipCode', source: 'NumberPool', type: 'Geo', value: zip, 'value-num': Number(zip) },
      {
        name: 'IsDuplicate',
        source: 'CallInfo',
        type: 'CallInfo',
        value: String(duplicate),
        'value-num': null,
      },
    ],
  };
}

/**
 * A call simulated live (it started this very moment) ends now instead of minutes in the future:
 * its times move back by the call's length, so the API never shows a time to come and the pixels
 * (which fire now, one after the other) agree with the record's times and durations. History calls
 * (anchored in the past) are left alone.
 */
function endsNow(call: SimCallRecord): void {
  const now = Date.now();
  const end = Number(call.callCompletedDt);
  if (!(end > now) || Number(call.callDt) < now - LIVE_WINDOW_MS) return;
  const shift = end - now;
  for (const key of ['callDt', 'callConnectionDt', 'callCompletedDt'] as const) {
    if (typeof call[key] === 'number') (call as Record<string, unknown>)[key] = Number(call[key]) - shift;
  }
  for (const event of call.events as Array<Record<string, unknown>>) {
    event.dtStamp = new Date(Date.parse(String(event.dtStamp)) - shift).toISOString();
  }
}

/** How recently a call must have started to count as simulated live (see endsNow). */
const LIVE_WINDOW_MS = 5_000;

function addEvent(call: SimCallRecord, name: string, at: number): void {
  (call.events as Array<Record<string, unknown>>).push({ name, dtStamp: new Date(at).toISOString() });
}

function cents(value: number): number {
  return Math.round(value) / 100;
}

/**
 * One step of a call's life, applied to the record in place. The pixel of the same name fires
 * right after (see RingbaSimulator.simulateCall); the history pages read the result.
 */
export const LIFECYCLE = {
  connect(random: SeededRandom, world: SimWorld, call: SimCallRecord): void {
    const target = random.pick(world.targets);
    const at = call.callDt + random.int(3, 20) * 1000;
    Object.assign(call, {
      targetId: target.id,
      targetName: target.name,
      targetNumber: target.number,
      buyer: target.name,
      buyerId: target.id.replace(/^TA/, 'BU'),
      callConnectionDt: at,
      timeToConnectInSeconds: Math.round((at - call.callDt) / 1000),
      hasConnected: true,
      hasPreviouslyConnected: true,
    });
    addEvent(call, 'TargetDialed', at - 2000);
    addEvent(call, 'ConnectedCall', at);
  },
  convert(random: SeededRandom, call: SimCallRecord): void {
    const revenueCents = random.int(1500, 9000);
    Object.assign(call, {
      hasConverted: true,
      conversionAmount: cents(revenueCents),
      profitGross: cents(revenueCents),
      profitNet: cents(revenueCents),
    });
    addEvent(call, 'ConvertedCall', call.callDt + 60_000);
  },
  pay(random: SeededRandom, call: SimCallRecord): void {
    const revenueCents = Math.round(Number(call.conversionAmount) * 100);
    const payoutCents = Math.round((revenueCents * random.int(40, 70)) / 100);
    Object.assign(call, {
      hasPayout: true,
      payoutAmount: cents(payoutCents),
      profitGross: cents(revenueCents - payoutCents),
      profitNet: cents(revenueCents - payoutCents),
    });
    addEvent(call, 'PayoutCall', call.callDt + 61_000);
  },
  end(random: SeededRandom, call: SimCallRecord, endCallSource: string): void {
    const connectedAt = typeof call.callConnectionDt === 'number' ? call.callConnectionDt : undefined;
    const seconds = connectedAt ? random.int(90, 900) : random.int(5, 40);
    const endedAt = call.callDt + seconds * 1000;
    const telcoCents = random.int(2, 30);
    Object.assign(call, {
      isLive: false,
      callCompletedDt: endedAt,
      callLengthInSeconds: seconds,
      connectedCallLengthInSeconds: connectedAt ? Math.round((endedAt - connectedAt) / 1000) : 0,
      endCallSource,
      telcoCost: cents(telcoCents),
      totalCost: cents(telcoCents),
      profitNet: cents(Math.round(Number(call.profitGross) * 100) - telcoCents),
    });
    if (connectedAt) addEvent(call, 'CompletedCall', endedAt);
    addEvent(call, 'EndCallSource', endedAt);
    endsNow(call);
  },
  incomplete(call: SimCallRecord, reason: string): void {
    Object.assign(call, { isIncomplete: true, incompleteCallReason: reason });
  },
  block(call: SimCallRecord, reason: string): void {
    Object.assign(call, { blockReason: reason });
  },
  record(random: SeededRandom, call: SimCallRecord): void {
    Object.assign(call, {
      hasRecording: true,
      recordingUrl: `https://media.ringba.com/recording-public?v=v1&k=${random.hex(40)}`,
    });
    addEvent(call, 'CallRecordingMigrated', Number(call.callCompletedDt ?? call.callDt) + 5000);
  },
};

/** A finished (or, for 'live', still running) call for the history, in one go. */
export function historicCall(
  random: SeededRandom,
  world: SimWorld,
  callDt: number,
  outcome: SimOutcome,
): SimCallRecord {
  const call = newCall(random, world, callDt);
  switch (outcome) {
    case 'live':
      if (random.bool()) LIFECYCLE.connect(random, world, call);
      return call;
    case 'converted':
    case 'completed':
      LIFECYCLE.connect(random, world, call);
      if (outcome === 'converted') {
        LIFECYCLE.convert(random, call);
        LIFECYCLE.pay(random, call);
      }
      LIFECYCLE.end(random, call, random.pick(['Caller', 'Target']));
      if (random.bool(0.8)) LIFECYCLE.record(random, call);
      return call;
    case 'missed':
      Object.assign(call, { targetId: random.pick(world.targets).id });
      LIFECYCLE.end(random, call, 'Target');
      return call;
    case 'canceled':
      LIFECYCLE.end(random, call, 'Caller');
      return call;
    case 'error':
      LIFECYCLE.incomplete(call, random.pick(INCOMPLETE_REASONS));
      LIFECYCLE.end(random, call, 'System');
      return call;
    case 'rejected':
      LIFECYCLE.block(call, 'Duplicate Caller');
      LIFECYCLE.end(random, call, 'System');
      return call;
  }
}

/** Outcome mix of the generated history (the newest few calls are still live). */
export function pickOutcome(random: SeededRandom): SimOutcome {
  const r = random.next();
  if (r < 0.35) return 'converted';
  if (r < 0.6) return 'completed';
  if (r < 0.75) return 'missed';
  if (r < 0.87) return 'canceled';
  if (r < 0.95) return 'error';
  return 'rejected';
}
