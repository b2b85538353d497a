import { createHmac, hkdfSync } from 'node:crypto';

/** What a shared token is for: one access token, origin, scope and requested lifetime. */
export interface SlotKey {
  accessToken: string;
  baseUrl: string;
  scope: string | undefined;
  durationSeconds: number;
}

/** The store keys of one slot and the AES key of its values. Never leaves the process. */
export interface SlotKeys {
  /** The hash tag shared by all keys of the slot, `{…}`: announced in change messages. */
  readonly tag: string;
  readonly token: string;
  readonly lease: string;
  readonly mark: string;
  /**
   * AES-256-GCM key, derived from the access token: the store never holds it. Derived on first
   * use: a cold miss reads nothing to open, so the derivation waits until after the exchange.
   */
  readonly aesKey: Buffer;
}

const VERSION = 'wb-auth-store:v1';

class DerivedKeys implements SlotKeys {
  readonly tag: string;
  readonly token: string;
  readonly lease: string;
  readonly mark: string;
  #accessToken: string | undefined;
  #context: string;
  #aesKey: Buffer | undefined;

  constructor(accessToken: string, context: string) {
    const id = createHmac('sha256', accessToken).update(context).digest('base64url');
    this.tag = `{${id}}`;
    this.token = `${this.tag}:jwt`;
    this.lease = `${this.tag}:lease`;
    this.mark = `${this.tag}:mark`;
    this.#accessToken = accessToken;
    this.#context = context;
  }

  get aesKey(): Buffer {
    if (this.#aesKey === undefined) {
      const secret = this.#accessToken as string;
      this.#aesKey = Buffer.from(hkdfSync('sha256', secret, VERSION, this.#context, 32));
      this.#accessToken = undefined; // held only until the key exists
    }
    return this.#aesKey;
  }
}

/**
 * The keys of `key`: `{HMAC-SHA256(access token, context)}:<kind>`. The braces are a Redis
 * Cluster hash tag, so a token's value, lease and marker share a slot. Without the access token
 * nobody can tell which key belongs to whom, nor compute the AES key (HKDF of the access token).
 */
export function slotKeys(key: SlotKey): SlotKeys {
  const context = `${VERSION}\n${key.baseUrl}\n${key.scope ?? ''}\n${key.durationSeconds}`;
  return new DerivedKeys(key.accessToken, context);
}

/**
 * {@link slotKeys} with a memory of the last `max` slots: a cold start of hundreds of identities
 * derived each slot's keys several times (miss, share, watch), ~1 ms each on a loaded 2-core
 * machine, on the same event-loop turn as the store's replies.
 */
export function slotKeyCache(max = 1_024): {
  of(key: SlotKey): SlotKeys;
  clear(): void;
} {
  const known = new Map<string, SlotKeys>();
  const of = (key: SlotKey) => {
    const id = `${key.baseUrl}\n${key.scope ?? ''}\n${key.durationSeconds}\n${key.accessToken}`;
    let keys = known.get(id);
    if (keys === undefined) {
      keys = slotKeys(key);
      if (known.size >= max) known.delete(known.keys().next().value as string);
    } else known.delete(id);
    known.set(id, keys);
    return keys;
  };
  return { of, clear: () => known.clear() };
}
