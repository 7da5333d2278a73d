import {
  signStandardWebhook,
  standardWebhookId,
  standardWebhookKey,
  verifyStandardWebhook,
} from './standard-webhooks.js';

// Test vector computed independently of this code, with OpenSSL:
//   key = "switchboard-test-vector-key-0001" (secret = "whsec_" + base64 of it)
//   printf 'msg_2Kp9xYz.1764020000.{"event":"completed","call_id":"CA123"}' \
//     | openssl dgst -sha256 -mac HMAC -macopt hexkey:<hex of key> -binary | base64
const SECRET = 'whsec_c3dpdGNoYm9hcmQtdGVzdC12ZWN0b3Ita2V5LTAwMDE=';
const ID = 'msg_2Kp9xYz';
const TIMESTAMP = 1764020000;
const BODY = Buffer.from('{"event":"completed","call_id":"CA123"}');
const EXPECTED = 'v1,MP7sVzsEU7vKiKKY2wf/j3O5toQlQdJi878v9kK/A9s=';
const AT = new Date(TIMESTAMP * 1000);

function headers(signature: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'webhook-id': ID,
    'webhook-timestamp': String(TIMESTAMP),
    'webhook-signature': signature,
    ...overrides,
  };
}

describe('Standard Webhooks HMAC', () => {
  const key = standardWebhookKey(SECRET);

  it('decodes whsec_ secrets to the key bytes', () => {
    expect(key.toString('utf8')).toBe('switchboard-test-vector-key-0001');
    // base64url (what newWebhookSecret produces) decodes the same way
    expect(standardWebhookKey(`whsec_${key.toString('base64url')}`)).toEqual(key);
    expect(() => standardWebhookKey('whsec_')).toThrow();
  });

  it('signs the test vector exactly', () => {
    expect(signStandardWebhook(SECRET, ID, TIMESTAMP, BODY)).toBe(EXPECTED);
    expect(signStandardWebhook(key, ID, TIMESTAMP, BODY.toString())).toBe(EXPECTED);
  });

  it('accepts the test vector', () => {
    expect(
      verifyStandardWebhook(headers(EXPECTED), BODY, { keys: [key], toleranceSeconds: 300, now: AT }),
    ).toEqual({
      ok: true,
      secretIndex: 0,
    });
  });

  it('accepts svix-* header names', () => {
    const svix = { 'svix-id': ID, 'svix-timestamp': String(TIMESTAMP), 'svix-signature': EXPECTED };
    expect(verifyStandardWebhook(svix, BODY, { keys: [key], toleranceSeconds: 300, now: AT }).ok).toBe(true);
    expect(standardWebhookId(svix)).toBe(ID);
  });

  it('finds a matching entry among several and other versions', () => {
    const other = signStandardWebhook(Buffer.from('another key'), ID, TIMESTAMP, BODY);
    const header = `v1a,AAAA ${other} ${EXPECTED}`;
    expect(
      verifyStandardWebhook(headers(header), BODY, { keys: [key], toleranceSeconds: 300, now: AT }).ok,
    ).toBe(true);
  });

  it('reports which of two active keys matched (rotation)', () => {
    const newer = standardWebhookKey('whsec_bmV3ZXIta2V5LWJ5dGVzLWZvci1yb3RhdGlvbg==');
    const result = verifyStandardWebhook(headers(EXPECTED), BODY, {
      keys: [newer, key],
      toleranceSeconds: 300,
      now: AT,
    });
    expect(result).toEqual({ ok: true, secretIndex: 1 });
  });

  it('refuses a changed body, id or timestamp', () => {
    const opts = { keys: [key], toleranceSeconds: 300, now: AT };
    expect(verifyStandardWebhook(headers(EXPECTED), Buffer.from(`${BODY} `), opts).reason).toBe(
      'invalid_signature',
    );
    expect(verifyStandardWebhook(headers(EXPECTED, { 'webhook-id': 'msg_other' }), BODY, opts).reason).toBe(
      'invalid_signature',
    );
    expect(
      verifyStandardWebhook(headers(EXPECTED, { 'webhook-timestamp': String(TIMESTAMP + 1) }), BODY, opts)
        .reason,
    ).toBe('invalid_signature');
  });

  it('refuses a wrong key and malformed signatures', () => {
    const opts = { keys: [Buffer.from('wrong')], toleranceSeconds: 300, now: AT };
    expect(verifyStandardWebhook(headers(EXPECTED), BODY, opts).reason).toBe('invalid_signature');
    const right = { keys: [key], toleranceSeconds: 300, now: AT };
    for (const bad of ['v1,', 'v1,notbase64!!', 'v2,' + EXPECTED.slice(3), EXPECTED.slice(3), 'v1,AAAA']) {
      expect(verifyStandardWebhook(headers(bad), BODY, right).reason).toBe('invalid_signature');
    }
    expect(
      verifyStandardWebhook(headers(EXPECTED, { 'webhook-timestamp': '17e8' }), BODY, right).reason,
    ).toBe('invalid_signature');
  });

  it('says which header is missing as missing_signature', () => {
    const opts = { keys: [key], toleranceSeconds: 300, now: AT };
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const h = headers(EXPECTED);
      delete h[name];
      expect(verifyStandardWebhook(h, BODY, opts).reason).toBe('missing_signature');
    }
  });

  it('refuses timestamps outside the tolerance window either way (replay protection)', () => {
    const opts = (offset: number) => ({
      keys: [key],
      toleranceSeconds: 300,
      now: new Date((TIMESTAMP + offset) * 1000),
    });
    expect(verifyStandardWebhook(headers(EXPECTED), BODY, opts(300)).ok).toBe(true);
    expect(verifyStandardWebhook(headers(EXPECTED), BODY, opts(-300)).ok).toBe(true);
    expect(verifyStandardWebhook(headers(EXPECTED), BODY, opts(301)).reason).toBe(
      'timestamp_out_of_tolerance',
    );
    expect(verifyStandardWebhook(headers(EXPECTED), BODY, opts(-301)).reason).toBe(
      'timestamp_out_of_tolerance',
    );
  });
});
