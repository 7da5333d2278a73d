import { randomBytes } from 'node:crypto';
import { DecryptionError, EnvelopeCipher } from './envelope-cipher.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };

describe('EnvelopeCipher', () => {
  it('round-trips and never stores the plaintext', () => {
    const cipher = new EnvelopeCipher([k1]);
    const envelope = cipher.encrypt('api-token-12345');
    expect(envelope.startsWith('v1.k1.')).toBe(true);
    expect(envelope).not.toContain('api-token');
    expect(Buffer.from(envelope.split('.')[3], 'base64url').toString('latin1')).not.toContain('api-token');
    expect(cipher.decrypt(envelope)).toBe('api-token-12345');
  });

  it('uses a fresh data key and IV every time', () => {
    const cipher = new EnvelopeCipher([k1]);
    expect(cipher.encrypt('same')).not.toBe(cipher.encrypt('same'));
  });

  it('decrypts values wrapped by an older key after rotation and re-wraps them', () => {
    const old = new EnvelopeCipher([k1]);
    const envelope = old.encryptJson({ apiToken: 'x' });
    const rotated = new EnvelopeCipher([k2, k1]);
    expect(rotated.decryptJson(envelope)).toEqual({ apiToken: 'x' });
    const rewrapped = rotated.rewrap(envelope);
    expect(rotated.keyIdOf(rewrapped)).toBe('k2');
    expect(new EnvelopeCipher([k2]).decryptJson(rewrapped)).toEqual({ apiToken: 'x' });
    expect(envelope.split('.')[3]).toBe(rewrapped.split('.')[3]);
  });

  it('refuses tampered values and unknown keys without leaking anything', () => {
    const cipher = new EnvelopeCipher([k1]);
    const envelope = cipher.encrypt('secret-value');
    const parts = envelope.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[body.length - 1] ^= 1;
    const tampered = [...parts.slice(0, 3), body.toString('base64url')].join('.');
    expect(() => cipher.decrypt(tampered)).toThrow(DecryptionError);
    expect(() => new EnvelopeCipher([k2]).decrypt(envelope)).toThrow(/no key "k1"/);
    expect(() => cipher.decrypt('plain text')).toThrow(DecryptionError);
  });
});
