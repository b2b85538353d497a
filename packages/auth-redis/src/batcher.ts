import type { RedisClientLike } from './client-shape.js';
import { CALLS, callAnswer, runScript } from './script.js';

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
  /** `GET key`, sent with the other calls of this turn (as one `MGET` if all are reads). */
  get(key: string, signal?: AbortSignal): Promise<unknown>;
  /** A write, sent with the other calls of this turn in one script call; resolves 1 or 0. */
  write(key: string, write: Write, signal?: AbortSignal): Promise<unknown>;
  /** `PUBLISH`, one per turn: the messages joined by newlines (core's messages hold none). */
  publish(message: string): Promise<unknown>;
}

/**
 * A cold start of hundreds of identities issues three calls for each at once (two reads and a
 * lease); node-redis pipelines them already, but spends ~0.2–0.6 ms of CPU on each command (2
 * cores, under load), so the last ones waited hundreds of ms in this process alone and timed
 * out. One script call of 256 keys costs a few ms. Standalone clients only: in a cluster, keys of
 * different tokens live in different slots.
 */
export function createBatcher(client: RedisClientLike, channel: string): Batcher {
  let queue: Entry[] = [];
  let messages: Array<{ message: string; resolve(v: unknown): void; reject(e: unknown): void }> =
    [];
  let scheduled = false;
  // Commands sent and not answered yet.
  let inFlight = 0;

  /**
   * Idle, the calls go out at the end of this run of microtasks: node-redis writes its socket on
   * a `setImmediate` of its own, and a flush in a `setImmediate` made that one wait a whole
   * turn of the event loop (a cold miss waited for it before its exchange). Busy (answers
   * pending, as in a burst of cold misses arriving from many sockets), they wait for the end of
   * the turn, so that the calls of every callback of this turn go out together.
   */
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    if (inFlight === 0) process.nextTick(flush);
    else setImmediate(flush);
  }

  function flush(): void {
    scheduled = false;
    const entries = queue.filter((entry) => {
      if (!entry.signal?.aborted) return true;
      entry.reject(entry.signal.reason);
      return false;
    });
    queue = [];
    // In order, MAX_KEYS at a time: a later call on a key sees the effect of an earlier one.
    for (let start = 0; start < entries.length; start += MAX_KEYS) {
      send(entries.slice(start, start + MAX_KEYS));
    }
    if (messages.length > 0) {
      const sent = messages;
      messages = [];
      settle(
        sent,
        issue(() => client.publish(channel, sent.map((m) => m.message).join('\n'))),
        (value) => value,
      );
    }
  }

  /**
   * Only reads: one `MGET`. With a write: one script call. A call alone goes as the plain
   * command (GET, SET): MGET and the script cost Redis and node-redis more for one key.
   */
  function send(run: Entry[]): void {
    const target = abortable(client, run);
    const only = run.length === 1 ? run[0] : undefined;
    if (only !== undefined && only.write?.[0] !== 'd') {
      sendOne(target, only);
      return;
    }
    const keys = run.map((entry) => entry.key);
    if (run.every((entry) => entry.write === undefined)) {
      const reply = issue(() => target.mGet(keys));
      settle(run, reply, (values, i) => (Array.isArray(values) ? values[i] : undefined));
      return;
    }
    const args = run.flatMap((entry) => (entry.write === undefined ? ['g'] : entry.write));
    const reply = issue(() => runScript(target, CALLS, keys, args));
    settle(run, reply, (values, i) => callAnswer(values, i, run[i]?.write !== undefined));
  }

  function sendOne(target: RedisClientLike, entry: Entry): void {
    const write = entry.write;
    const reply = issue(() => {
      if (write === undefined) return target.get(entry.key);
      const [op, value, ttl] = write as ['s' | 'n', string, string];
      const options = op === 'n' ? { PX: Number(ttl), NX: true as const } : { PX: Number(ttl) };
      return target.set(entry.key, value, options).then((answer) => (answer === null ? 0 : 1));
    });
    settle([entry], reply, (value) => value);
  }

  /** Sends one command, counted while it is unanswered. */
  function issue(call: () => Promise<unknown>): Promise<unknown> {
    const reply = attempt(call);
    inFlight++;
    const answered = () => {
      inFlight--;
    };
    reply.then(answered, answered);
    return reply;
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

/**
 * Settles each waiting call with its part of one reply (a part that throws fails that call
 * alone), or all of them with the reply's error.
 */
function settle(
  calls: ReadonlyArray<{ resolve(value: unknown): void; reject(error: unknown): void }>,
  reply: Promise<unknown>,
  part: (reply: unknown, index: number) => unknown,
): void {
  reply.then(
    (value) => {
      for (const [i, call] of calls.entries()) {
        let answer: unknown;
        try {
          answer = part(value, i);
        } catch (error) {
          call.reject(error);
          continue;
        }
        call.resolve(answer);
      }
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
  const only = run.length === 1 ? run[0]?.signal : undefined;
  if (only !== undefined) return scoped.withAbortSignal(only);
  const distinct = new Set(run.map((entry) => entry.signal as AbortSignal));
  if (distinct.size === 1)
    return scoped.withAbortSignal(distinct.values().next().value as AbortSignal);
  const controller = new AbortController();
  let pending = distinct.size;
  for (const signal of distinct) {
    signal.addEventListener(
      'abort',
      () => {
        if (--pending === 0) controller.abort();
      },
      { once: true },
    );
  }
  return scoped.withAbortSignal(controller.signal);
}
