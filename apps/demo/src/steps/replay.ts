import { CATALOG_PATH, call, type Entity } from '../api.js';
import { type DemoContext, emulatorOf, expect } from '../context.js';
import { createDemoAuth } from '../demo-auth.js';

export const title = 'A 401 from the API: auth.fetch invalidates, exchanges once, replays';
export const name = '401 replay';
export const needsEmulator = 'it makes the emulator reject a valid JWT';

export async function run(ctx: DemoContext): Promise<void> {
  const { report } = ctx;
  const wb = emulatorOf(ctx);
  const demo = createDemoAuth(ctx);
  const { auth } = demo;

  await call<Entity[]>(ctx, auth, CATALOG_PATH);
  const current = await auth.authorizationFor(CATALOG_PATH);
  wb.faults.rejectJwt(current?.replace(/^Bearer /, '') ?? '');
  report.info(
    `the emulator now answers 401 to ${demo.label(current)}, as if Witboost had dropped it`,
  );

  report.request(`3 × GET ${CATALOG_PATH}  at once, all carrying ${demo.label(current)}`);
  const exchangesBefore = demo.count('exchange');
  const results = await Promise.all([1, 2, 3].map(() => call<Entity[]>(ctx, auth, CATALOG_PATH)));
  const exchanged = demo.count('exchange') - exchangesBefore;
  expect(exchanged === 1, `a burst of 401s should cause one exchange, saw ${exchanged}`);
  expect(demo.count('replay_after_401') === 3, 'each request should be replayed once');
  const now = await auth.authorizationFor(CATALOG_PATH);
  report.ok(
    `${results.length} × 200 for the callers: 1 exchange, ${demo.count('replay_after_401')} replays, now on ${demo.label(now)}`,
  );
}
