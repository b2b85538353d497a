// CommonJS consumer: every package requires, with the same export names as under import, and
// core and Nest work from require() (the usual way a Nest app loads them).
require('reflect-metadata');
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');

const packages = JSON.parse(readFileSync('packages.json', 'utf8'));
const esmNames = JSON.parse(readFileSync('esm-exports.json', 'utf8'));
for (const { name } of packages.filter((p) => p.importable)) {
  const exported = Object.keys(require(name))
    .filter((key) => key !== 'default')
    .sort();
  assert.deepEqual(exported, esmNames[name], `${name}: require() and import give other names`);
}
for (const { name, bins } of packages) {
  for (const bin of bins) {
    require.resolve(`${name}/package.json`);
    assert.ok(
      require('node:fs').existsSync(`node_modules/.bin/${bin}`),
      `${name}: no ${bin} command`,
    );
  }
}

async function main() {
  const { startWitboostMock } = require('@wb/witboost-mock');
  const { createWitboostAuth } = require('@wb/auth-core');
  const { NestFactory } = require('@nestjs/core');
  const { WitboostAuthModule, WitboostAuthService } = require('@wb/auth-nestjs');
  const wb = await startWitboostMock({ port: 0 });
  try {
    const auth = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
    assert.equal((await auth.fetch('/api/catalog/entities')).status, 200);
    await auth.close();
    const nest = await NestFactory.createApplicationContext(
      WitboostAuthModule.forRoot({ baseUrl: wb.url, accessToken: wb.issueAccessToken() }),
      { logger: false },
    );
    const service = nest.get(WitboostAuthService);
    assert.equal((await service.fetch('/api/catalog/entities')).status, 200);
    await nest.close();
  } finally {
    await wb.close();
  }
  console.log(
    `[consumer] CommonJS: ${Object.keys(esmNames).length} packages required with the same exports; core and Nest authenticated`,
  );
}
main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
