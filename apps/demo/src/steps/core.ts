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

export const title = 'Core: createWitboostAuth exchanges once, caches, and picks the CG scope';
export const name = 'core';

export async function run(ctx: DemoContext): Promise<void> {
  const { report } = ctx;
  report.info(
    `createWitboostAuth({ baseUrl: '${ctx.baseUrl}', accessToken: '${showAccessToken(ctx.accessToken)}' })`,
  );
  const demo = createDemoAuth(ctx);
  const { auth } = demo;

  report.request(`GET ${CATALOG_PATH}`);
  const products = await call<Entity[]>(ctx, auth, CATALOG_PATH);
  report.ok(
    `200, ${products.length} data products: ${products.map((e) => e.metadata.name).join(', ')}`,
  );
  expect(
    demo.count('exchange') === 1,
    `the first call should exchange once, saw ${demo.count('exchange')}`,
  );

  report.request(`GET ${CATALOG_PATH}  (again)`);
  await call<Entity[]>(ctx, auth, CATALOG_PATH);
  expect(demo.count('exchange') === 1, 'the second call should be served from the cache');
  report.ok(
    `200, served from the cache: 0 exchanges, the same ${demo.label(await auth.authorizationFor(CATALOG_PATH))}`,
  );

  const scope = auth.scopeFor(CG_VALIDATE_PATH);
  report.request(`POST ${CG_VALIDATE_PATH}  (scopeFor → ${scope})`);
  const verdict = await call<Verdict>(ctx, auth, CG_VALIDATE_PATH, validateOwner);
  expect(
    demo.events.some(
      (e) => e.type === 'exchange' && e.scope === 'service:computational-governance',
    ),
    'the CG call should exchange a JWT with the service:computational-governance scope',
  );
  report.ok(`200 satisfiesPolicy: ${verdict.satisfiesPolicy}, with a second JWT of its own scope`);
}
