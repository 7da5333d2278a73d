import { strict as assert } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import { getMetadataStorage } from 'class-validator';
import {
  CALL_EVENT_TYPES,
  CredentialsError,
  ProviderError,
  getPluginManifest,
  isCallStatus,
  pluginCapabilities,
  validateAdapterCredentials,
  validateManifest,
  type Capability,
  type HistorySource,
  type InboundWebhook,
  type NormalizedCall,
  type NumberOptions,
  type PluginManifest,
  type ProviderAdapter,
  type ProviderContext,
  type WithCapability,
} from '../index.js';
import { sumDecimals } from '../decimal-sum.js';
import {
  ConformanceFailure,
  expectThat,
  messageOf,
  within,
  type ConformanceReport,
  type ConformanceRule,
} from './conformance-rules.js';
import { corpusRequest, type WebhookCorpus } from './webhook-corpus.js';
import { newWebhookSecret, tamperWebhook, unsignWebhook } from './webhook-signing.js';

/** A runner's `it`/`test` (Jest, Vitest, node:test). */
type TestFn = (name: string, fn: () => Promise<void>) => unknown;
/** A runner's `describe`. */
type SuiteFn = (name: string, fn: () => void) => unknown;

/** How the kit signs requests for a plugin with its own verifyWebhook (the provider's signature scheme). */
export interface WebhookSigning {
  /** Signs `request` with `secret` as the provider would at `at` (headers or query added). */
  sign(request: InboundWebhook, secret: string, at: Date): InboundWebhook;
  /** Two secrets, newest first, in the form the provider issues them; default two `whsec_` keys. */
  secrets?: () => [string, string];
  /** Whether signatures carry a time (then a request signed an hour ago must be refused). Default true. */
  timestamped?: boolean;
  /**
   * The signature covers the body only (Standard Webhooks, most HMAC schemes): body-less samples
   * (GET pixels) cannot be proven genuine and are left out. Default false: every sample is signed.
   */
  signsBodyOnly?: boolean;
  /** Changes a signed request the way an attacker would; default tamperWebhook. */
  tamper?: (signed: InboundWebhook) => InboundWebhook;
}

export interface ConformanceOptions<C extends object> {
  /** The plugin's module class (decorated with @CallTrackingPlugin). */
  plugin: unknown;
  /** Builds a context for the given credentials, talking to a simulator or a sandbox account. */
  context: (credentials: C) => ProviderContext<C>;
  /** Credentials the API accepts. Optional secret fields may be left out. */
  credentials: () => C;
  /**
   * Credentials the API refuses (401/403). Not needed by a plugin without credentials (its
   * credentials class declares no field): nothing can be refused, so `credentials.refused` does
   * not apply.
   */
  badCredentials?: () => C;
  /**
   * A window with at least three calls (with different start times) in the provider's history.
   * Required when the adapter implements HistorySource.
   */
  historyWindow?: () => { from: Date; to: Date };
  /** Page size to ask for (small forces several pages; a history on one page must pass too). */
  pageSize?: number;
  /**
   * Samples with their expected normalized calls: every documented event of the provider, in
   * template and provider-native shape (`test/fixtures/<provider>/webhook-corpus.json`). Required
   * when the adapter implements WebhookReceiver.
   */
  webhookCorpus?: () => WebhookCorpus;
  /**
   * One call's whole lifecycle as the provider sends it (e.g. captured from a simulator firing the
   * plugin's own templates): event ids must be unique across it. Required when the adapter
   * implements WebhookReceiver.
   */
  sampleWebhooks?: () => Promise<InboundWebhook[]>;
  /**
   * What provisionNumber needs on this provider (a campaign, an affiliate...), when the adapter
   * implements NumberProvisioning; default `{ countryCode: 'US' }`.
   */
  numberOptions?: (adapter: ProviderAdapter) => NumberOptions | Promise<NumberOptions>;
  /**
   * The id of a call updateCall may change (a conversion is posted to it), when the adapter has
   * CallUpdates but no HistorySource to find one; default: the first call of the history window.
   */
  updatableCallId?: () => string | Promise<string>;
  /** Required when the adapter has its own verifyWebhook: how the provider signs a request. */
  webhookSigning?: WebhookSigning;
  /** Test registration functions; default: the runner's globals (Jest, Vitest, node:test). */
  describe?: SuiteFn;
  it?: TestFn;
}

const MONEY = /^-?\d+\.\d{4}$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const UNKNOWN_CALL_ID = 'switchboard-conformance-unknown-call-0000';
const ENDPOINT = 'https://switchboard.example.com/webhooks/x/00000000-0000-4000-8000-000000000000';
/** Fields getCall must return as getCalls did (when getCalls set them). */
const ROUND_TRIP_FIELDS = [
  'status',
  'callerNumber',
  'trackingNumber',
  'destinationNumber',
  'campaignExternalId',
  'startedAt',
  'answeredAt',
  'endedAt',
  'durationSeconds',
  'converted',
  'revenue',
  'payout',
  'cost',
] as const;

/**
 * The plugin conformance kit. Declares one test per rule, each named by its rule id; a failure names
 * the rule and the sample. Call it at the top level of a test file:
 *
 *   runProviderConformance({ plugin: AcmePlugin, context: ..., credentials: ..., ... });
 */
export function runProviderConformance<C extends object>(options: ConformanceOptions<C>): void {
  const g = globalThis as unknown as {
    describe?: SuiteFn;
    it?: (name: string, fn: () => Promise<void>, timeoutMs?: number) => unknown;
  };
  const suite = options.describe ?? g.describe;
  const globalIt = g.it;
  // Jest's and Vitest's globals take a timeout (some rules page through a whole history).
  const test: TestFn | undefined = options.it ?? (globalIt && ((name, fn) => globalIt(name, fn, 60_000)));
  if (!suite || !test)
    throw new Error('runProviderConformance needs describe/it (run it under Jest or Vitest, or pass them)');
  const manifest = getPluginManifest(options.plugin) as PluginManifest | undefined;
  suite(`${manifest?.provider ?? 'plugin'}: plugin conformance`, () => {
    for (const rule of conformanceRules(options)) test(`${rule.id}: ${rule.title}`, () => rule.run());
  });
}

/** Runs every rule and reports, without a test runner (the kit's own tests, scripts). */
export async function verifyProviderConformance<C extends object>(
  options: ConformanceOptions<C>,
): Promise<ConformanceReport> {
  const report: ConformanceReport = { passed: [], failures: [] };
  for (const rule of conformanceRules(options)) {
    try {
      await rule.run();
      report.passed.push(rule.id);
    } catch (error) {
      report.failures.push({ rule: rule.id, message: messageOf(error) });
    }
  }
  return report;
}

/**
 * The rules that apply to this plugin: the manifest and credential rules always, and the rules of
 * every capability the adapter implements (history rules when it has HistorySource, webhook rules
 * when it has WebhookReceiver, ...), each of which calls that capability's methods. A capability
 * the adapter lacks has no rule: there is nothing to call and nothing the platform will call.
 */
export function conformanceRules<C extends object>(options: ConformanceOptions<C>): ConformanceRule[] {
  const manifest = getPluginManifest(options.plugin) as PluginManifest | undefined;
  const capabilities = new Set<Capability>(
    manifest && typeof manifest.adapter === 'function' ? pluginCapabilities(manifest) : [],
  );
  const adapter = (credentials: C = options.credentials()): ProviderAdapter => {
    if (!manifest)
      throw new ConformanceFailure('manifest.valid', undefined, 'no @CallTrackingPlugin manifest');
    return new manifest.adapter(options.context(credentials));
  };
  /** The adapter as one with `capability` (only used by that capability's rules). */
  const capable = <K extends Capability>(_capability: K, credentials?: C): WithCapability<K> =>
    adapter(credentials) as WithCapability<K>;
  const historyWindow = (rule: string) => {
    expectThat(
      options.historyWindow,
      rule,
      undefined,
      'the adapter implements HistorySource: pass historyWindow',
    );
    return (options.historyWindow as NonNullable<typeof options.historyWindow>)();
  };
  const history = memo(() =>
    readHistory(capable('history'), historyWindow('history.paging'), options.pageSize ?? 10),
  );
  const rules: ConformanceRule[] = [];
  const rule = (id: string, title: string, run: () => Promise<void>) => rules.push({ id, title, run });

  rule('manifest.valid', 'the plugin carries a valid manifest', async () => {
    expectThat(
      manifest,
      'manifest.valid',
      undefined,
      'the plugin class is not decorated with @CallTrackingPlugin',
    );
    const problems = validateManifest(manifest as PluginManifest);
    expectThat(problems.length === 0, 'manifest.valid', undefined, problems.join('; '));
  });

  rule('manifest.secret-fields', 'every secret field is a credential field', async () => {
    const m = manifest as PluginManifest;
    const declared = new Set([...credentialProperties(m.credentials), ...Object.keys(options.credentials())]);
    for (const secret of m.secretCredentialFields)
      expectThat(
        declared.has(secret),
        'manifest.secret-fields',
        secret,
        'is not a property of the credentials class',
      );
  });

  rule('credentials.accepted', 'accepts good credentials', async () => {
    await within('credentials.accepted', undefined, async () => {
      const a = adapter();
      await a.authenticate();
      assert.equal(await validateAdapterCredentials(a), true, 'validateCredentials answers true');
    });
  });

  const hasCredentials = !manifest || credentialProperties(manifest.credentials).length > 0;
  if (hasCredentials || options.badCredentials)
    rule('credentials.refused', 'refuses bad credentials with a non-retryable CredentialsError', async () => {
      expectThat(options.badCredentials, 'credentials.refused', undefined, 'pass badCredentials');
      await within('credentials.refused', undefined, async () => {
        const a = adapter((options.badCredentials as NonNullable<typeof options.badCredentials>)());
        assert.equal(await validateAdapterCredentials(a), false, 'validateCredentials answers false');
        await assert.rejects(a.authenticate(), (error: unknown) => {
          assert.ok(error instanceof CredentialsError, `expected CredentialsError, got ${String(error)}`);
          assert.equal(error.retryable, false, 'CredentialsError is not retryable');
          return true;
        });
      });
    });

  if (capabilities.has('history')) {
    rule(
      'history.paging',
      'pages through history to the end, without duplicates, as normalized calls',
      async () => {
        const calls = await history();
        expectThat(calls.length > 0, 'history.paging', undefined, 'the history window returned no calls');
        for (const call of calls) await within('history.paging', call.externalId, () => checkCall(call));
      },
    );

    rule(
      'history.started-at',
      'every synced call carries startedAt (windows are by start time)',
      async () => {
        for (const call of await history())
          expectThat(
            call.startedAt instanceof Date,
            'history.started-at',
            call.externalId,
            'startedAt is missing',
          );
      },
    );

    rule('history.window-bounds', 'getCalls returns exactly the calls started in [from, to)', async () => {
      const calls = (await history()).filter((c) => c.startedAt instanceof Date);
      const starts = [...new Set(calls.map((c) => (c.startedAt as Date).getTime()))].sort((a, b) => a - b);
      expectThat(
        starts.length >= 3,
        'history.window-bounds',
        undefined,
        'needs 3 calls with distinct startedAt',
      );
      const from = new Date(starts[Math.floor(starts.length / 3)]);
      const to = new Date(starts[Math.floor((2 * starts.length) / 3)]);
      const inside = await readHistory(
        capable('history'),
        { from, to },
        options.pageSize ?? 10,
        'history.window-bounds',
      );
      const where = `[${from.toISOString()}, ${to.toISOString()})`;
      for (const call of inside) {
        const at = call.startedAt?.getTime();
        expectThat(
          at !== undefined && at >= from.getTime() && at < to.getTime(),
          'history.window-bounds',
          call.externalId,
          `startedAt ${call.startedAt?.toISOString()} is outside ${where}`,
        );
      }
      const got = new Set(inside.map((c) => c.externalId));
      for (const call of calls) {
        const at = (call.startedAt as Date).getTime();
        if (at >= from.getTime() && at < to.getTime())
          expectThat(
            got.has(call.externalId),
            'history.window-bounds',
            call.externalId,
            `missing from ${where}`,
          );
      }
    });
  }

  if (capabilities.has('history') && capabilities.has('callLookup')) {
    rule('call.round-trip', 'getCall returns what getCalls returned', async () => {
      const calls = await history();
      const picks = [...new Set([calls[0], calls[Math.floor(calls.length / 2)], calls[calls.length - 1]])];
      for (const listed of picks) {
        await within('call.round-trip', listed.externalId, async () => {
          const fetched = await capable('callLookup').getCall(listed.externalId);
          assert.equal(fetched.externalId, listed.externalId, 'externalId');
          checkCall(fetched);
          for (const field of ROUND_TRIP_FIELDS) {
            if (listed[field] === undefined) continue;
            assert.deepEqual(plain(fetched[field]), plain(listed[field]), `${field} differs from getCalls`);
          }
        });
      }
    });
  }

  if (capabilities.has('callLookup')) {
    rule('call.unknown', 'getCall of an unknown id rejects with a not_found ProviderError', async () => {
      await within('call.unknown', UNKNOWN_CALL_ID, async () => {
        await assert.rejects(capable('callLookup').getCall(UNKNOWN_CALL_ID), (error: unknown) => {
          assert.ok(
            error instanceof ProviderError && (error.code === 'not_found' || error.status === 404),
            `expected a ProviderError with code not_found or status 404, got ${String(error)}`,
          );
          assert.ok(!(error instanceof CredentialsError), 'an unknown call is not a credentials problem');
          return true;
        });
      });
    });
  }

  if (capabilities.has('reports')) {
    rule('report.consistent', 'getCallReport counts and sums the calls getCalls returns', async () => {
      const window = historyWindow('report.consistent');
      const calls = capabilities.has('history') ? await history() : undefined;
      await within('report.consistent', 'getCallReport', async () => {
        const report = await capable('reports').getCallReport(window.from, window.to);
        assert.ok(Number.isInteger(report.totalCalls) && report.totalCalls >= 0, 'totalCalls is a count');
        assert.match(report.revenue, MONEY, 'revenue is a 4-place decimal string');
        assert.match(report.payout, MONEY, 'payout is a 4-place decimal string');
        if (!calls) return; // without a history there is nothing to compare the totals with
        assert.equal(report.totalCalls, calls.length, 'totalCalls');
        assert.equal(report.revenue, sumDecimals(calls.map((c) => c.revenue)), 'revenue');
        assert.equal(report.payout, sumDecimals(calls.map((c) => c.payout)), 'payout');
        assert.equal(report.convertedCalls, calls.filter((c) => c.converted).length, 'convertedCalls');
      });
    });
  }

  if (capabilities.has('numbers')) {
    rule('catalog.numbers', 'getNumbers lists E.164 numbers', async () => {
      await within('catalog.numbers', 'getNumbers', async () => {
        for (const n of await capable('numbers').getNumbers()) {
          assert.ok(n.externalId, 'externalId');
          assert.match(n.number, E164, `number of ${n.externalId} is E.164`);
        }
      });
    });
  }

  if (capabilities.has('campaigns')) {
    rule('catalog.campaigns', 'getCampaigns lists campaigns and getCampaign finds each', async () => {
      await within('catalog.campaigns', 'getCampaigns', async () => {
        const campaigns = await capable('campaigns').getCampaigns();
        for (const c of campaigns) assert.ok(c.externalId && typeof c.name === 'string', 'id and name');
        if (campaigns.length > 0) {
          const one = await capable('campaigns').getCampaign(campaigns[0].externalId);
          assert.equal(one.externalId, campaigns[0].externalId, 'getCampaign returns the campaign asked for');
        }
      });
    });
  }

  if (capabilities.has('numberProvisioning')) {
    rule('capability.number-provisioning', 'provisionNumber and releaseNumber work', async () => {
      const a = capable('numberProvisioning');
      await within('capability.number-provisioning', 'provisionNumber', async () => {
        const number = await a.provisionNumber((await options.numberOptions?.(a)) ?? { countryCode: 'US' });
        assert.match(number.number, E164, 'provisioned number is E.164');
        await a.releaseNumber(number.externalId);
      });
    });
  }

  if (capabilities.has('webhookRegistration')) {
    rule('capability.webhook-registration', 'registerWebhook and unregisterWebhook work', async () => {
      const a = capable('webhookRegistration');
      await within('capability.webhook-registration', 'registerWebhook', async () => {
        const registration = await a.registerWebhook({ url: ENDPOINT, secret: 'whsec_conformance' });
        assert.ok(registration.id, 'registration id');
        assert.ok(registration.triggers.length > 0, 'registered triggers');
        await a.unregisterWebhook(registration.id);
      });
    });
  }

  if (capabilities.has('callUpdates')) {
    rule('capability.call-updates', 'updateCall posts a conversion and returns the call', async () => {
      const externalId = options.updatableCallId
        ? await options.updatableCallId()
        : capabilities.has('history')
          ? (await history())[0]?.externalId
          : undefined;
      expectThat(
        externalId,
        'capability.call-updates',
        undefined,
        'no call to update: implement HistorySource or pass updatableCallId',
      );
      await within('capability.call-updates', externalId, async () => {
        const updated = await capable('callUpdates').updateCall(externalId as string, { converted: true });
        assert.equal(updated.externalId, externalId, 'updateCall returns the updated call');
      });
    });
  }

  if (!capabilities.has('webhooks')) return rules;

  rule('webhook.templates', 'hands out templates that target the endpoint and carry the secret', async () => {
    const a = capable('webhooks');
    const secret = 'whsec_conformance';
    const templates = a.webhookTemplates({ url: ENDPOINT, secret });
    expectThat(templates.length > 0, 'webhook.templates', undefined, 'no template');
    const carriesToken = !a.verifyWebhook && manifest?.webhooks.schemes[0] === 'token';
    for (const t of templates) {
      await within('webhook.templates', t.trigger, () => {
        assert.ok(t.url.startsWith(ENDPOINT), 'posts to the connection endpoint');
        assert.ok(['GET', 'POST', 'PUT', 'PATCH'].includes(t.method), `method ${t.method}`);
        assert.ok(t.trigger && t.providerTrigger, 'names our trigger and the provider one');
        if (carriesToken) {
          const text = `${t.url} ${JSON.stringify(t.headers ?? {})} ${t.body ?? ''}`;
          assert.ok(text.includes(secret) || text.includes(encodeURIComponent(secret)), 'carries the token');
        }
      });
    }
  });

  rule('webhook.expected-call', 'every sample maps to its expected normalized call', async () => {
    const corpus = options.webhookCorpus?.();
    expectThat(
      corpus && corpus.cases.length > 0,
      'webhook.expected-call',
      undefined,
      'no webhookCorpus samples',
    );
    for (const c of (corpus as WebhookCorpus).cases) {
      await within('webhook.expected-call', c.name, () => {
        const a = new (manifest as PluginManifest).adapter({
          ...options.context(options.credentials()),
          settings: c.settings ?? {},
        }) as WithCapability<'webhooks'>;
        const event = a.mapWebhook(corpusRequest(c));
        assert.equal(event.type, c.expected.type, 'type');
        if (c.expected.eventId !== undefined) assert.equal(event.eventId, c.expected.eventId, 'eventId');
        if (c.expected.eventIdPattern !== undefined)
          assert.match(event.eventId ?? '', new RegExp(c.expected.eventIdPattern), 'eventId');
        if (c.expected.noEventId) assert.equal(event.eventId, undefined, 'no eventId');
        if (c.expected.occurredAt !== undefined)
          assert.equal(event.occurredAt.toISOString(), c.expected.occurredAt, 'occurredAt');
        const { providerData: _data, ...call } = plain(event.call) as Record<string, unknown>;
        const wrong = fieldDifferences(call, c.expected.call);
        assert.ok(wrong.length === 0, `call fields differ: ${wrong.join('; ')}`);
        assert.deepEqual(
          (event.warnings ?? []).map((w) => w.field).sort(),
          [...(c.expected.warnings ?? [])].sort(),
          'warnings',
        );
      });
    }
  });

  rule('webhook.describe-agrees', 'describeWebhook and mapWebhook agree on event id and type', async () => {
    const a = capable('webhooks');
    const corpus = options.webhookCorpus?.()?.cases.map((c) => [c.name, corpusRequest(c)] as const) ?? [];
    const lifecycle = (await lifecycleSamples(options)).map((r, i) => [`lifecycle #${i + 1}`, r] as const);
    for (const [name, request] of [...corpus, ...lifecycle]) {
      await within('webhook.describe-agrees', name, () => {
        const event = a.mapWebhook(request);
        const description = a.describeWebhook(request);
        assert.equal(description.eventId, event.eventId, 'eventId');
        assert.equal(description.eventType, event.type, 'eventType');
      });
    }
  });

  rule('webhook.lifecycle', "a call's lifecycle maps to valid events with unique event ids", async () => {
    const a = capable('webhooks');
    const requests = await lifecycleSamples(options);
    expectThat(
      requests.length > 1,
      'webhook.lifecycle',
      undefined,
      'sampleWebhooks gave fewer than 2 requests',
    );
    const ids = new Map<string, string>();
    for (const [i, request] of requests.entries()) {
      const name = `lifecycle #${i + 1}`;
      await within('webhook.lifecycle', name, () => {
        const event = a.mapWebhook(request);
        assert.ok((CALL_EVENT_TYPES as readonly string[]).includes(event.type), `event type ${event.type}`);
        assert.ok(!Number.isNaN(event.occurredAt.getTime()), 'occurredAt is a date');
        checkCall(event.call);
        if (event.eventId === undefined) return;
        const earlier = ids.get(event.eventId);
        assert.ok(earlier === undefined, `event id "${event.eventId}" already used by ${earlier}`);
        ids.set(event.eventId, name);
      });
    }
  });

  rule(
    'webhook.verify',
    'verifyWebhook accepts signed requests and refuses tampered, expired, unsigned ones',
    async () => {
      const a = capable('webhooks');
      if (!a.verifyWebhook) {
        expectThat(
          manifest?.webhooks.schemes.some((s) => s === 'token' || s === 'hmac'),
          'webhook.verify',
          undefined,
          'no verifyWebhook and no token/hmac scheme: nothing proves a webhook is genuine',
        );
        return;
      }
      const signing = options.webhookSigning;
      expectThat(signing, 'webhook.verify', undefined, 'the adapter has verifyWebhook: pass webhookSigning');
      const {
        sign,
        timestamped = true,
        signsBodyOnly = false,
        tamper = tamperWebhook,
      } = signing as WebhookSigning;
      const [newest, older] = signing?.secrets?.() ?? [newWebhookSecret(), newWebhookSecret()];
      const secrets = [newest, older];
      const verify = (request: InboundWebhook) => {
        try {
          return a.verifyWebhook!(request, secrets).ok;
        } catch {
          return false; // the platform treats a throw as a refusal
        }
      };
      const samples = [
        ...(options.webhookCorpus?.()?.cases.map((c) => [c.name, corpusRequest(c)] as const) ?? []),
        ...(await lifecycleSamples(options)).map((r, i) => [`lifecycle #${i + 1}`, r] as const),
      ]
        .filter(([, r]) => !signsBodyOnly || r.rawBody.length > 0)
        .slice(0, 6);
      expectThat(samples.length > 0, 'webhook.verify', undefined, 'no sample to sign');
      const now = new Date();
      for (const [name, original] of samples) {
        const signed = sign(original, newest, now);
        expectThat(verify(signed), 'webhook.verify', name, 'refused a correctly signed request');
        expectThat(
          verify(sign(original, older, now)),
          'webhook.verify',
          name,
          'refused the older secret (rotation)',
        );
        expectThat(!verify(tamper(signed)), 'webhook.verify', name, 'accepted a tampered request');
        expectThat(
          !verify(unsignWebhook(signed, original)),
          'webhook.verify',
          name,
          'accepted an unsigned request',
        );
        expectThat(
          !verify(sign(original, newWebhookSecret(), now)),
          'webhook.verify',
          name,
          'accepted a request signed with another secret',
        );
        if (timestamped) {
          const old = new Date(now.getTime() - 3_600_000);
          expectThat(
            !verify(sign(original, newest, old)),
            'webhook.verify',
            name,
            'accepted a request signed an hour ago',
          );
        }
      }
    },
  );

  return rules;
}

/** Pages through a window to the end, checking the cursor moves on and no call comes twice. */
async function readHistory(
  adapter: HistorySource,
  window: { from: Date; to: Date },
  pageSize: number,
  rule = 'history.paging',
): Promise<NormalizedCall[]> {
  const seen = new Map<string, NormalizedCall>();
  const cursors = new Set<string>();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await adapter.getCalls({ ...window, pageSize }, cursor);
    pages++;
    for (const call of page.calls) {
      expectThat(!seen.has(call.externalId), rule, call.externalId, `returned twice (page ${pages})`);
      seen.set(call.externalId, call);
    }
    if (page.nextCursor !== undefined) {
      expectThat(!cursors.has(page.nextCursor), rule, `page ${pages}`, `cursor "${page.nextCursor}" repeats`);
      cursors.add(page.nextCursor);
    }
    cursor = page.nextCursor;
    expectThat(pages < 10_000, rule, undefined, 'paging never ends');
  } while (cursor !== undefined);
  return [...seen.values()];
}

const lifecycleCache = new WeakMap<object, Promise<InboundWebhook[]>>();
function lifecycleSamples<C extends object>(options: ConformanceOptions<C>): Promise<InboundWebhook[]> {
  if (!options.sampleWebhooks)
    return Promise.reject(new ConformanceFailure('webhook.lifecycle', undefined, 'no sampleWebhooks'));
  let cached = lifecycleCache.get(options);
  if (!cached) {
    cached = options.sampleWebhooks();
    lifecycleCache.set(options, cached);
  }
  return cached;
}

function memo<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= fn());
}

/** Property names the credentials class declares through class-validator decorators. */
function credentialProperties(dto: unknown): string[] {
  if (typeof dto !== 'function') return [];
  return getMetadataStorage()
    .getTargetValidationMetadatas(dto, '', true, false)
    .map((m) => m.propertyName);
}

/** `field: expected X, got Y` for every field where the two plain objects differ. */
function fieldDifferences(actual: Record<string, unknown>, expected: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  return keys
    .filter((k) => !isDeepStrictEqual(actual[k], expected[k]))
    .map((k) => `${k}: expected ${JSON.stringify(expected[k])}, got ${JSON.stringify(actual[k])}`);
}

/** JSON-comparable form (dates as ISO strings, undefined keys gone). */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}

function checkCall(call: NormalizedCall): void {
  assert.equal(typeof call.externalId, 'string');
  assert.ok(call.externalId.length > 0, 'externalId is not empty');
  assert.equal(typeof call.providerData, 'object', 'providerData keeps the original');
  if (call.status !== undefined)
    assert.ok(isCallStatus(call.status), `status ${call.status} is a normalized status`);
  for (const key of ['callerNumber', 'trackingNumber', 'destinationNumber'] as const) {
    const value = call[key];
    if (value !== undefined) assert.match(value, E164, `${key} is E.164`);
  }
  for (const key of ['revenue', 'payout', 'cost'] as const) {
    const value = call[key];
    if (value !== undefined) assert.match(value, MONEY, `${key} is a 4-place decimal string`);
  }
  for (const key of ['startedAt', 'answeredAt', 'endedAt'] as const) {
    const value = call[key];
    if (value !== undefined)
      assert.ok(value instanceof Date && !Number.isNaN(value.getTime()), `${key} is a valid date`);
  }
}
