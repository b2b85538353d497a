import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN } from '../../test/helpers.js';
import { open, seal } from './sealed-value.js';
import { slotKeys } from './store-keys.js';

const key = {
  accessToken: ACCESS_TOKEN,
  baseUrl: 'https://wb.example',
  scope: undefined,
  durationSeconds: 300,
};

describe('sealed store values', () => {
  const keys = slotKeys(key);

  it('round-trips under the access token, with a fresh nonce every time', () => {
    const a = seal('{"j":"x"}', keys.aesKey, keys.token);
    const b = seal('{"j":"x"}', keys.aesKey, keys.token);
    expect(a).not.toBe(b);
    expect(open(a, keys.aesKey, keys.token)).toBe('{"j":"x"}');
  });

  it('does not open under another access token, another key name, or after tampering', () => {
    const sealed = seal('secret-payload', keys.aesKey, keys.token);
    const other = slotKeys({ ...key, accessToken: `${ACCESS_TOKEN}x` });
    expect(open(sealed, other.aesKey, keys.token)).toBeUndefined();
    expect(open(sealed, keys.aesKey, keys.mark)).toBeUndefined();
    // A character in the middle: every bit of it counts (the last one may carry padding bits),
    // and the replacement always differs from it.
    const at = Math.floor(sealed.length / 2);
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(flipped).not.toBe(sealed);
    expect(open(flipped, keys.aesKey, keys.token)).toBeUndefined();
    for (const garbage of ['', 'v1.', 'v1.AAAA', 'hello', `v2.${sealed.slice(3)}`]) {
      expect(open(garbage, keys.aesKey, keys.token)).toBeUndefined();
    }
  });

  it('derives keys that name no secret, with one hash tag per slot and context', () => {
    expect(keys.token).toMatch(/^\{[A-Za-z0-9_-]{43}\}:jwt$/);
    expect(keys.lease.startsWith(keys.tag)).toBe(true);
    expect(keys.mark.startsWith(keys.tag)).toBe(true);
    expect(keys.token).not.toContain(ACCESS_TOKEN.slice(5, 15));
    expect(slotKeys(key).token).toBe(keys.token);
    expect(slotKeys({ ...key, scope: 'service:computational-governance' }).tag).not.toBe(keys.tag);
    expect(slotKeys({ ...key, durationSeconds: 150 }).tag).not.toBe(keys.tag);
    expect(slotKeys({ ...key, baseUrl: 'https://other.example' }).tag).not.toBe(keys.tag);
  });
});
