import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import {
  CredentialsError,
  ProviderError,
  getPluginManifest,
  pluginCapabilities,
  validateAdapterCredentials,
  validateManifest,
} from '@switchboard/plugin-sdk';
import { createTestContext } from '@switchboard/plugin-sdk/testing';
import StarterPlugin from './index.js';
import { StarterAdapter } from './starter.adapter.js';
import { startStandInApi, type StandIn } from './test/stand-in-api.js';

let api: StandIn;
before(async () => {
  api = await startStandInApi();
});
after(() => api.close());

const adapter = (apiKey = api.credentials.apiKey) =>
  new StarterAdapter(
    createTestContext({
      provider: 'starter',
      credentials: { ...api.credentials, apiKey },
      apiBaseUrl: api.baseUrl,
    }),
  );

describe('starter plugin', () => {
  it('carries a manifest the platform accepts', () => {
    const manifest = getPluginManifest(StarterPlugin);
    assert.ok(manifest, 'the default export is a @CallTrackingPlugin module');
    assert.deepEqual(validateManifest(manifest), []);
    // Read from the adapter's methods: add a capability by implementing its interface.
    assert.deepEqual(pluginCapabilities(manifest), ['webhooks', 'history', 'callLookup']);
  });

  it('accepts good credentials and refuses bad ones with CredentialsError', async () => {
    assert.equal(await validateAdapterCredentials(adapter()), true);
    assert.equal(await validateAdapterCredentials(adapter('wrong-key-0000000000')), false);
    await assert.rejects(adapter('wrong-key-0000000000').authenticate(), CredentialsError);
  });

  it('pages through the history and finds each call again by id', async () => {
    const a = adapter();
    const window = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-02T00:00:00Z') };
    const first = await a.getCalls(window);
    assert.deepEqual(
      first.calls.map((c) => [c.externalId, c.status]),
      [
        ['c1', 'completed'],
        ['c2', 'missed'],
      ],
    );
    assert.ok(first.nextCursor);
    assert.equal((await a.getCall('c1')).revenue, '5.0000');
  });

  it('answers an unknown call with a not_found ProviderError', async () => {
    await assert.rejects(adapter().getCall('nope'), (error: unknown) => {
      assert.ok(error instanceof ProviderError);
      assert.equal(error.code, 'not_found');
      return true;
    });
  });
});
