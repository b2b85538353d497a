/**
 * One client of `axios_overhead_vs_static`, in a process of its own so that neither client's
 * JIT feedback shapes the other's code: `ours` (`createWitboostAxios`) or `static` (`axios.create`
 * with the JWT as a static header). Both get their JWT the same way, outside the window.
 *
 * argv: kind, requests, concurrency, warm-up requests. env: WB_URL, WB_ACCESS_TOKEN, TARGET_URL.
 * Prints `{ requests, wallMs, cpuMs }` of the measured window as one JSON line.
 */
import { Agent } from 'node:http';
import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth } from '@wb/auth-core';
import axios, { type AxiosInstance } from 'axios';

const [kind, requests, concurrency, warmup] = [
  process.argv[2],
  Number(process.argv[3]),
  Number(process.argv[4]),
  Number(process.argv[5]),
];
const { WB_URL, WB_ACCESS_TOKEN, TARGET_URL } = process.env;
if ((kind !== 'ours' && kind !== 'static') || !WB_URL || !WB_ACCESS_TOKEN || !TARGET_URL) {
  throw new Error('usage: axios-client.ts ours|static <requests> <concurrency> <warm-up>');
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const auth = createWitboostAuth({
  baseUrl: WB_URL,
  accessToken: WB_ACCESS_TOKEN,
  durationSeconds: 3600,
  origins: [new URL(TARGET_URL).origin],
});
const jwt = await auth.getToken();
const client: AxiosInstance =
  kind === 'ours'
    ? createWitboostAxios({ auth, httpAgent: agent })
    : axios.create({ httpAgent: agent, headers: { Authorization: `Bearer ${jwt}` } });

// The comparison is void unless both really send a Bearer header.
const seen = await client.get<string>(new URL('/whoami', TARGET_URL).href, {
  responseType: 'text',
});
if (seen.data !== 'Bearer') throw new Error(`${kind} sent no Bearer header`);

const url = new URL('/api/ping', TARGET_URL).href;
async function drive(count: number): Promise<void> {
  let left = count;
  const loop = async () => {
    while (left > 0) {
      left--;
      await client.get(url);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
}

await drive(warmup);
// Start the window on a collected heap, so it does not pay for the warm-up's garbage.
(globalThis as { gc?: () => void }).gc?.();
const cpu = process.cpuUsage();
const started = performance.now();
await drive(requests);
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
process.stdout.write(
  `${JSON.stringify({ requests, wallMs, cpuMs: (used.user + used.system) / 1000 })}\n`,
);
agent.destroy();
await auth.close();
