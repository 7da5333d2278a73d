import {
  CAPABILITIES,
  CAPABILITY_METHODS,
  capabilitiesOf,
  hasCapability,
  scanCapabilities,
  type ProviderAdapter,
} from './capabilities.js';

class WebhookOnly {
  async authenticate(): Promise<void> {}
  webhookTemplates() {
    return [];
  }
  describeWebhook() {
    return {};
  }
  mapWebhook(): never {
    throw new Error('not in this test');
  }
}

class HistoryAndNumbers extends WebhookOnly {
  async getCalls() {
    return { calls: [] };
  }
  async getNumbers() {
    return [];
  }
}

class HalfProvisioning extends HistoryAndNumbers {
  async provisionNumber(): Promise<never> {
    throw new Error('not in this test');
  }
}

describe('capabilities', () => {
  it('reads the capabilities from the class, inherited methods included', () => {
    expect(capabilitiesOf(WebhookOnly)).toEqual(['webhooks']);
    expect(capabilitiesOf(HistoryAndNumbers)).toEqual(['webhooks', 'history', 'numbers']);
  });

  it('reads an instance the same as its class', () => {
    expect(capabilitiesOf(new HistoryAndNumbers())).toEqual(capabilitiesOf(HistoryAndNumbers));
  });

  it('names a capability with some of its methods only, and does not count it', () => {
    const scan = scanCapabilities(HalfProvisioning);
    expect(scan.partial).toEqual([{ capability: 'numberProvisioning', missing: ['releaseNumber'] }]);
    expect(scan.complete).not.toContain('numberProvisioning');
  });

  it('hasCapability checks every method of the capability', () => {
    const adapter: ProviderAdapter = new HalfProvisioning();
    expect(hasCapability(adapter, 'history')).toBe(true);
    expect(hasCapability(adapter, 'numberProvisioning')).toBe(false);
    expect(hasCapability(adapter, 'campaigns')).toBe(false);
    if (hasCapability(adapter, 'numbers')) expect(typeof adapter.getNumbers).toBe('function');
  });

  it('a property that is not a function is not a method', () => {
    const adapter = { authenticate: async () => undefined, getCalls: 'yes' } as unknown as ProviderAdapter;
    expect(hasCapability(adapter, 'history')).toBe(false);
  });

  it('has a method list for every capability, no method in two capabilities', () => {
    const methods = CAPABILITIES.flatMap((c) => [...CAPABILITY_METHODS[c]]);
    expect(new Set(methods).size).toBe(methods.length);
    expect(CAPABILITIES).toHaveLength(9);
  });
});
