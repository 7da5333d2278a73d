import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyEncryptionKey {
  id: string;
  /** 32 bytes (AES-256). */
  key: Buffer;
}

export class DecryptionError extends Error {
  readonly code = 'decryption_failed';
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Envelope encryption for credentials and webhook secrets: each value gets its own random data
 * key (AES-256-GCM), and the data key is wrapped with a key-encryption key from ENCRYPTION_KEYS.
 * Rotating ENCRYPTION_KEYS only re-wraps data keys (`rewrap`), never re-encrypts values, and the
 * key id in every envelope tells which key to use, so old and new keys work side by side.
 *
 * Format: v1.<kekId>.<base64url(iv|tag|wrappedKey)>.<base64url(iv|tag|ciphertext)>
 */
export class EnvelopeCipher {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly KeyEncryptionKey[]) {
    if (keys.length === 0) throw new Error('at least one key-encryption key is required');
    for (const k of keys) {
      if (k.key.length !== 32) throw new Error(`key "${k.id}" must be 32 bytes`);
    }
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** Id of the key new envelopes are wrapped with. */
  get activeKeyId(): string {
    return this.keys[0].id;
  }

  encrypt(plaintext: string): string {
    const dataKey = randomBytes(32);
    const body = seal(dataKey, Buffer.from(plaintext, 'utf8'));
    const wrapped = seal(this.keys[0].key, dataKey);
    return [VERSION, this.keys[0].id, wrapped.toString('base64url'), body.toString('base64url')].join('.');
  }

  decrypt(envelope: string): string {
    const { kekId, wrapped, body } = parse(envelope);
    const kek = this.byId.get(kekId);
    if (!kek) throw new DecryptionError(`no key "${kekId}" in ENCRYPTION_KEYS to decrypt this value`);
    const dataKey = open(kek, wrapped);
    return open(dataKey, body).toString('utf8');
  }

  encryptJson(value: unknown): string {
    return this.encrypt(JSON.stringify(value));
  }

  decryptJson<T>(envelope: string): T {
    return JSON.parse(this.decrypt(envelope)) as T;
  }

  /** Key id an envelope was wrapped with. */
  keyIdOf(envelope: string): string {
    return parse(envelope).kekId;
  }

  /** Re-wraps the envelope's data key with the active key; the encrypted value is untouched. */
  rewrap(envelope: string): string {
    const { kekId, wrapped, body } = parse(envelope);
    if (kekId === this.activeKeyId) return envelope;
    const kek = this.byId.get(kekId);
    if (!kek) throw new DecryptionError(`no key "${kekId}" in ENCRYPTION_KEYS to re-wrap this value`);
    const dataKey = open(kek, wrapped);
    const rewrapped = seal(this.keys[0].key, dataKey);
    return [VERSION, this.activeKeyId, rewrapped.toString('base64url'), body.toString('base64url')].join('.');
  }
}

function seal(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

function open(key: Buffer, sealed: Buffer): Buffer {
  try {
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    // Never include the key or the data: only say that it did not authenticate.
    throw new DecryptionError('encrypted value does not authenticate with the configured key');
  }
}

function parse(envelope: string): { kekId: string; wrapped: Buffer; body: Buffer } {
  const parts = envelope.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION)
    throw new DecryptionError('not a Switchboard encrypted value');
  return {
    kekId: parts[1],
    wrapped: Buffer.from(parts[2], 'base64url'),
    body: Buffer.from(parts[3], 'base64url'),
  };
}
