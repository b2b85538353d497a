import type { TokenStore } from './token-store.js';

/** What a change message announces about a slot: a new token, its removal, or a new mark. */
export type ChangeKind = 'token' | 'removed' | 'mark';

const KINDS: Record<string, ChangeKind> = { t: 'token', x: 'removed', m: 'mark' };
const CODES: Record<ChangeKind, string> = { token: 't', removed: 'x', mark: 'm' };
const RESUBSCRIBE_AFTER_MS = 5_000;

type Listener = (kind: ChangeKind, fromSelf: boolean, fingerprint: string) => void;

/**
 * Change messages between replicas over the store's publish/subscribe, if it has them:
 * `<writer> <kind> <slot tag> <fingerprint>`. All four parts are opaque; the fingerprint is keyed
 * by the slot's secret key, so only a holder of the access token can match it to a JWT.
 */
export interface ChangeFeed {
  announce(kind: ChangeKind, tag: string, fingerprint: string): void;
  /** Calls `listener` for messages about `tag` until the returned function is called. */
  listen(tag: string, listener: Listener): () => void;
  /** Whether messages are being received (the subscription is up): polling is then a safety net. */
  live(): boolean;
  /** Resolves after `ms`, at the first message about `tag`, or when `signal` aborts. */
  wait(tag: string, ms: number, signal: AbortSignal | undefined): Promise<void>;
  close(): Promise<void>;
}

export function createChangeFeed(
  store: TokenStore,
  writer: string,
  publish: (message: string) => void,
): ChangeFeed {
  const listeners = new Map<string, Set<Listener>>();
  let unsubscribe: Promise<(() => Promise<void>) | undefined> | undefined;
  let failedAt = Number.NEGATIVE_INFINITY;
  let closed = false;
  let live = false;
  const canSubscribe = store.subscribe !== undefined && store.publish !== undefined;

  function onMessage(message: string): void {
    if (typeof message !== 'string') return;
    const [from, code, tag, fingerprint = ''] = message.split(' ');
    const kind = code === undefined ? undefined : KINDS[code];
    if (kind === undefined || tag === undefined) return;
    const set = listeners.get(tag);
    if (set === undefined) return;
    for (const listener of [...set]) listener(kind, from === writer, fingerprint);
  }

  function subscribe(): void {
    if (!canSubscribe || closed || unsubscribe !== undefined) return;
    if (Date.now() - failedAt < RESUBSCRIBE_AFTER_MS) return;
    unsubscribe = (store.subscribe as NonNullable<TokenStore['subscribe']>)(onMessage).then(
      (stop) => {
        live = !closed;
        return stop;
      },
      () => {
        // Polling still works; try again later.
        failedAt = Date.now();
        unsubscribe = undefined;
        return undefined;
      },
    );
  }

  function listen(tag: string, listener: Listener): () => void {
    subscribe();
    let set = listeners.get(tag);
    if (set === undefined) {
      set = new Set();
      listeners.set(tag, set);
    }
    set.add(listener);
    return () => {
      const current = listeners.get(tag);
      if (current === undefined) return;
      current.delete(listener);
      if (current.size === 0) listeners.delete(tag);
    };
  }

  return {
    announce(kind, tag, fingerprint) {
      if (canSubscribe) publish(`${writer} ${CODES[kind]} ${tag} ${fingerprint}`);
    },
    listen,
    live: () => live,
    wait(tag, ms, signal) {
      return new Promise<void>((resolve) => {
        if (closed || signal?.aborted) return resolve();
        const done = () => {
          clearTimeout(timer);
          stop();
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        const stop = listen(tag, done);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    async close() {
      closed = true;
      live = false;
      for (const set of listeners.values())
        for (const listener of [...set]) listener('mark', true, '');
      listeners.clear();
      const pending = unsubscribe;
      unsubscribe = undefined;
      // A subscription still connecting (Redis down) is released whenever it connects; close()
      // waits for it only briefly.
      const released = pending?.then((stop) => stop?.()).catch(() => {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        released,
        new Promise((resolve) => {
          timer = setTimeout(resolve, 500);
          timer.unref?.();
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
