import { SeededRandom } from '../seeded-random.js';

/**
 * Seeded TrackDrive accounts: offers, phone numbers, buyers, traffic sources and calls shaped like
 * the real API's JSON (snake_case fields, times with the account's UTC offset, money as Rails
 * decimal strings, `buyer_converted` as the "Converted" / "Not Converted" label).
 */
export type TdRecord = Record<string, unknown>;

export interface TdCall {
  /** Sort and cursor key: creation time in 1/100 ms, like the large numbers TrackDrive's cursors are. */
  key: number;
  createdMs: number;
  record: TdRecord;
}

export interface TdAccount {
  offers: TdRecord[];
  numbers: TdRecord[];
  buyers: Array<{ id: number; name: string; number: string }>;
  trafficSources: Array<{ id: number; name: string }>;
}

/** Final statuses from TrackDrive's status article, besides `finished`. */
export const TD_UNANSWERED_STATUSES = [
  'no-answer',
  'no-answer-convert-on-attempt',
  'busy',
  'failed',
  'canceled',
  'cancelled',
  'caller-hung-up',
  'caller-hung-up-while-ringing-buyer',
  'no-buyer',
  'no-buyer-all-filtered',
  'no-buyer-prevent-dupes',
  'hold-queue-no-buyer',
  'hold-queue-waited-too-long',
  'hold-queue-hung-up',
  'ivr-hung-up',
  'ivr-no-keypress',
  'rejected',
  'rejected-caller-concurrency-exceeded',
  'rejected-ivr-hang-up',
  'rejected-no-concurrency-cap-available',
  'rejected-traffic-source-capped-hang-up',
  'blocked',
  'invalid-number',
  'no-route-to-destination',
  'not-open',
  'opt-out',
  'voicemail',
  'voicemail-detected',
  'left-voicemail',
  'added-to-schedule',
] as const;

export const TD_LIVE_STATUSES = [
  'initiated',
  'calling-leads',
  'on-hold',
  'waiting',
  'established',
  'forwarded',
];

const OFFER_NAMES = [
  'Auto Insurance',
  'Medicare Advantage',
  'Final Expense',
  'Home Services',
  'Debt Relief',
  'Solar Leads',
];
const STATES = ['CO', 'TX', 'FL', 'NY', 'CA', 'OH', 'GA'];
const CITIES = ['Denver', 'Austin', 'Tampa', 'Buffalo', 'Fresno', 'Dayton', 'Macon'];

/** The account's UTC offset in minutes (TrackDrive answers in the account's time zone). */
export const TD_ACCOUNT_OFFSET_MINUTES = -300;

export function uuidFrom(rng: SeededRandom): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`;
}

/** "2026-01-15T07:00:00.123-05:00", as Rails renders a time in the account's zone. */
export function formatTdTime(ms: number, offsetMinutes = TD_ACCOUNT_OFFSET_MINUTES): string {
  const shifted = new Date(ms + offsetMinutes * 60_000).toISOString().replace('Z', '');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${shifted}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** "2016-01-01 12:25:15 +0000": the format TrackDrive's own tokens and filters use. */
export function formatTdTokenTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}

function money(whole: number, cents: number): string {
  // Rails renders decimals as strings with at least one fraction digit ("25.0", "12.75").
  return cents === 0 ? `${whole}.0` : `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

export function createAccount(rng: SeededRandom): TdAccount {
  const offers = OFFER_NAMES.map((name, i) => ({
    id: 10_001 + i,
    uuid: uuidFrom(rng),
    name,
    active: i < OFFER_NAMES.length - 1,
    user_offer_id: null,
    created_at: formatTdTime(Date.UTC(2025, 0, 1 + i)),
  }));
  const trafficSources = [
    { id: 30_001, name: 'Publisher North' },
    { id: 30_002, name: 'Publisher South' },
    { id: 30_003, name: 'Direct Mail' },
  ];
  const buyers = [
    { id: 40_001, name: 'Acme Insurance Agency', number: rng.phone() },
    { id: 40_002, name: 'Blue Ridge Call Center', number: rng.phone() },
    { id: 40_003, name: 'Coastal Health Partners', number: rng.phone() },
    { id: 40_004, name: 'Delta Home Pros', number: rng.phone() },
  ];
  const numbers: TdRecord[] = [];
  for (let i = 0; i < 23; i++) {
    const tollFree = i % 3 === 0;
    const e164 = tollFree ? `+1888555${String(100 + i).padStart(4, '0')}` : rng.phone();
    const plain = e164.slice(2);
    numbers.push({
      id: 20_001 + i,
      uuid: uuidFrom(rng),
      name: `Line ${i + 1}`,
      number: e164,
      plain_number: plain,
      human_number: `(${plain.slice(0, 3)}) ${plain.slice(3, 6)}-${plain.slice(6)}`,
      offer_id: offers[i % offers.length].id,
      traffic_source_id: trafficSources[i % trafficSources.length].id,
      country: 'US',
      created_at: formatTdTime(Date.UTC(2025, 1, 1 + i)),
    });
  }
  return { offers, numbers, buyers, trafficSources };
}

export interface CallShape {
  createdMs: number;
  status: string;
  id: number;
}

/** One call in its final (or live) state, as GET /api/v1/calls renders it. */
export function createCall(rng: SeededRandom, account: TdAccount, shape: CallShape): TdRecord {
  const { createdMs, status, id } = shape;
  const number = rng.pick(account.numbers);
  const offer = account.offers.find((o) => o.id === number.offer_id) ?? account.offers[0];
  const source =
    account.trafficSources.find((t) => t.id === number.traffic_source_id) ?? account.trafficSources[0];
  const buyer = rng.pick(account.buyers);
  const live = TD_LIVE_STATUSES.includes(status);
  const answered = status === 'finished' || status === 'established' || status === 'forwarded';
  const ivr = rng.int(0, 20);
  const hold = rng.int(0, 30);
  const talk = status === 'finished' ? rng.int(20, 900) : 0;
  const total = ivr + hold + talk + rng.int(3, 25);
  const converted = status === 'finished' && talk >= 90;
  const revenue = converted ? money(rng.int(10, 60), rng.pick([0, 25, 50, 75])) : '0.0';
  const payout = converted ? money(rng.int(5, 30), rng.pick([0, 50])) : '0.0';
  const offerConverted = converted && rng.bool(0.8);
  const reachedBuyer =
    answered || ['no-answer', 'busy', 'caller-hung-up-while-ringing-buyer', 'voicemail'].includes(status);
  const state = rng.int(0, STATES.length - 1);
  const endedMs = createdMs + total * 1000 + rng.int(0, 999);
  const uuid = uuidFrom(rng);
  return {
    id,
    uuid,
    legacy_id: null,
    external_record_id: null,
    created_at: formatTdTime(createdMs),
    updated_at: formatTdTime(live ? createdMs : endedMs + 2_000),
    ended_at: live ? null : formatTdTime(endedMs),
    caller_number: rng.phone(),
    number_called: number.number,
    number_id: number.id,
    connected_to: reachedBuyer ? buyer.number : null,
    offer: offer.name,
    offer_id: offer.id,
    user_offer_id: null,
    traffic_source: source.name,
    traffic_source_id: source.id,
    user_traffic_source_id: null,
    sub_id: rng.bool(0.5) ? `sub-${rng.int(1, 9)}` : null,
    buyer: reachedBuyer ? buyer.name : null,
    buyer_id: reachedBuyer ? buyer.id : null,
    user_buyer_id: null,
    status,
    hangup_cause: live ? null : rng.pick(['NORMAL_CLEARING', 'ORIGINATOR_CANCEL', 'NO_ANSWER', 'USER_BUSY']),
    total_duration: live ? null : total,
    answered_duration: live ? null : talk,
    attempted_duration: live ? null : hold + talk,
    hold_duration: hold,
    ivr_duration: ivr,
    buyer_converted: converted ? 'Converted' : 'Not Converted',
    traffic_source_converted: offerConverted ? 'Converted' : 'Not Converted',
    revenue,
    buyer_revenue: revenue,
    payout: offerConverted ? payout : '0.0',
    traffic_source_payout: offerConverted ? payout : '0.0',
    trackdrive_cost: money(0, rng.int(1, 9)),
    provider_cost: money(0, rng.int(1, 9)),
    recording_url: status === 'finished' ? `https://recordings.trackdrive.com/calls/${uuid}.mp3` : null,
    token_values: {
      zip_code: String(rng.int(10_000, 99_999)),
      lead_source: rng.pick(['tv', 'radio', 'web']),
    },
    caller_city: CITIES[state],
    caller_state: STATES[state],
    caller_country: 'US',
    disposition_key: null,
    disposition_name: null,
    call_sid: uuidFrom(rng),
  };
}

/** `historyCalls` calls before `nowMs`, newest first, every creation time distinct. */
export function createHistory(rng: SeededRandom, account: TdAccount, count: number, nowMs: number): TdCall[] {
  const calls: TdCall[] = [];
  let at = nowMs - 60_000;
  for (let i = 0; i < count; i++) {
    at -= rng.int(30, 1_800) * 1000 + rng.int(1, 999);
    const status =
      i < 2 && rng.bool(0.5)
        ? rng.pick(TD_LIVE_STATUSES)
        : rng.bool(0.55)
          ? 'finished'
          : rng.pick(TD_UNANSWERED_STATUSES);
    const record = createCall(rng, account, { createdMs: at, status, id: 500_000_000 + count - i });
    calls.push({ key: at * 100, createdMs: at, record });
  }
  return calls;
}
