import { strict as assert } from 'node:assert';
import {
  CALL_EVENT_TYPES,
  CredentialsError,
  NotSupportedError,
  getPluginManifest,
  isCallStatus,
  validateManifest,
  type CallTrackingProvider,
  type InboundWebhook,
  type NormalizedCall,
  type PluginManifest,
  type ProviderContext,
} from '@switchboard/core';
import { checkWebhookCase, type WebhookCorpus } from './webhook-corpus.js';

type TestFn = (name: string, fn: () => unknown, timeoutMs?: number) => void;
type SuiteFn = (name: string, fn: () => void) => void;

export interface ConformanceOptions<C extends object> {
  /** The plugin's module class (decorated with @CallTrackingPlugin). */
  plugin: unknown;
  /** Builds a context for the given credentials, talking to a simulator or a sandbox account. */
  context: (credentials: C) => ProviderContext<C>;
  /** Credentials the API accepts. */
  credentials: () => C;
  /** Credentials the API refuses (401/403). */
  badCredentials: () => C;
  /** A window with at least one call in the provider's history. */
  historyWindow: () => { from: Date; to: Date };
  /** Page size to ask for, small enough to force several pages. */
  pageSize?: number;
  /**
   * Webhook requests as the provider sends them for one call (e.g. captured from a simulator
   * firing the plugin's own templates). Optional: without it the webhook mapping checks are skipped.
   */
  sampleWebhooks?: () => Promise<InboundWebhook[]>;
  /**
   * The plugin's webhook corpus (`test/fixtures/<provider>/webhook-corpus.json`): every documented
   * event in template and provider-native shape with the call it must map to. Optional.
   */
  webhookCorpus?: () => WebhookCorpus;
  /** Test registration functions; default: the runner's globals (Jest, Vitest). */
  describe?: SuiteFn;
  it?: TestFn;
}

const MONEY = /^-?\d+\.\d{4}$/;
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * The plugin conformance kit: declares a suite of checks every Switchboard plugin should pass,
 * against a simulator or a sandbox. Call it at the top level of a test file:
 *
 *   runProviderConformance({ plugin: AcmePlugin, context: ..., credentials: ..., ... });
 *
 * It checks the manifest, credentials handling, paging to the end without duplicates, the shape
 * of normalized calls (statuses, E.164 numbers, 4-place money), webhook templates, webhook mapping,
 * and that every feature flag set to false is backed by NotSupportedError.
 */
export function runProviderConformance<C extends object>(options: ConformanceOptions<C>): void {
  const g = globalThis as unknown as { describe?: SuiteFn; it?: TestFn };
  const suite = options.describe ?? g.describe;
  const test = options.it ?? g.it;
  if (!suite || !test)
    throw new Error('runProviderConformance needs describe/it (run it under Jest or Vitest, or pass them)');
  const manifest = getPluginManifest(options.plugin) as PluginManifest | undefined;
  const name = manifest?.provider ?? 'plugin';
  const adapter = (credentials: C): CallTrackingProvider => {
    assert.ok(manifest, 'the plugin class carries a @CallTrackingPlugin manifest');
    return new manifest.adapter(options.context(credentials));
  };

  suite(`${name}: plugin conformance`, () => {
    test('has a valid manifest', () => {
      assert.ok(manifest, 'the plugin class is decorated with @CallTrackingPlugin');
      assert.deepEqual(validateManifest(manifest), []);
      const fields = Object.keys(options.credentials());
      for (const secret of manifest.secretCredentialFields) {
        assert.ok(fields.includes(secret), `secret field "${secret}" is a credential field`);
      }
    });

    test('accepts good credentials', async () => {
      const a = adapter(options.credentials());
      await a.authenticate();
      assert.equal(await a.validateCredentials(), true);
    });

    test('refuses bad credentials with a non-retryable CredentialsError', async () => {
      const a = adapter(options.badCredentials());
      assert.equal(await a.validateCredentials(), false);
      await assert.rejects(a.authenticate(), (error: unknown) => {
        assert.ok(error instanceof CredentialsError, `expected CredentialsError, got ${String(error)}`);
        assert.equal(error.retryable, false);
        return true;
      });
    });

    test('pages through history to the end, without duplicates, as normalized calls', async () => {
      const a = adapter(options.credentials());
      const window = options.historyWindow();
      const seen = new Set<string>();
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await a.getCalls({ ...window, pageSize: options.pageSize ?? 10 }, cursor);
        for (const call of page.calls) {
          checkCall(call);
          assert.ok(!seen.has(call.externalId), `call ${call.externalId} returned twice`);
          seen.add(call.externalId);
        }
        assert.notEqual(page.nextCursor, cursor, 'the cursor moves forward');
        cursor = page.nextCursor;
        pages++;
        assert.ok(pages < 10_000, 'paging ends');
      } while (cursor !== undefined);
      assert.ok(seen.size > 0, 'the history window has calls');
    }, 60_000);

    test('hands out webhook templates that target the connection endpoint', () => {
      const a = adapter(options.credentials());
      const url = 'https://switchboard.example.com/webhooks/x/00000000-0000-4000-8000-000000000000';
      const templates = a.webhookTemplates({ url, secret: 'whsec_conformance' });
      assert.ok(templates.length > 0, 'at least one template');
      for (const t of templates) {
        assert.ok(t.url.startsWith(url), `template ${t.trigger} posts to the endpoint`);
        assert.ok(['GET', 'POST', 'PUT', 'PATCH'].includes(t.method));
        assert.ok(t.trigger && t.providerTrigger, 'names our trigger and the provider one');
      }
    });

    test('maps its own webhooks to call events', async () => {
      if (!options.sampleWebhooks) return;
      const a = adapter(options.credentials());
      const requests = await options.sampleWebhooks();
      assert.ok(requests.length > 0, 'sample webhooks were produced');
      for (const request of requests) {
        const description = a.describeWebhook(request);
        if (description.eventType !== undefined) {
          assert.ok(
            (CALL_EVENT_TYPES as readonly string[]).includes(description.eventType),
            `event type ${description.eventType}`,
          );
        }
        const event = a.mapWebhook(request);
        assert.ok((CALL_EVENT_TYPES as readonly string[]).includes(event.type));
        assert.ok(!Number.isNaN(event.occurredAt.getTime()), 'occurredAt is a date');
        checkCall(event.call);
      }
    });

    test('maps every case of its webhook corpus to the expected call', () => {
      if (!options.webhookCorpus) return;
      const corpus = options.webhookCorpus();
      assert.ok(corpus.cases.length > 0, 'the corpus has cases');
      for (const c of corpus.cases) {
        const a = new (manifest as PluginManifest).adapter({
          ...options.context(options.credentials()),
          settings: c.settings ?? {},
        });
        checkWebhookCase(a, c);
      }
    });

    test('backs every feature it lacks with NotSupportedError', async () => {
      assert.ok(manifest);
      const a = adapter(options.credentials());
      const lacks = async (flag: boolean, run: () => Promise<unknown>, what: string) => {
        if (flag) return;
        await assert.rejects(run(), (e: unknown) => {
          assert.ok(e instanceof NotSupportedError, `${what} throws NotSupportedError (got ${String(e)})`);
          return true;
        });
      };
      await lacks(manifest.features.numberProvisioning, () => a.provisionNumber({}), 'provisionNumber');
      await lacks(
        manifest.features.webhookRegistration,
        () => a.registerWebhook({ url: 'https://x.test/w', secret: 's' }),
        'registerWebhook',
      );
      await lacks(manifest.features.callUpdates, () => a.updateCall('x', { converted: true }), 'updateCall');
    });
  });
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
