import { presentedWebhookToken, tokenDigest, verifySharedToken } from './shared-token.js';

const location = { header: 'x-switchboard-token', queryParam: 'token' };

describe('shared token', () => {
  const digests = [tokenDigest('whsec_new'), tokenDigest('whsec_old')];

  it('accepts either active secret and says which', () => {
    expect(verifySharedToken('whsec_new', digests)).toEqual({ ok: true, secretIndex: 0 });
    expect(verifySharedToken('whsec_old', digests)).toEqual({ ok: true, secretIndex: 1 });
  });

  it('refuses wrong, prefixed, truncated and missing tokens', () => {
    for (const wrong of ['whsec_ne', 'whsec_new ', 'whsec_newer', '', 'x'.repeat(5000)]) {
      expect(verifySharedToken(wrong, digests)).toEqual({ ok: false, reason: 'invalid_token' });
    }
    expect(verifySharedToken(undefined, digests)).toEqual({ ok: false, reason: 'missing_token' });
    expect(verifySharedToken('whsec_new', [])).toEqual({ ok: false, reason: 'invalid_token' });
  });

  it('reads the header first, then the query parameter', () => {
    expect(presentedWebhookToken({ 'x-switchboard-token': 'h' }, { token: 'q' }, location)).toBe('h');
    expect(presentedWebhookToken({}, { token: 'q' }, location)).toBe('q');
    expect(presentedWebhookToken({}, { token: ['q1', 'q2'] }, location)).toBe('q1');
    expect(presentedWebhookToken({}, { token: '' }, location)).toBeUndefined();
    expect(presentedWebhookToken({}, {}, location)).toBeUndefined();
    expect(presentedWebhookToken({ 'x-custom': 'c' }, {}, { header: 'X-Custom', queryParam: 'k' })).toBe('c');
  });
});
