import { setTimeout as sleep } from 'node:timers/promises';
import { type DemoContext, emulatorOf, expect } from '../context.js';
import { createDemoAuth } from '../demo-auth.js';

export const title = 'An exchange outage, survived: requests keep flowing on the valid JWT';
export const name = 'outage';
export const needsEmulator = 'it injects exchange failures into the emulator';

const URL_PATH = '/api/catalog/entities';
const INTERVAL_MS = 50;
const MAX_MS = 6_000;

export async function run(ctx: DemoContext): Promise<void> {
  const { report } = ctx;
  const wb = emulatorOf(ctx);
  report.info(
    'durationSeconds: 5, refresh at 10% so the outage fits in the demo, first retry within 100 ms',
  );
  const demo = createDemoAuth(ctx, {
    durationSeconds: 5,
    refresh: { refreshAtRatio: 0.1, jitterRatio: 0, initialBackoffMs: 100 },
  });
  const { auth } = demo;
  await auth.authorizationFor(URL_PATH);

  wb.faults.failNextExchanges(2, { status: 503 });
  wb.faults.failNextExchanges(1, { status: 429, retryAfterSeconds: 1 });
  report.info('the next exchanges answer 503, 503, then 429 with Retry-After: 1');

  let recovered = false;
  void demo
    .next('exchange', (e) => e.background)
    .then(() => {
      recovered = true;
    });
  report.request(`GET ${URL_PATH}  every ${INTERVAL_MS} ms until the refresh gets through`);
  let sent = 0;
  let failed = 0;
  const started = Date.now();
  // A few more requests after the recovery show the new token in use.
  let after = 3;
  while (after > 0 && Date.now() - started < MAX_MS) {
    if (recovered) after -= 1;
    sent += 1;
    const res = await auth.fetch(URL_PATH).catch(() => undefined);
    await res?.body?.cancel();
    if (!res?.ok) failed += 1;
    await sleep(INTERVAL_MS);
  }
  ctx.tally.failed += failed;
  const failures = demo.count('exchange_failed');
  expect(recovered, 'the background refresh should get through once the outage ends');
  expect(failed === 0, `${failed} of ${sent} requests failed during the outage`);
  expect(failures === 3, `expected 3 failed exchange attempts, saw ${failures}`);
  report.ok(
    `${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s, 0 failed; ${failures} failed exchanges, then 1 good one`,
  );
}
