import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'v1.';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM of `plaintext` under `aesKey`, with a random nonce and the store key as associated
 * data (a value copied under another key does not open). Output: `v1.` + base64url(nonce | ciphertext | tag).
 */
export function seal(plaintext: string, aesKey: Buffer, storeKey: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', aesKey, nonce);
  cipher.setAAD(Buffer.from(storeKey));
  const body = Buffer.concat([
    cipher.update(plaintext, 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return PREFIX + Buffer.concat([nonce, body]).toString('base64url');
}

/** The plaintext of a sealed value, or `undefined` for anything that does not authenticate. */
export function open(sealed: string, aesKey: Buffer, storeKey: string): string | undefined {
  if (typeof sealed !== 'string' || !sealed.startsWith(PREFIX)) return undefined;
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
  if (raw.length < NONCE_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(storeKey));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const body = raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    return undefined; // tampered, truncated, or sealed under another access token
  }
}
