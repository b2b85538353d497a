import 'reflect-metadata';
import { exampleWitboost } from '@wb/example-support';
import { createApp } from './app.js';

// A real Witboost from WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN, else the embedded emulator.
const witboost = await exampleWitboost();
const env = { WITBOOST_BASE_URL: witboost.baseUrl, WITBOOST_ACCESS_TOKEN: witboost.accessToken };
const app = await createApp({ env });
await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
console.log(`Listening on ${await app.getUrl()}`);
console.log('  GET  /data-products       as the service');
console.log(
  '  POST /policies/validate   as the service, CG scope; { policy, resource } is forwarded',
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // app.close() also closes the module's Witboost client.
  process.once(signal, () => void app.close().then(() => witboost.close()));
}
