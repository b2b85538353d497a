/**
 * The load generator of the middleware metrics, in a process of its own so its CPU time is
 * neither the server's nor the bench's: autocannon sends GETs over `connections` keep-alive
 * connections, `amount` of them or, given as `<n>s`, for that many seconds, and prints
 * `{ requests, wallMs, non2xx, errors }` as one JSON line.
 *
 * argv: url, amount (or seconds, e.g. `8s`), connections.
 */
import autocannon from 'autocannon';

const [url, size, connections] = [process.argv[2], process.argv[3] ?? '', Number(process.argv[4])];
const seconds = size.endsWith('s') ? Number(size.slice(0, -1)) : undefined;
const amount = seconds === undefined ? Number(size) : undefined;
if (!url || !((seconds ?? amount ?? 0) > 0) || !(connections > 0)) {
  throw new Error('usage: autocannon-load.ts <url> <amount>|<seconds>s <connections>');
}
const started = performance.now();
const result = await autocannon(
  seconds === undefined ? { url, amount, connections } : { url, duration: seconds, connections },
);
const wallMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ requests: result.requests.total, wallMs, non2xx: result.non2xx, errors: result.errors })}\n`,
);
