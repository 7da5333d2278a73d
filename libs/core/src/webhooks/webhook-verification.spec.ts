import type { InboundWebhook } from '../contract/webhook.js';
import type { PluginWebhookDefaults } from '../plugins/plugin-manifest.js';
import { signStandardWebhook } from './standard-webhooks.js';
import {
  connectionWebhookSettings,
  describeVerification,
  resolveVerificationPolicy,
  verificationKeys,
  verifyWebhookRequest,
} from './webhook-verification.js';

const TOKEN_PLUGIN: PluginWebhookDefaults = {
  schemes: ['token'],
  tokenQueryParam: 'token',
  tokenHeader: 'x-switchboard-token',
};
const NEW = 'whsec_bmV3ZXN0LXNlY3JldC1ieXRlcy0wMDAwMDAwMDAwMDA';
const OLD = 'whsec_b2xkZXItc2VjcmV0LWJ5dGVzLTAwMDAwMDAwMDAwMDA';
const NOW = new Date('2026-11-24T12:00:00Z');

function request(overrides: Partial<InboundWebhook> = {}): InboundWebhook {
  return {
    method: 'POST',
    headers: {},
    query: {},
    rawBody: Buffer.from('{"a":1}'),
    body: { a: 1 },
    receivedAt: NOW,
    sourceIp: '203.0.113.5',
    ...overrides,
  };
}

function policy(settings: Record<string, unknown> = {}, ipAllowlist: string[] = [], plugin = TOKEN_PLUGIN) {
  return resolveVerificationPolicy({ plugin, settings, ipAllowlist, defaultToleranceSeconds: 300 });
}

describe('resolveVerificationPolicy', () => {
  it("uses the plugin's first scheme and token locations by default", () => {
    const p = policy();
    expect(p).toMatchObject({
      scheme: 'token',
      token: { header: 'x-switchboard-token', queryParam: 'token' },
      toleranceSeconds: 300,
    });
    expect(p.misconfigured).toBeUndefined();
    expect(p.allowlist.isEmpty).toBe(true);
  });

  it('lets the connection pick hmac (a signing relay in front) and its own names and window', () => {
    const p = policy({
      webhook: { scheme: 'hmac', toleranceSeconds: 60, tokenHeader: 'X-My-Token', tokenQueryParam: 'k' },
    });
    expect(p).toMatchObject({
      scheme: 'hmac',
      toleranceSeconds: 60,
      token: { header: 'x-my-token', queryParam: 'k' },
    });
  });

  it('fails closed on schemes the plugin does not offer, bad values, and none without an allowlist', () => {
    expect(policy({ webhook: { scheme: 'none' } }).misconfigured).toMatch(/not offered/);
    expect(policy({ webhook: { scheme: 'magic' } }).misconfigured).toMatch(/not one of/);
    expect(policy({ webhook: { toleranceSeconds: 0 } }).misconfigured).toMatch(/toleranceSeconds/);
    expect(policy({ webhook: { tokenHeader: 'bad header' } }).misconfigured).toMatch(/tokenHeader/);
    expect(policy({}, ['not-an-ip']).misconfigured).toMatch(/ipAllowlist/);
    const none = { schemes: ['none', 'token'] } as PluginWebhookDefaults;
    expect(policy({ webhook: { scheme: 'none' } }, [], none).misconfigured).toMatch(
      /needs a non-empty ipAllowlist/,
    );
    expect(policy({ webhook: { scheme: 'none' } }, ['10.0.0.0/8'], none).misconfigured).toBeUndefined();
  });

  it("falls back to the plugin's published addresses when the connection has none", () => {
    const p = policy({}, [], { ...TOKEN_PLUGIN, ipAllowlist: ['198.51.100.0/24'] });
    expect(p.allowlist.contains('198.51.100.9')).toBe(true);
    expect(
      policy({}, ['10.0.0.1'], { ...TOKEN_PLUGIN, ipAllowlist: ['198.51.100.0/24'] }).allowlist.contains(
        '198.51.100.9',
      ),
    ).toBe(false);
  });

  it('reads only well-typed settings', () => {
    expect(connectionWebhookSettings({ webhook: { scheme: 5, rateLimitPerSecond: 7 } })).toEqual({
      rateLimitPerSecond: 7,
    });
    expect(connectionWebhookSettings({ webhook: [] })).toEqual({});
    expect(connectionWebhookSettings(null)).toEqual({});
  });
});

describe('verifyWebhookRequest', () => {
  const keys = verificationKeys([NEW, OLD]);

  it('checks the token in the query or the header, with both active secrets', () => {
    const p = policy();
    expect(verifyWebhookRequest(request({ query: { token: NEW } }), p, keys)).toMatchObject({
      ok: true,
      secretIndex: 0,
      check: 'token',
    });
    const old = verifyWebhookRequest(request({ headers: { 'x-switchboard-token': OLD } }), p, keys);
    expect(old).toMatchObject({ ok: true, secretIndex: 1 });
    expect(describeVerification(old)).toBe('token:ok:previous_secret');
    const bad = verifyWebhookRequest(request({ query: { token: 'nope' } }), p, keys);
    expect(bad).toMatchObject({ ok: false, reason: 'invalid_token', httpStatus: 401 });
    expect(describeVerification(bad)).toBe('token:invalid_token');
    expect(verifyWebhookRequest(request(), p, keys)).toMatchObject({ ok: false, reason: 'missing_token' });
  });

  it('checks Standard Webhooks signatures with the tolerance window', () => {
    const p = policy({ webhook: { scheme: 'hmac' } });
    const ts = Math.floor(NOW.getTime() / 1000);
    const body = Buffer.from('{"a":1}');
    const signed = (secret: string, at: number) =>
      request({
        rawBody: body,
        headers: {
          'webhook-id': 'msg_1',
          'webhook-timestamp': String(at),
          'webhook-signature': signStandardWebhook(secret, 'msg_1', at, body),
        },
      });
    expect(verifyWebhookRequest(signed(NEW, ts), p, keys, { now: NOW })).toMatchObject({
      ok: true,
      check: 'hmac',
      secretIndex: 0,
    });
    expect(verifyWebhookRequest(signed(OLD, ts), p, keys, { now: NOW })).toMatchObject({
      ok: true,
      secretIndex: 1,
    });
    expect(verifyWebhookRequest(signed(NEW, ts - 301), p, keys, { now: NOW })).toMatchObject({
      ok: false,
      reason: 'timestamp_out_of_tolerance',
    });
    expect(verifyWebhookRequest(signed('whsec_b3RoZXI=', ts), p, keys, { now: NOW })).toMatchObject({
      ok: false,
      reason: 'invalid_signature',
    });
    // a token is no substitute for a signature
    expect(verifyWebhookRequest(request({ query: { token: NEW } }), p, keys, { now: NOW })).toMatchObject({
      reason: 'missing_signature',
    });
  });

  it('applies the allowlist before the scheme, with 403', () => {
    const p = policy({}, ['203.0.113.0/24']);
    expect(verifyWebhookRequest(request({ query: { token: NEW } }), p, keys).ok).toBe(true);
    const outside = verifyWebhookRequest(request({ query: { token: NEW }, sourceIp: '192.0.2.1' }), p, keys);
    expect(outside).toMatchObject({ ok: false, check: 'ip', reason: 'address_not_allowed', httpStatus: 403 });
    expect(verifyWebhookRequest(request({ query: { token: NEW }, sourceIp: undefined }), p, keys).ok).toBe(
      false,
    );
  });

  it("lets the adapter's verifyWebhook replace the scheme, and treats its exceptions as refusals", () => {
    const p = policy();
    const seen: string[][] = [];
    const adapterVerify = (_r: InboundWebhook, secrets: readonly string[]) => {
      seen.push([...secrets]);
      return { ok: true };
    };
    expect(verifyWebhookRequest(request(), p, keys, { adapterVerify })).toMatchObject({
      ok: true,
      check: 'adapter',
    });
    expect(seen).toEqual([[NEW, OLD]]);
    const throwing = () => {
      throw new Error('boom');
    };
    expect(verifyWebhookRequest(request(), p, keys, { adapterVerify: throwing })).toMatchObject({
      ok: false,
      reason: 'invalid_signature',
    });
  });

  it('refuses everything while the connection is misconfigured', () => {
    const p = policy({ webhook: { scheme: 'magic' } });
    const outcome = verifyWebhookRequest(request({ query: { token: NEW } }), p, keys);
    expect(outcome).toMatchObject({ ok: false, check: 'config', httpStatus: 401 });
    expect(describeVerification(outcome)).toBe('config:misconfigured');
  });
});
