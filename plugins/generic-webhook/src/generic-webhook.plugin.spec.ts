import {
  capabilitiesOf,
  getPluginManifest,
  validateManifest,
  type InboundWebhook,
} from '@switchboard/plugin-sdk';
import GenericWebhookPluginDefault, { GenericWebhookAdapter, GenericWebhookPlugin } from './index.js';

const manifest = getPluginManifest(GenericWebhookPluginDefault)!;

const context = (settings: Record<string, unknown>) => ({
  connectionId: '00000000-0000-4000-8000-000000000001',
  provider: 'generic-webhook',
  credentials: {},
  settings,
  webhookUrl: 'http://127.0.0.1:3000/webhooks/generic-webhook/00000000-0000-4000-8000-000000000001',
  http: { request: () => Promise.reject(new Error('a generic sender has no API')) },
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  now: () => new Date(),
});

const request: InboundWebhook = {
  method: 'POST',
  headers: {},
  query: {},
  rawBody: Buffer.from('{"id":"A-1"}'),
  body: { id: 'A-1' },
  receivedAt: new Date('2026-05-01T12:00:00Z'),
};

describe('generic webhook plugin', () => {
  it('is the default export and a valid manifest', () => {
    expect(GenericWebhookPluginDefault).toBe(GenericWebhookPlugin);
    expect(validateManifest(manifest)).toEqual([]);
    expect(manifest).toMatchObject({
      provider: 'generic-webhook',
      displayName: 'Generic webhook',
      adapter: GenericWebhookAdapter,
      secretCredentialFields: [],
      webhooks: { schemes: ['token', 'hmac'], tokenQueryParam: 'token', tokenHeader: 'x-switchboard-token' },
    });
  });

  it('receives webhooks and does nothing else: no sync, lookups, numbers or stubs', () => {
    expect(capabilitiesOf(GenericWebhookAdapter)).toEqual(['webhooks']);
    expect(GenericWebhookAdapter.prototype).not.toHaveProperty('verifyWebhook');
  });

  it('checks settings.mapping through the manifest', () => {
    expect(
      manifest.validateSettings?.({ mapping: { fields: { externalId: { from: 'body', path: '$.id' } } } }),
    ).toEqual([]);
    expect(
      manifest.validateSettings?.({ mapping: { fields: { externalId: { from: 'body', path: '$..id' } } } }),
    ).toEqual([
      { field: 'settings.mapping.fields.externalId.path', message: expect.stringContaining('"$..id"') },
    ]);
  });

  it('accepts the empty credentials, and maps with the connection mapping', async () => {
    const adapter = new GenericWebhookAdapter(
      context({ mapping: { fields: { externalId: { from: 'body', path: '$.id' } } } }),
    );
    await expect(adapter.authenticate()).resolves.toBeUndefined();
    expect(adapter.mapWebhook(request).call.externalId).toBe('A-1');
  });

  it('fails every webhook with the reason when the stored mapping is not usable (never a guess)', () => {
    const adapter = new GenericWebhookAdapter(context({ mapping: { fields: {} } }));
    expect(() => adapter.mapWebhook(request)).toThrow(
      "the connection's mapping is not usable: settings.mapping.fields.externalId is required",
    );
    expect(() => adapter.describeWebhook(request)).toThrow('not usable');
    expect(adapter.webhookTemplates({ url: 'https://x.example.com/w', secret: 's' })).toHaveLength(1);
  });
});
