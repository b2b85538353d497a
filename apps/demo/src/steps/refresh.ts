import { setTimeout as sleep } from 'node:timers/promises';
import { type DemoContext, expect } from '../context.js';
import { createDemoAuth } from '../demo-auth.js';
import { duration } from '../format.js';

export const title = 'Refresh ahead: callers keep the old JWT while one refresh runs behind them';
export const name = 'refresh';

const URL_PATH = '/api/catalog/entities';

export async function run(ctx: DemoContext): Promise<void> {
  const { report } = ctx;
  report.info(
    'durationSeconds: 5, refresh at half the lifetime (the default), jitter off for a predictable demo',
  );
  const demo = createDemoAuth(ctx, { durationSeconds: 5, refresh: { jitterRatio: 0 } });
  const { auth } = demo;

  const scheduled = demo.next('refresh_scheduled');
  const first = await auth.authorizationFor(URL_PATH);
  report.ok(`first caller: ${demo.label(first)}`);
  const { refreshAt } = await scheduled;

  const wait = Math.max(0, refreshAt - Date.now()) + 150;
  report.info(`waiting ${duration(wait)}, just past the refresh point…`);
  await sleep(wait);

  const refreshed = demo.next('exchange', (e) => e.background);
  const started = performance.now();
  const callers = await Promise.all([1, 2, 3].map(() => auth.authorizationFor(URL_PATH)));
  const waited = performance.now() - started;
  expect(
    callers.every((header) => header === first),
    'callers past the refresh point should get the current token at once',
  );
  report.ok(`3 callers got ${demo.label(first)} in ${waited.toFixed(1)} ms: nobody waited`);

  await refreshed;
  const after = await auth.authorizationFor(URL_PATH);
  expect(after !== first, 'the next caller should get the refreshed token');
  expect(demo.count('exchange') === 2, `expected 2 exchanges, saw ${demo.count('exchange')}`);
  report.ok(`one background refresh; the next caller gets ${demo.label(after)}`);
  const res = await auth.fetch(URL_PATH);
  expect(res.ok, `catalog with the refreshed token: HTTP ${res.status}`);
  report.ok(`GET ${URL_PATH} with it: ${res.status}`);
}
