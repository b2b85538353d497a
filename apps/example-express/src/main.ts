import { exampleWitboost } from '@wb/example-support';
import { createApp } from './app.js';

// A real Witboost from WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN, else the embedded emulator.
const witboost = await exampleWitboost();
const { app, close } = createApp({ baseUrl: witboost.baseUrl, accessToken: witboost.accessToken });

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`Listening on http://127.0.0.1:${port}`);
  console.log('  GET  /data-products       as the service');
  console.log('  POST /policies/validate   as the service, CG scope; the JSON body is forwarded');
  console.log('  GET  /me/data-products    as the caller: its PAT in X-Witboost-Access-Token');
  if (witboost.emulatorUrl) {
    console.log(`A caller PAT: curl -s -X POST ${witboost.emulatorUrl}/__admin/access-tokens`);
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void close().then(() => witboost.close());
  });
}
