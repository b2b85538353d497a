// A typed CommonJS consumer: the `require` condition's declaration files.
import core = require('@wb/auth-core');
import nest = require('@wb/auth-nestjs');
import mock = require('@wb/witboost-mock');

export async function typedCjs(): Promise<string | undefined> {
  const wb: mock.WitboostMock = await mock.startWitboostMock({ port: 0 });
  const auth: core.WitboostAuth = core.createWitboostAuth({ baseUrl: wb.url });
  nest.WitboostAuthModule.forRoot({ baseUrl: wb.url });
  return auth.authorizationFor(`${wb.url}/api/catalog/entities`);
}
