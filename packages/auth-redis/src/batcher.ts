import type { RedisClientLike } from './client-shape.js';

// Runs a list of writes in one call: `s` SET PX, `n` SET NX PX, `d` compare-and-delete. Each key
// answers 1 (done) or 0 (NX found a value, or the value to delete had changed).
const WRITES = `local out, a = {}, 1
for i, key in ipairs(KEYS) do
  local op = ARGV[a]
  if op == 'd' then
    out[i] = redis.call('GET', key) == ARGV[a + 1] and redis.call('DEL', key) or 0
    a = a + 2
  else
    local ok = op == 's' and redis.call('SET', key, ARGV[a + 1], 'PX', ARGV[a + 2])
      or op == 'n' and redis.call('SET', key, ARGV[a + 1], 'NX', 'PX', ARGV[a + 2])
    out[i] = ok and 1 or 0
    a = a + 3
  end
end
return out`;

/** The largest number of keys sent in one command: a huge reply would hold up other calls. */
const MAX_KEYS = 256;

type Write = ['s' | 'n', string, string] | ['d', string];
type Entry = {
  key: string;
  write?: Write;
  signal: AbortSignal | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
};

/** The calls of one turn of the event loop, sent together. */
export interface Batcher {
  /** `GET key`, sent in one `MGET` with the other reads of this turn. */
  get(key: string, signal?: AbortSignal): Promise<unknown>;
  /** A write, sent in one script call with the other writes of this turn; resolves 1 or 0. */
  write(key: string, write: Write, signal?: AbortSignal): Promise<unknown>;
  /** `PUBLISH`, one per turn: the messages joined by newlines (core's messages hold none). */
  publish(message: string): Promise<unknown>;
}

/**
 * A cold start of hundreds of identities issues three commands for each at once (two reads and a
 * lease); node-redis pipelines them already, but spends ~0.2–0.6 ms of CPU on each command (2
 * cores, under load), so the last ones waited hundreds of ms in this process alone and timed
 * out. One `MGET` of 400 keys costs ~10 ms. Standalone clients only: in a cluster, keys of
 * different tokens live in different slots.
 */
export function createBatcher(client: RedisClientLike, channel: string): Batcher {
  let queue: Entry[] = [];
  let messages: Array<{ message: string; resolve(v: unknown): void; reject(e: unknown): void }> =
    [];
  let scheduled = false;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const entries = queue.filter((entry) => {
      if (!entry.signal?.aborted) return true;
      entry.reject(entry.signal.reason);
      return false;
    });
    queue = [];
    // Consecutive reads go in one MGET, consecutive writes in one script: calls keep their order.
    for (let start = 0; start < entries.length; ) {
      const reads = entries[start]?.write === undefined;
      let end = start + 1;
      while (
        end < entries.length &&
        end - start < MAX_KEYS &&
        (entries[end]?.write === undefined) === reads
      )
        end++;
      const run = entries.slice(start, end);
      send(run, reads);
      start = end;
    }
    if (messages.length > 0) {
      const sent = messages;
      messages = [];
      settle(
        sent,
        attempt(() => client.publish(channel, sent.map((m) => m.message).join('\n'))),
        (value) => value,
      );
    }
  }

  function send(run: Entry[], reads: boolean): void {
    const target = abortable(client, run);
    const only = run.length === 1 ? run[0] : undefined;
    if (only !== undefined && (reads || only.write?.[0] !== 'd')) {
      sendOne(target, only);
      return;
    }
    const keys = run.map((entry) => entry.key);
    const reply = attempt(() =>
      reads
        ? target.mGet(keys)
        : target.eval(WRITES, {
            keys,
            arguments: run.flatMap((entry) => (entry.write as Write).map(String)),
          }),
    );
    settle(run, reply, (values, i) => (Array.isArray(values) ? values[i] : undefined));
  }

  /**
   * A call alone in its turn (a single cold miss, a refresh) goes as the plain command: MGET and
   * the script cost Redis and node-redis more than GET and SET for one key.
   */
  function sendOne(target: RedisClientLike, entry: Entry): void {
    const write = entry.write;
    const reply = attempt(() => {
      if (write === undefined) return target.get(entry.key);
      const [op, value, ttl] = write as ['s' | 'n', string, string];
      const options = op === 'n' ? { PX: Number(ttl), NX: true as const } : { PX: Number(ttl) };
      return target.set(entry.key, value, options).then((answer) => (answer === null ? 0 : 1));
    });
    settle([entry], reply, (value) => value);
  }

  function enqueue(key: string, write: Write | undefined, signal: AbortSignal | undefined) {
    return new Promise<unknown>((resolve, reject) => {
      queue.push({ key, write, signal, resolve, reject });
      schedule();
    });
  }

  return {
    get: (key, signal) => enqueue(key, undefined, signal),
    write: (key, write, signal) => enqueue(key, write, signal),
    publish: (message) =>
      new Promise((resolve, reject) => {
        messages.push({ message, resolve, reject });
        schedule();
      }),
  };
}

/** A client call's promise, also when the client throws instead (e.g. closed). */
function attempt(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return call();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Settles each waiting call with its part of one reply, or with the reply's error. */
function settle(
  calls: ReadonlyArray<{ resolve(value: unknown): void; reject(error: unknown): void }>,
  reply: Promise<unknown>,
  part: (reply: unknown, index: number) => unknown,
): void {
  reply.then(
    (value) => {
      for (const [i, call] of calls.entries()) call.resolve(part(value, i));
    },
    (error) => {
      for (const call of calls) call.reject(error);
    },
  );
}

/**
 * The client, scoped to a signal that aborts once every call of the run was given up on, so a
 * command still queued (Redis reconnecting) is dropped as a single call would be.
 */
function abortable(client: RedisClientLike, run: Entry[]): RedisClientLike {
  const scoped = client as RedisClientLike & {
    withAbortSignal?: (signal: AbortSignal) => RedisClientLike;
  };
  if (typeof scoped.withAbortSignal !== 'function' || run.some((e) => e.signal === undefined))
    return client;
  const controller = new AbortController();
  let pending = run.length;
  for (const entry of run) {
    entry.signal?.addEventListener(
      'abort',
      () => {
        if (--pending === 0) controller.abort();
      },
      { once: true },
    );
  }
  return scoped.withAbortSignal(controller.signal);
}
