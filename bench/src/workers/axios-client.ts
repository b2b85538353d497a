/**
 * One client of `axios_overhead_vs_static`, in a process of its own so that neither client's
 * JIT feedback shapes the other's code: `ours` (`createWitboostAxios`) or `static` (`axios.create`
 * with the JWT as a static header). Both get their JWT the same way, before any measurement.
 *
 * argv: kind, concurrency, warm-up requests. env: WB_URL, WB_ACCESS_TOKEN, TARGET_URL.
 * IPC: sends `{ ready: true }` after the warm-up; answers `{ run: ms }` with the `LoadSample`
 * of a window of that many milliseconds (`{ sample }`); exits when the parent disconnects.
 */
import { Agent } from 'node:http';
import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth } from '@wb/auth-core';
import axios, { type AxiosInstance } from 'axios';
import { driveLoad } from '../harness/load.js';

const [kind, concurrency, warmup] = [process.argv[2], Number(process.argv[3]), process.argv[4]];
const { WB_URL, WB_ACCESS_TOKEN, TARGET_URL } = process.env;
if ((kind !== 'ours' && kind !== 'static') || !WB_URL || !WB_ACCESS_TOKEN || !TARGET_URL) {
  throw new Error('usage (forked): axios-client.ts ours|static <concurrency> <warm-up>');
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
const request = () => client.get(url);
// A count, not a time: on a loaded machine a second is a few hundred requests, too few for V8
// to settle either path.
let left = Number(warmup);
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (left-- > 0) await request();
  }),
);
const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', async (message: { run?: number }) => {
  if (typeof message.run !== 'number') return;
  gc?.(); // each window starts on a collected heap, not paying for the one before
  process.send?.({ sample: await driveLoad(request, concurrency, message.run) });
});
process.once('disconnect', () => {
  agent.destroy();
  void auth.close();
});
process.send?.({ ready: true });
