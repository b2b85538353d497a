// One replica of the fleet metrics, in a process of its own: identities are `withAccessToken`
// children of one service instance, with a Redis store when REDIS_URL is set. Commands on stdin:
// `cold` (every identity asks for a token at once), `steady <ms>` (every identity asks every
// 100 ms for that long); each answers one JSON line: { exchanges, failed }.
import { createInterface } from 'node:readline';
import { createWitboostAuth, type TokenStore } from '@wb/auth-core';
import { redisTokenStore } from '@wb/auth-redis';
import { createClient } from 'redis';

const env = (name: string) => process.env[name] ?? '';
const client = env('REDIS_URL')
  ? await createClient({ url: env('REDIS_URL') })
      .on('error', () => {})
      .connect()
  : undefined;
let exchanges = 0;
const store: TokenStore | undefined =
  client === undefined ? undefined : redisTokenStore({ client });
const service = createWitboostAuth({
  baseUrl: env('WB_URL'),
  accessToken: env('SERVICE_PAT'),
  durationSeconds: Number(env('DURATION')),
  ...(store === undefined ? {} : { store }),
  onEvent: (event) => {
    if (event.type === 'exchange') exchanges++;
  },
});
const identities = (JSON.parse(env('PATS')) as string[]).map((pat) => service.withAccessToken(pat));
const url = `${env('WB_URL')}/api/catalog/entities`;

async function all(): Promise<number> {
  const results = await Promise.allSettled(identities.map((auth) => auth.authorizationFor(url)));
  return results.filter((r) => r.status === 'rejected').length;
}

const reply = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
reply({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  const [command, arg] = line.split(' ');
  if (command === 'cold') {
    const failed = await all();
    reply({ exchanges, failed });
  }
  if (command === 'steady') {
    const end = Date.now() + Number(arg);
    let failed = 0;
    while (Date.now() < end) {
      failed += await all();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    reply({ exchanges, failed });
  }
  if (command === 'exit') break;
}
process.stdin.destroy(); // an open stdin pipe would keep the process alive
await Promise.all(identities.map((auth) => auth.close()));
await service.close();
client?.destroy();
