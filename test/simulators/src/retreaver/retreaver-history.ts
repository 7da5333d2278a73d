import { SeededRandom } from '../seeded-random.js';

/** Records in Retreaver's own shapes (the objects inside `{"call": ...}`, `{"campaign": ...}`...). */
export type RetreaverCallRecord = Record<string, unknown> & {
  uuid: string;
  created_at: string;
  cid: string | null;
};
export type RetreaverCampaignRecord = Record<string, unknown> & { cid: string; name: string; id: number };
export type RetreaverNumberRecord = Record<string, unknown> & {
  id: number;
  number: string;
  cid: string | null;
};
export type RetreaverTargetRecord = { id: number; name: string; number: string };

export interface HistoryOptions {
  seed: number;
  calls: number;
  /** Calls are created in [anchor - hours, anchor). */
  anchor: Date;
  hours: number;
}

export interface History {
  campaigns: RetreaverCampaignRecord[];
  numbers: RetreaverNumberRecord[];
  targets: RetreaverTargetRecord[];
  calls: RetreaverCallRecord[];
}

const CAMPAIGNS: Array<[string, string, number]> = [
  ['c0ffee01', 'Home Insurance - Inbound', 9872],
  ['d00dfeed', 'Auto Insurance', 9901],
  ['beefcafe', 'Medicare Advantage', 9944],
];

const CITIES: Array<[string, string, string]> = [
  ['Rockingham', 'NC', '28379'],
  ['Colorado Springs', 'CO', '80920'],
  ['Toronto', 'ON', 'M5V 2T6'],
  ['Austin', 'TX', '78701'],
];

/** A deterministic account: three campaigns, two numbers each, a few targets, `calls` calls. */
export function generateHistory(options: HistoryOptions): History {
  const rng = new SeededRandom(options.seed);
  const campaigns = CAMPAIGNS.map(([cid, name, id]) => campaignRecord(cid, name, id));
  const numbers: RetreaverNumberRecord[] = [];
  let numberId = 4906090;
  for (const campaign of campaigns) {
    for (let i = 0; i < 2; i++)
      numbers.push(numberRecord(++numberId, tollFree(rng), i === 0, campaign.cid, rng));
  }
  const targets: RetreaverTargetRecord[] = [
    { id: 27449, name: 'Buyer A - Sales', number: rng.phone() },
    { id: 27450, name: 'Buyer B - Call Center', number: rng.phone() },
    { id: 27451, name: 'Buyer C - Overflow', number: rng.phone() },
  ];

  const start = options.anchor.getTime() - options.hours * 3_600_000;
  const span = options.hours * 3_600_000;
  const times = Array.from({ length: options.calls }, () => start + Math.floor(rng.next() * span)).sort(
    (a, b) => a - b,
  );
  const calls = times.map((created, index) => {
    // The newest two calls are still live, like a real account's first page sorted desc.
    const live = index >= options.calls - 2 ? (index === options.calls - 1 ? 'connected' : 'ivr') : undefined;
    return callRecord(rng, { created, campaigns, numbers, targets, live });
  });
  return { campaigns, numbers, targets, calls };
}

interface CallContext {
  created: number;
  campaigns: RetreaverCampaignRecord[];
  numbers: RetreaverNumberRecord[];
  targets: RetreaverTargetRecord[];
  /** Live call stage, or undefined for a finished call. */
  live?: 'ivr' | 'connected';
  connected?: boolean;
  converted?: boolean;
}

export function uuid(rng: SeededRandom): string {
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`;
}

/** One call as `/api/v2/calls.json` shows it (the documented V2 fields). */
export function callRecord(rng: SeededRandom, ctx: CallContext): RetreaverCallRecord {
  const campaign = rng.pick(ctx.campaigns);
  const campaignNumbers = ctx.numbers.filter((n) => n.cid === campaign.cid);
  const number = rng.pick(campaignNumbers.length ? campaignNumbers : ctx.numbers);
  const [city, state, zip] = rng.pick(CITIES);
  const connected =
    ctx.live === 'connected' ? true : ctx.live === 'ivr' ? false : (ctx.connected ?? rng.bool(0.7));
  const converted = !ctx.live && connected && (ctx.converted ?? rng.bool(0.45));
  const target = connected || rng.bool(0.4) ? rng.pick(ctx.targets) : undefined;
  const ivr = rng.int(0, 20);
  const hold = target ? rng.int(0, 15) : rng.int(5, 40);
  const talk = connected ? rng.int(20, 900) : 0;
  let created = ctx.created;
  let startMs = created - rng.int(50, 300);
  const total = ivr + hold + talk;
  let endMs = ctx.live ? undefined : startMs + total * 1000 + rng.int(0, 999);
  // A call simulated live (created this very moment) ends now instead of minutes in the future:
  // its times move back by its length, so they agree with its durations and none lies ahead.
  const now = Date.now();
  if (endMs !== undefined && endMs > now && created >= now - 5_000) {
    const shift = endMs - now;
    created -= shift;
    startMs -= shift;
    endMs -= shift;
  }
  const forwardedMs = target ? startMs + (ivr + hold) * 1000 : undefined;
  const revenue = converted ? money(rng, 15, 90) : null;
  const payout = converted && revenue !== null ? Math.round(revenue * rng.int(30, 70)) / 100 : null;
  const cost = (Math.ceil(Math.max(total, 1) / 60) * 0.02).toFixed(2);
  const afid = rng.bool(0.6) ? `pub-${rng.int(1, 9)}` : null;
  const id = uuid(rng);
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

  return {
    uuid: id,
    caller: rng.phone(),
    caller_number_sent: null,
    caller_zip: zip,
    caller_state: state,
    caller_city: city,
    caller_country: state === 'ON' ? 'CA' : 'US',
    dialed_call_duration: ctx.live ? null : talk,
    total_duration: ctx.live ? null : total,
    ivr_duration: ivr,
    hold_duration: ctx.live ? null : hold,
    status: ctx.live ? 'in_progress' : 'finished',
    start_time: iso(startMs),
    forwarded_time: iso(forwardedMs),
    end_time: iso(endMs),
    cid: campaign.cid,
    afid,
    sid: afid && rng.bool(0.5) ? `s${rng.int(100, 999)}` : null,
    dialed_number: target?.number ?? null,
    revenue,
    payout,
    postback_value: null,
    hung_up_by: ctx.live ? null : rng.pick(['caller', 'caller', 'target']),
    duplicate: false,
    system_target_id: target?.id ?? null,
    system_campaign_id: campaign.id,
    system_affiliate_id: null,
    charge_total: cost,
    keys_pressed: ['1'],
    repeat: rng.bool(0.2),
    visitor_url: null,
    company_id: 1,
    conversions_determined_at: endMs === undefined ? null : iso(endMs + 20_000),
    updated_at: iso((endMs ?? created) + 25_000),
    created_at: new Date(created).toISOString(),
    billable_minutes: Math.ceil(total / 60),
    upstream_call_uuid: null,
    downstream_call_uuids: [],
    target_group: target ? { id: 1639, name: 'Sales floor' } : {},
    recording_url: connected && !ctx.live ? `https://recordings.example.com/${id}.mp3` : null,
    number: number.number,
    converted,
    payable: converted,
    receivable: converted,
    conversion_seconds: converted ? 90 : null,
    tid: null,
    tags: {
      geo: `${state === 'ON' ? '416' : '301'},us,us-${zip},us-${state.toLowerCase()}`,
      status: 'success',
      ...(target ? { system_target_id: String(target.id) } : {}),
    },
    fired_pixels: [],
    via: 'inbound-dial',
    rescued: false,
    campaign_id: campaign.id,
    campaign_name: campaign.name,
    number_id: number.id,
    target_id: target?.id ?? null,
    affiliate_name: afid ? `Publisher ${afid.slice(4)}` : null,
    connected,
    profit_gross: ((revenue ?? 0) - (payout ?? 0) - Number(cost)).toFixed(2),
    profit_net: Math.round(((revenue ?? 0) - (payout ?? 0)) * 100) / 100,
    target_name: target?.name ?? null,
    time_to_call_in_seconds: rng.int(10, 200000),
    time_to_connect_in_seconds: ivr + hold,
    total_cost: cost,
  };
}

function campaignRecord(cid: string, name: string, id: number): RetreaverCampaignRecord {
  return {
    id,
    cid,
    name,
    updated_at: '2025-07-15T03:40:24Z',
    created_at: '2025-04-16T13:50:21Z',
    record_calls: true,
    record_seconds: 3600,
    dedupe_seconds: 86400,
    affiliate_can_pull_number: false,
    greeting: { message: 'Thanks for calling. Press one to continue.', voice_gender: 'Female' },
    timers: [],
    menu_options: [{ menu_option: { id: id + 1, option: '1', target_cid: null, target_number: null } }],
  };
}

export function numberRecord(
  id: number,
  number: string,
  isTollFree: boolean,
  cid: string | null,
  rng: SeededRandom,
  afid = `000${rng.int(1, 9)}`,
  sid: string | null = null,
): RetreaverNumberRecord {
  return {
    id,
    number,
    toll_free: isTollFree,
    updated_at: '2025-05-03T13:53:23Z',
    created_at: '2025-04-18T06:05:05Z',
    sid,
    afid,
    cid,
    uses_campaign_settings: true,
    greeting: { message: null, voice_gender: 'Female', inherited: true },
    timers: [],
    menu_options: [],
  };
}

/** A toll-free number in the fictional 555-01xx range. */
export function tollFree(rng: SeededRandom): string {
  return `+1${rng.pick(['800', '833', '844', '855', '866', '877', '888'])}55501${String(rng.int(0, 99)).padStart(2, '0')}`;
}

function money(rng: SeededRandom, min: number, max: number): number {
  return rng.int(min * 100, max * 100) / 100;
}
