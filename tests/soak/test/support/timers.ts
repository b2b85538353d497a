/**
 * Finds timers that our packages leave behind. `process.getActiveResourcesInfo()` only lists
 * timers that keep the loop alive, while core's idle timers are unref'd: so every timer created
 * through the globals is tracked with the stack frame that created it, and a timer still pending
 * after close whose creator is a `packages/auth-*` source file is a leak, ref'd or not.
 */
export interface TimerTracker {
  /** Pending timers created directly by code under `packages/auth-*`, with their creator frame. */
  pendingFromOurPackages(): string[];
  /** `'Timeout'` entries in `process.getActiveResourcesInfo()` (ref'd timers of anyone). */
  activeTimeouts(): number;
  restore(): void;
}

const OUR_SOURCES = /[\\/]packages[\\/]auth-[a-z]+[\\/]src[\\/]/;
const THIS_FILE = /[\\/]test[\\/]support[\\/]timers\.ts/;

function creatorFrame(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  return lines.find((line) => !THIS_FILE.test(line))?.trim() ?? '(unknown)';
}

export function activeTimeouts(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
}

export function trackTimers(): TimerTracker {
  const realSetTimeout = globalThis.setTimeout;
  const realClearTimeout = globalThis.clearTimeout;
  const realSetInterval = globalThis.setInterval;
  const realClearInterval = globalThis.clearInterval;
  const pending = new Map<unknown, string>();

  const forget = (handle: unknown) => {
    if (pending.delete(handle)) return;
    // Timers may be cleared by their numeric id.
    for (const key of pending.keys()) {
      if (typeof handle === 'number' && Number(key) === handle) pending.delete(key);
    }
  };

  const patchedSetTimeout = ((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const frame = creatorFrame();
    const handle = realSetTimeout(
      (...callArgs: unknown[]) => {
        pending.delete(handle);
        callback(...callArgs);
      },
      ms,
      ...args,
    );
    pending.set(handle, frame);
    return handle;
  }) as typeof setTimeout;
  const patchedSetInterval = ((
    callback: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const handle = realSetInterval(callback, ms, ...args);
    pending.set(handle, creatorFrame());
    return handle;
  }) as typeof setInterval;

  globalThis.setTimeout = Object.assign(patchedSetTimeout, realSetTimeout);
  globalThis.setInterval = Object.assign(patchedSetInterval, realSetInterval);
  globalThis.clearTimeout = ((handle?: Parameters<typeof clearTimeout>[0]) => {
    forget(handle);
    realClearTimeout(handle);
  }) as typeof clearTimeout;
  globalThis.clearInterval = ((handle?: Parameters<typeof clearInterval>[0]) => {
    forget(handle);
    realClearInterval(handle);
  }) as typeof clearInterval;

  return {
    pendingFromOurPackages: () => [...pending.values()].filter((frame) => OUR_SOURCES.test(frame)),
    activeTimeouts,
    restore() {
      globalThis.setTimeout = realSetTimeout;
      globalThis.clearTimeout = realClearTimeout;
      globalThis.setInterval = realSetInterval;
      globalThis.clearInterval = realClearInterval;
    },
  };
}
