/**
 * The load generator of the middleware metrics, in a process of its own so its CPU time is
 * neither the server's nor the bench's: autocannon sends `amount` GETs over `connections`
 * keep-alive connections and prints `{ requests, wallMs, non2xx, errors }` as one JSON line.
 *
 * argv: url, amount, connections.
 */
import autocannon from 'autocannon';

const [url, amount, connections] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
];
if (!url || !(amount > 0) || !(connections > 0)) {
  throw new Error('usage: autocannon-load.ts <url> <amount> <connections>');
}
const started = performance.now();
const result = await autocannon({ url, amount, connections });
const wallMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ requests: result.requests.total, wallMs, non2xx: result.non2xx, errors: result.errors })}\n`,
);
