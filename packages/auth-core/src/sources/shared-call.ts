// A secret store or file system that never answers (a hung NFS mount) must not hold every later
// read forever: past this, the next read makes a new call (the old one is dropped, not cancelled).
const SHARED_CALL_MAX_MS = 5_000;

/** `run` with concurrent callers sharing one call, for at most {@link SHARED_CALL_MAX_MS}. */
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
