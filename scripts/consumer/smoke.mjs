// ESM consumer: every package imports, and the adapters authenticate real requests against the
// emulator, each through its framework's latest release.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

const packages = JSON.parse(readFileSync('packages.json', 'utf8'));
const names = {};
for (const { name } of packages.filter((p) => p.importable)) {
  const exported = Object.keys(await import(name)).filter((key) => key !== 'default');
  assert.ok(exported.length > 0, `${name} exports nothing under import`);
  names[name] = exported.sort();
}
// smoke.cjs checks require() gives the same names: one API whichever way it is loaded.
writeFileSync('esm-exports.json', JSON.stringify(names));

const { startWitboostMock } = await import('@wb/witboost-mock');
const { createWitboostAuth } = await import('@wb/auth-core');
const wb = await startWitboostMock({ port: 0 });
const catalog = `${wb.url}/api/catalog/entities`;

/** Serves a request listener on a free loopback port, GETs `path`, closes. */
async function get(listener, path) {
  const server = createServer(listener).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await fetch(`http://127.0.0.1:${server.address().port}${path}`);
  } finally {
    server.close();
  }
}

try {
  const auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
  assert.match((await auth.authorizationFor(catalog)) ?? '', /^Bearer /);
  assert.equal(await auth.authorizationFor('https://elsewhere.example.com/'), undefined);
  assert.equal((await auth.fetch('/api/catalog/entities')).status, 200);

  const { createWitboostAxios } = await import('@wb/auth-axios');
  const { status } = await createWitboostAxios({ auth }).get('/api/catalog/entities');
  assert.equal(status, 200);

  const { default: express } = await import('express');
  const expressAuth = await import('@wb/auth-express');
  const expressApp = express().use(expressAuth.witboostAuth({ auth }));
  expressApp.get('/', async (req, res) => {
    res.status((await req.witboost.fetch('/api/catalog/entities')).status).end();
  });
  assert.equal((await get(expressApp, '/')).status, 200);

  const { default: Koa } = await import('koa');
  const koaAuth = await import('@wb/auth-koa');
  const koaApp = new Koa().use(koaAuth.witboostAuth({ auth })).use(async (ctx) => {
    ctx.status = (await ctx.state.witboost.fetch('/api/catalog/entities')).status;
  });
  assert.equal((await get(koaApp.callback(), '/')).status, 200);

  const { NestFactory } = await import('@nestjs/core');
  const { WitboostAuthModule, WitboostAuthService } = await import('@wb/auth-nestjs');
  const nest = await NestFactory.createApplicationContext(
    WitboostAuthModule.forRoot({ baseUrl: wb.url, accessToken: wb.issueAccessToken() }),
    { logger: false },
  );
  assert.match((await nest.get(WitboostAuthService).authorizationFor(catalog)) ?? '', /^Bearer /);
  await nest.close();

  await auth.close();
  console.log(
    `[consumer] ESM: ${Object.keys(names).length} packages imported; core, axios, Express, Koa and Nest authenticated against the emulator`,
  );
} finally {
  await wb.close();
}
