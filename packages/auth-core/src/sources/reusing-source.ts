import type { AccessTokenSource } from '../types.js';
import { withFreshRead } from './resolve-source.js';

// A secret store or file system that never answers (a hung NFS mount) must not hold every later
// read forever: past this, the next read makes a new call (the old one is dropped, not cancelled).
const SHARED_CALL_MAX_MS = 5_000;

/**
 * A source over a slow `read` (a file, a secret store): its last token is reused for `reuseMs`,
 * concurrent reads share one call, and after a rejection the engine reads past the reuse
 * (before every exchange when `freshForEngine`: the reuse then only spares direct callers).
 */
export function reusingSource(
  description: string,
  reuseMs: number,
  read: () => Promise<string>,
  onClose?: () => void,
  freshForEngine = false,
): AccessTokenSource {
  let last: { token: string; at: number } | undefined;
  let pending: Promise<string> | undefined;
  const shared = (): Promise<string> => {
    if (pending !== undefined) return pending;
    const call = read().then((token) => {
      // Only a successful read counts: after a failure the next call reads again.
      if (reuseMs > 0) last = { token, at: Date.now() };
      return token;
    });
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
  const source: AccessTokenSource = {
    description,
    getAccessToken: () =>
      last !== undefined && Date.now() - last.at < reuseMs ? Promise.resolve(last.token) : shared(),
    close() {
      last = undefined;
      onClose?.();
    },
  };
  return withFreshRead(source, shared, freshForEngine);
}
