import {
  CATALOG_PATH,
  CG_VALIDATE_PATH,
  call,
  type Entity,
  type Verdict,
  validateOwner,
} from '../api.js';
import { type DemoContext, expect } from '../context.js';
import { createDemoAuth } from '../demo-auth.js';
import { showAccessToken } from '../secrets.js';

export const title = "Basic mode: mode: 'basic', no exchange at all";
export const name = 'basic mode';
export const needsEmulator = 'Basic is off by default on an installation (the emulator enables it)';

export async function run(ctx: DemoContext): Promise<void> {
  const { report } = ctx;
  report.info(
    `the emulator runs with basicAuth: true; Authorization: Basic base64("witboost:${showAccessToken(ctx.accessToken)}")`,
  );
  const demo = createDemoAuth(ctx, { mode: 'basic' });
  const { auth } = demo;

  report.request(`GET ${CATALOG_PATH}`);
  const products = await call<Entity[]>(ctx, auth, CATALOG_PATH);
  report.ok(`200, ${products.length} data products`);

  report.request(`POST ${CG_VALIDATE_PATH}  (Basic needs no scope)`);
  const verdict = await call<Verdict>(ctx, auth, CG_VALIDATE_PATH, validateOwner);
  report.ok(`200 satisfiesPolicy: ${verdict.satisfiesPolicy}`);

  expect(demo.count('exchange') === 0, 'basic mode should never exchange');
  expect(
    (await auth.authorizationFor(CATALOG_PATH))?.startsWith('Basic ') === true,
    'basic mode should send a Basic header',
  );
  report.ok('0 exchanges: the header is computed once per access token');
}
