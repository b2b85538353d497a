/**
 * One server of `express_overhead_vs_bare` / `koa_overhead_vs_bare`, in a process of its own:
 * `ours` mounts `witboostAuth({ auth })` and its handler awaits
 * `req.witboost.authorizationFor(url)` (`ctx.state.witboost` for Koa); `bare` has no middleware
 * and its handler awaits a constant header. Both answer `200 ok`.
 *
 * argv: framework (express|koa), kind (ours|bare). env: WB_URL, WB_ACCESS_TOKEN.
 * IPC: sends `{ port }` once listening; answers `'cpu'` with `{ cpuMs }` (user + system so far).
 */
import type { AddressInfo } from 'node:net';
import { createWitboostAuth } from '@wb/auth-core';
import { witboostAuth as expressWitboostAuth } from '@wb/auth-express';
import { witboostAuth as koaWitboostAuth } from '@wb/auth-koa';
import express from 'express';
import Koa from 'koa';

const [framework, kind] = [process.argv[2], process.argv[3]];
const { WB_URL, WB_ACCESS_TOKEN } = process.env;
if (
  (framework !== 'express' && framework !== 'koa') ||
  (kind !== 'ours' && kind !== 'bare') ||
  !WB_URL ||
  !WB_ACCESS_TOKEN ||
  !process.send
) {
  throw new Error('usage (forked): middleware-server.ts express|koa ours|bare');
}

const auth = createWitboostAuth({
  baseUrl: WB_URL,
  accessToken: WB_ACCESS_TOKEN,
  durationSeconds: 3600,
});
const url = new URL('/api/catalog/entities', WB_URL).href;
// Both hold a real JWT before the window: ours in its cache, bare as its constant.
const header = await auth.authorizationFor(url);
if (header === undefined) throw new Error('no credential for the catalog URL');
const constantHeader = async (): Promise<string> => header;

const check = (value: string | undefined) => {
  if (value === undefined) throw new Error('no credential');
};

let listener: import('node:http').Server;
if (framework === 'express') {
  const app = express();
  if (kind === 'ours') {
    app.use(expressWitboostAuth({ auth }));
    app.get('/', async (req, res) => {
      check(await req.witboost.authorizationFor(url));
      res.send('ok');
    });
  } else {
    app.get('/', async (_req, res) => {
      check(await constantHeader());
      res.send('ok');
    });
  }
  listener = app.listen(0, '127.0.0.1');
} else {
  const app = new Koa();
  if (kind === 'ours') app.use(koaWitboostAuth({ auth }));
  app.use(async (ctx) => {
    check(
      kind === 'ours' ? await ctx.state.witboost.authorizationFor(url) : await constantHeader(),
    );
    ctx.body = 'ok';
  });
  listener = app.listen(0, '127.0.0.1');
}
listener.keepAliveTimeout = 60_000;
listener.once('listening', () => {
  process.send?.({ port: (listener.address() as AddressInfo).port });
});
process.on('message', (message) => {
  if (message !== 'cpu') return;
  const used = process.cpuUsage();
  process.send?.({ cpuMs: (used.user + used.system) / 1000 });
});
process.on('disconnect', () => {
  listener.close();
  void auth.close().then(() => process.exit(0));
});
