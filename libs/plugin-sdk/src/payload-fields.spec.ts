import { SECRET_QUERY_PARAMS } from '@switchboard/logging';
import {
  FieldLookup,
  SECRET_PAYLOAD_KEYS,
  isSecretKey,
  normalizeKey,
  payloadFingerprint,
  withoutSecretKeys,
} from './payload-fields.js';

describe('payload fields', () => {
  it('compares names without case or punctuation', () => {
    expect(normalizeKey('Call:InboundCallId')).toBe('callinboundcallid');
    const fields = new FieldLookup({
      inbound_call_id: 'A',
      callLengthInSeconds: '',
      'tag:Geo:ZipCode': '90210',
    });
    expect(fields.string(['inboundCallId'])).toBe('A');
    expect(fields.find(['callLengthInSeconds'])).toBeUndefined(); // empty = absent
    expect(fields.string(['tag:geo:zipcode'])).toBe('90210');
    expect(fields.leftovers()).toEqual({});
  });

  it('treats every secret name the ingress strips from query strings as a secret body key too', () => {
    for (const name of SECRET_QUERY_PARAMS) expect(isSecretKey(name)).toBe(true);
    expect(SECRET_PAYLOAD_KEYS).toContain('call_key');
    expect(isSecretKey('apiKey')).toBe(true);
    for (const name of ['lead_token', 'webhookSecret', 'db-password', 'X-Switchboard-Token']) {
      expect(isSecretKey(name)).toBe(true);
    }
    for (const name of ['caller', 'token_values', 'keys_pressed', 'author', 'sid'])
      expect(isSecretKey(name)).toBe(false);
  });

  it('drops secret keys at any depth and keeps an object without secrets as is', () => {
    const clean = { a: 1, b: { c: [1] } };
    expect(withoutSecretKeys(clean)).toBe(clean);
    expect(
      withoutSecretKeys({ a: 1, token: 't', nested: { api_key: 'k', ok: 2 }, list: [{ secret: 's', v: 3 }] }),
    ).toEqual({ a: 1, nested: { ok: 2 }, list: [{ v: 3 }] });
  });

  it('fingerprints content: same payload same hash, key order and secrets ignored', () => {
    const a = payloadFingerprint({ x: '1', y: { z: 2 }, token: 'a' });
    expect(payloadFingerprint({ y: { z: 2 }, x: '1', token: 'b' })).toBe(a);
    expect(payloadFingerprint({ x: '2', y: { z: 2 } })).not.toBe(a);
    expect(payloadFingerprint({ x: '1', y: { z: 2 }, event: 'e' }, ['event'])).toBe(a);
  });
});
