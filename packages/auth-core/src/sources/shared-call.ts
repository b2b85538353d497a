/**
 * How long concurrent callers share one source call. A secret store or a file system that never
 * answers (a dead connection without a client timeout, a hung NFS mount) would otherwise hold
 * every later read forever; past this, the next read makes a new call.
 */
export const SHARED_CALL_MAX_MS = 5_000;

/**
 * Wraps `run` so that concurrent callers share one call, for at most {@link SHARED_CALL_MAX_MS}:
 * then the call is dropped (not cancelled) and the next caller starts another. The timer is
 * unref'd: it never keeps the process alive.
 */
export function sharedCall<T>(run: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    if (pending !== undefined) return pending;
    const call = run();
    pending = call;
    const release = () => {
      clearTimeout(timer);
      if (pending === call) pending = undefined;
    };
    const timer = setTimeout(release, SHARED_CALL_MAX_MS);
    timer.unref?.();
    call.then(release, release);
    return call;
  };
}
