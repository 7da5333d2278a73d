import { IsString } from 'class-validator';
import { CAPABILITIES, CAPABILITY_METHODS, type Capability } from '../contract/capabilities.js';
import { CallTrackingPlugin } from '../plugin/call-tracking-plugin.decorator.js';
import { conformanceRules, type ConformanceOptions } from './conformance.js';

class Credentials {
  @IsString()
  apiKey!: string;
}

/** The rule ids that exercise each capability (a rule per capability the adapter implements). */
const RULES_OF: Record<Capability, string[]> = {
  webhooks: ['webhook.templates', 'webhook.expected-call', 'webhook.describe-agrees', 'webhook.lifecycle'],
  history: ['history.paging', 'history.started-at', 'history.window-bounds'],
  callLookup: ['call.unknown'],
  callUpdates: ['capability.call-updates'],
  numbers: ['catalog.numbers'],
  numberProvisioning: ['capability.number-provisioning'],
  campaigns: ['catalog.campaigns'],
  reports: ['report.consistent'],
  webhookRegistration: ['capability.webhook-registration'],
};

/** A plugin whose adapter has exactly `capabilities` (methods that are never called here). */
function pluginWith(capabilities: Capability[]): unknown {
  class Adapter {
    async authenticate(): Promise<void> {}
  }
  for (const capability of capabilities)
    for (const method of CAPABILITY_METHODS[capability])
      Object.defineProperty(Adapter.prototype, method, { value: () => undefined });
  class Plugin {}
  CallTrackingPlugin({
    provider: 'acme',
    displayName: 'Acme',
    version: '1.0.0',
    compatibility: '^1.1.0',
    credentials: Credentials,
    secretCredentialFields: ['apiKey'],
    adapter: Adapter as never,
    rateLimits: {},
    sync: { intervalSeconds: 60, batchSize: 10, lookbackSeconds: 0 },
    webhooks: { schemes: ['token'] },
  })(Plugin);
  return Plugin;
}

const ids = (capabilities: Capability[]) =>
  conformanceRules({
    plugin: pluginWith(capabilities),
    context: () => ({}) as never,
    credentials: () => ({ apiKey: 'k' }),
    badCredentials: () => ({ apiKey: 'bad' }),
  } satisfies ConformanceOptions<{ apiKey: string }>).map((r) => r.id);

describe('conformance rules by capability', () => {
  it.each(CAPABILITIES.map((c) => [c]))(
    '%s has rules, run only when the adapter implements it',
    (capability) => {
      // Webhooks or history is always needed for a valid plugin; pair the capability with the other one.
      const base: Capability[] = capability === 'webhooks' ? ['history'] : ['webhooks'];
      const without = ids(base);
      const withIt = ids([...base, capability]);
      for (const rule of RULES_OF[capability]) {
        expect(without).not.toContain(rule);
        expect(withIt).toContain(rule);
      }
    },
  );

  it('round-trips getCall against the history only when both are there', () => {
    expect(ids(['webhooks', 'callLookup'])).not.toContain('call.round-trip');
    expect(ids(['history', 'callLookup'])).toContain('call.round-trip');
  });

  it('always checks the manifest and the credentials', () => {
    expect(ids(['webhooks'])).toEqual(
      expect.arrayContaining([
        'manifest.valid',
        'manifest.secret-fields',
        'credentials.accepted',
        'credentials.refused',
      ]),
    );
  });
});
