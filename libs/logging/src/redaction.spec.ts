import { REDACTED, redactHeaders, redactUrl } from './redaction.js';

describe('redaction', () => {
  it('hides secret headers whatever their case', () => {
    expect(
      redactHeaders({
        Authorization: 'Token abc',
        'X-Switchboard-Token': 't',
        'content-type': 'application/json',
      }),
    ).toEqual({
      authorization: REDACTED,
      'x-switchboard-token': REDACTED,
      'content-type': 'application/json',
    });
  });

  it('hides secret query values and keeps the rest', () => {
    const out = redactUrl('/webhooks/retreaver/abc?token=s3cret&event=completed&api_key=k');
    expect(out).not.toContain('s3cret');
    expect(out).not.toContain('=k');
    expect(out).toContain('event=completed');
  });

  it('leaves URLs without secrets alone', () => {
    expect(redactUrl('/calls?status=completed')).toBe('/calls?status=completed');
  });
});
