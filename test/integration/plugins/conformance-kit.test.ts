import * as fs from 'node:fs';
import { jest } from '@jest/globals';
import {
  getPluginManifest,
  standardWebhookKey,
  verifyStandardWebhook,
  type CallFilters,
  type CallPage,
  type CallReport,
  type InboundWebhook,
  type NormalizedCall,
  type NormalizedCallEvent,
  type PluginManifest,
  type VerificationResult,
  type WebhookDescription,
} from '@switchboard/core';
import RingbaPlugin from '@switchboard/plugin-ringba';
import { CallTrackingPlugin, IsOptional, IsString, reportFromHistory } from '@switchboard/plugin-sdk';
import {
  signStandardWebhook,
  verifyProviderConformance,
  type ConformanceOptions,
  type ConformanceReport,
  type WebhookCorpus,
} from '@switchboard/plugin-sdk/testing';
import { SIMULATORS } from '../../simulators/src/registry.js';
import type { ProviderSimulator } from '../../simulators/src/simulator.js';
import { createTestProviderContext } from '../../support/provider-context.js';
import { captureWebhooks } from './capture-webhooks.helpers.js';

/**
 * The conformance kit's own tests: purpose-broken plugins, each derived from the (correct) Ringba
 * plugin by breaking one thing, must each fail the rule that covers the breakage, with a message
 * naming the rule and the sample; the correct plugin and correct variants must pass.
 */
jest.setTimeout(120_000);

const ringba = getPluginManifest(RingbaPlugin) as PluginManifest;
const corpus = JSON.parse(
  fs.readFileSync(new URL('../../fixtures/ringba/webhook-corpus.json', import.meta.url), 'utf8'),
) as WebhookCorpus;

let sim: ProviderSimulator;
let lifecycle: InboundWebhook[];
beforeAll(async () => {
  sim = SIMULATORS.ringba({ seed: 23, historyCalls: 30 });
  await sim.start();
  lifecycle = await captureWebhooks(sim);
});
afterAll(() => sim.stop());

interface Breakage {
  call?: (call: NormalizedCall) => NormalizedCall;
  event?: (event: NormalizedCallEvent) => NormalizedCallEvent;
  describe?: (description: WebhookDescription) => WebhookDescription;
  filters?: (filters: CallFilters) => CallFilters;
  getCall?: (
    externalId: string,
    original: (id: string) => Promise<NormalizedCall>,
  ) => Promise<NormalizedCall>;
  report?: (report: CallReport) => CallReport;
  verify?: (request: InboundWebhook, secrets: readonly string[]) => VerificationResult;
  manifest?: Partial<PluginManifest>;
}

/**
 * A plugin module derived from Ringba's: same manifest and adapter, with one thing broken. Ringba
 * has no ReportSource; the derived adapter has one (the SDK's report of its history) so the kit's
 * report rule has something to check and break.
 */
function derive(breakage: Breakage, change?: (prototype: object) => void): unknown {
  const Base = ringba.adapter;
  class Derived extends Base {
    override mapWebhook(request: InboundWebhook): NormalizedCallEvent {
      const event = super.mapWebhook(request);
      const changed = { ...event, call: breakage.call ? breakage.call(event.call) : event.call };
      return breakage.event ? breakage.event(changed) : changed;
    }
    override describeWebhook(request: InboundWebhook): WebhookDescription {
      const description = super.describeWebhook(request);
      return breakage.describe ? breakage.describe(description) : description;
    }
    override async getCalls(filters: CallFilters, cursor?: string): Promise<CallPage> {
      const page = await super.getCalls(breakage.filters ? breakage.filters(filters) : filters, cursor);
      return { ...page, calls: page.calls.map((c) => (breakage.call ? breakage.call(c) : c)) };
    }
    override async getCall(externalId: string): Promise<NormalizedCall> {
      if (breakage.getCall) return breakage.getCall(externalId, (id) => super.getCall(id));
      const call = await super.getCall(externalId);
      return breakage.call ? breakage.call(call) : call;
    }
    async getCallReport(from: Date, to: Date): Promise<CallReport> {
      const report = await reportFromHistory(this, from, to, { pageSize: 1000 });
      return breakage.report ? breakage.report(report) : report;
    }
  }
  if (breakage.verify) Object.assign(Derived.prototype, { verifyWebhook: breakage.verify });
  change?.(Derived.prototype);
  class DerivedPlugin {}
  CallTrackingPlugin({ ...ringba, ...breakage.manifest, adapter: Derived })(DerivedPlugin);
  return DerivedPlugin;
}

function options(plugin: unknown, extra: Partial<ConformanceOptions<Record<string, string>>> = {}) {
  return {
    plugin,
    context: (credentials: Record<string, string>) =>
      createTestProviderContext({ provider: 'ringba', credentials, apiBaseUrl: sim.baseUrl }),
    credentials: () => ({ ...sim.credentials }),
    badCredentials: () => ({ ...sim.credentials, apiToken: 'definitely-not-the-right-token-0000' }),
    historyWindow: () => ({ from: new Date('2020-01-01T00:00:00Z'), to: new Date(Date.now() + 86_400_000) }),
    pageSize: 10,
    webhookCorpus: () => corpus,
    sampleWebhooks: async () => lifecycle,
    ...extra,
  } satisfies ConformanceOptions<Record<string, string>>;
}

function failure(report: ConformanceReport, rule: string): string {
  const found = report.failures.find((f) => f.rule === rule);
  if (!found) throw new Error(`rule ${rule} did not fail; failures: ${JSON.stringify(report.failures)}`);
  return found.message;
}

const FIRST_SAMPLE = corpus.cases[0].name;
const FIRST_BODY_SAMPLE = corpus.cases.find((c) => c.request.body !== undefined)!.name;
const quoted = (name: string) => `"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`;

/** Standard Webhooks verification, as a plugin whose provider signs that way would do it. */
function verifyHmac(request: InboundWebhook, secrets: readonly string[]): VerificationResult {
  return verifyStandardWebhook(request.headers, request.rawBody, {
    keys: secrets.map(standardWebhookKey),
    toleranceSeconds: 300,
  });
}
const hmacSigning = {
  signsBodyOnly: true,
  sign: (r: InboundWebhook, secret: string, at: Date) => signStandardWebhook(r, secret, { at }),
};

describe('conformance kit', () => {
  it('passes the correct plugin, on several pages and on one page', async () => {
    const several = await verifyProviderConformance(options(RingbaPlugin));
    expect(several.failures).toEqual([]);
    expect(several.passed).toEqual(expect.arrayContaining(['history.window-bounds', 'call.round-trip']));
    // A history that fits on one page: no cursor at all is a correct answer.
    const onePage = await verifyProviderConformance(options(RingbaPlugin, { pageSize: 1000 }));
    expect(onePage.failures).toEqual([]);
  });

  it('passes a plugin whose optional secret credential field is missing from the sample', async () => {
    class WithSigningKey extends (ringba.credentials as new () => object) {
      @IsOptional()
      @IsString()
      signingKey?: string;
    }
    const plugin = derive({
      manifest: {
        credentials: WithSigningKey,
        secretCredentialFields: [...ringba.secretCredentialFields, 'signingKey'],
      },
    });
    const report = await verifyProviderConformance(options(plugin));
    expect(report.passed).toContain('manifest.secret-fields');
    expect(report.failures).toEqual([]);
  });

  it('catches caller and business numbers swapped, naming the rule and the sample', async () => {
    const plugin = derive({
      call: (c) => ({ ...c, callerNumber: c.trackingNumber, trackingNumber: c.callerNumber }),
    });
    const message = failure(await verifyProviderConformance(options(plugin)), 'webhook.expected-call');
    expect(message).toMatch(new RegExp(`^\\[webhook\\.expected-call\\] sample ${quoted(FIRST_SAMPLE)}: `));
    expect(message).toMatch(/callerNumber: expected "\+12135550142", got "\+18005550199"/);
  });

  it('catches a status that is always completed', async () => {
    const plugin = derive({ call: (c) => ({ ...c, status: 'completed' }) });
    const message = failure(await verifyProviderConformance(options(plugin)), 'webhook.expected-call');
    expect(message).toMatch(
      new RegExp(`sample ${quoted(FIRST_SAMPLE)}: .*status: expected "ringing", got "completed"`),
    );
  });

  it('catches revenue dropped', async () => {
    const plugin = derive({ call: ({ revenue: _revenue, ...rest }) => rest });
    const message = failure(await verifyProviderConformance(options(plugin)), 'webhook.expected-call');
    expect(message).toMatch(
      /^\[webhook\.expected-call\] sample "[^"]+": call fields differ: revenue: expected "\d+\.\d{4}", got undefined$/,
    );
  });

  it('catches startedAt dropped, in webhooks and in history', async () => {
    const plugin = derive({ call: ({ startedAt: _startedAt, ...rest }) => rest });
    const report = await verifyProviderConformance(options(plugin));
    expect(failure(report, 'webhook.expected-call')).toMatch(
      new RegExp(
        `sample ${quoted(FIRST_SAMPLE)}: call fields differ: startedAt: expected "[^"]+", got undefined`,
      ),
    );
    expect(failure(report, 'history.started-at')).toMatch(
      /^\[history\.started-at\] sample "[^"]+": startedAt is missing/,
    );
  });

  it('catches every webhook typed call.updated with one shared event id', async () => {
    const plugin = derive({
      event: (e) => ({ ...e, type: 'call.updated', eventId: 'evt-1' }),
      describe: () => ({ eventType: 'call.updated', eventId: 'evt-1' }),
    });
    const report = await verifyProviderConformance(options(plugin));
    expect(failure(report, 'webhook.expected-call')).toMatch(/type/);
    expect(failure(report, 'webhook.lifecycle')).toMatch(
      /^\[webhook\.lifecycle\] sample "lifecycle #2": event id "evt-1" already used by lifecycle #1/,
    );
  });

  it('catches describeWebhook disagreeing with mapWebhook', async () => {
    const plugin = derive({ describe: (d) => ({ ...d, eventType: 'call.updated' }) });
    const message = failure(await verifyProviderConformance(options(plugin)), 'webhook.describe-agrees');
    expect(message).toMatch(/^\[webhook\.describe-agrees\] sample "[^"]+": eventType/);
  });

  it('catches a verifyWebhook that accepts everything, and passes a real one', async () => {
    const acceptAll = derive({ verify: () => ({ ok: true }) });
    const message = failure(
      await verifyProviderConformance(options(acceptAll, { webhookSigning: hmacSigning })),
      'webhook.verify',
    );
    expect(message).toMatch(
      new RegExp(`^\\[webhook\\.verify\\] sample ${quoted(FIRST_BODY_SAMPLE)}: accepted a tampered request`),
    );

    const real = derive({ verify: verifyHmac });
    const report = await verifyProviderConformance(options(real, { webhookSigning: hmacSigning }));
    expect(report.passed).toContain('webhook.verify');
    // Without a signer the kit cannot exercise verifyWebhook, and says so.
    expect(failure(await verifyProviderConformance(options(real)), 'webhook.verify')).toMatch(
      /pass webhookSigning/,
    );
  });

  it('catches a verifyWebhook that ignores the timestamp (replays)', async () => {
    const noClock = derive({
      verify: (request, secrets) =>
        verifyStandardWebhook(request.headers, request.rawBody, {
          keys: secrets.map(standardWebhookKey),
          toleranceSeconds: 10 ** 9,
        }),
    });
    const report = await verifyProviderConformance(options(noClock, { webhookSigning: hmacSigning }));
    expect(failure(report, 'webhook.verify')).toMatch(/accepted a request signed an hour ago/);
  });

  it('catches getCalls returning calls outside the window', async () => {
    const plugin = derive({ filters: (f) => ({ ...f, from: new Date('2020-01-01T00:00:00Z') }) });
    const message = failure(await verifyProviderConformance(options(plugin)), 'history.window-bounds');
    expect(message).toMatch(/^\[history\.window-bounds\] sample "[^"]+": startedAt \S+ is outside \[/);
  });

  it('catches getCall answering something for an unknown call, or another call than getCalls', async () => {
    const madeUp = derive({
      getCall: (externalId, original) =>
        original(externalId).catch(() => ({ externalId, providerData: {} }) as NormalizedCall),
    });
    expect(failure(await verifyProviderConformance(options(madeUp)), 'call.unknown')).toMatch(
      /^\[call\.unknown\] sample "switchboard-conformance-unknown-call-0000": Missing expected rejection/,
    );
    const stale = derive({
      getCall: async (externalId, original) => ({ ...(await original(externalId)), status: 'ringing' }),
    });
    expect(failure(await verifyProviderConformance(options(stale)), 'call.round-trip')).toMatch(
      /^\[call\.round-trip\] sample "[^"]+": status differs from getCalls/,
    );
  });

  it('catches a feature declared true (SDK 1.0 style) that the adapter does not implement', async () => {
    const plugin = derive({ manifest: { features: { ...ringba.features, callUpdates: true } } });
    const message = failure(await verifyProviderConformance(options(plugin)), 'manifest.valid');
    expect(message).toMatch(
      /^\[manifest\.valid\]: features\.callUpdates is true but the adapter has no updateCall/,
    );
  });

  it('catches a partial capability: provisionNumber without releaseNumber', async () => {
    const plugin = derive({}, (prototype) =>
      Object.defineProperty(prototype, 'releaseNumber', { value: undefined }),
    );
    const report = await verifyProviderConformance(options(plugin));
    expect(failure(report, 'manifest.valid')).toMatch(
      /^\[manifest\.valid\]: adapter implements provisionNumber but not releaseNumber/,
    );
    // Not a capability, so nothing calls it: no provisioning rule runs (and no number is bought).
    expect(report.passed).not.toContain('capability.number-provisioning');
    expect(report.failures.map((f) => f.rule)).toEqual(['manifest.valid']);
  });

  it('runs the rule of every capability the adapter implements, and none for the ones it lacks', async () => {
    const report = await verifyProviderConformance(options(RingbaPlugin));
    const ran = [...report.passed, ...report.failures.map((f) => f.rule)];
    expect(ran).toEqual(
      expect.arrayContaining([
        'history.paging',
        'call.round-trip',
        'call.unknown',
        'catalog.numbers',
        'catalog.campaigns',
        'capability.number-provisioning',
        'webhook.expected-call',
      ]),
    );
    for (const absent of ['report.consistent', 'capability.call-updates', 'capability.webhook-registration'])
      expect(ran).not.toContain(absent);
    expect(report.failures).toEqual([]);
  });

  it('calls an implemented capability: an updateCall that fails is caught', async () => {
    const plugin = derive({}, (prototype) =>
      Object.assign(prototype, {
        updateCall: async () => {
          throw new Error('postback endpoint answered 500');
        },
      }),
    );
    const message = failure(await verifyProviderConformance(options(plugin)), 'capability.call-updates');
    expect(message).toMatch(/^\[capability\.call-updates\] sample "[^"]+": postback endpoint answered 500/);
  });

  it('catches a report that does not add up to the calls', async () => {
    const plugin = derive({ report: (r) => ({ ...r, totalCalls: r.totalCalls + 1 }) });
    const message = failure(await verifyProviderConformance(options(plugin)), 'report.consistent');
    expect(message).toMatch(/^\[report\.consistent\] sample "getCallReport": totalCalls/);
  });

  it('asks for badCredentials and historyWindow where they apply, naming what is missing', async () => {
    const { badCredentials: _bad, ...withoutBad } = options(RingbaPlugin);
    expect(failure(await verifyProviderConformance(withoutBad), 'credentials.refused')).toMatch(
      /pass badCredentials/,
    );
    const { historyWindow: _window, ...withoutWindow } = options(RingbaPlugin);
    expect(failure(await verifyProviderConformance(withoutWindow), 'history.paging')).toMatch(
      /pass historyWindow/,
    );
  });
});
