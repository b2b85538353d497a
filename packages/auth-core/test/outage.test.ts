import { createWitboostAuth } from '@wb/auth-core';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, expect, it } from 'vitest';

let wb: WitboostMock | undefined;
afterEach(async () => {
  await wb?.close();
  wb = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('an outage that outlives the token: served to the deadline, bounded waits, one attempt per ceiling, recovery at the next attempt', {
  timeout: 30_000,
}, async () => {
  wb = await startWitboostMock({ port: 0 });
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    durationSeconds: 4,
    refresh: { initialBackoffMs: 50, maxBackoffMs: 1_000, maxWaitMs: 400 },
  });
  const first = await auth.getToken();
  const deadline = auth.status().scopes[0]?.expiresAt ?? 0;
  wb.faults.failNextExchanges(1_000_000, { status: 502 });
  const outageStart = Date.now();
  const calls: Array<{ at: number; waited: number; ok: boolean; code?: string }> = [];
  const call = async () => {
    const at = Date.now();
    try {
      await auth.getToken();
      calls.push({ at, waited: Date.now() - at, ok: true });
    } catch (error) {
      calls.push({
        at,
        waited: Date.now() - at,
        ok: false,
        code: (error as { code: string }).code,
      });
    }
  };
  while (Date.now() - outageStart < 8_000) {
    await Promise.all([call(), call(), call()]);
    await sleep(50);
  }
  const attempts = wb.stats.exchanges.total - 1;
  wb.faults.reset();
  const outageEnd = Date.now();
  let recoveredAt = 0;
  while (recoveredAt === 0 && Date.now() - outageEnd < 5_000) {
    const at = Date.now();
    if ((await auth.getToken().catch(() => undefined)) !== undefined) recoveredAt = at;
    else await sleep(50);
  }
  await auth.close();

  // The token kept serving through the outage until (about) its deadline: 4 s − 1 s − 500 ms.
  expect(calls.filter((c) => c.at < deadline - 50 && !c.ok)).toEqual([]);
  expect(calls.filter((c) => c.at >= deadline && c.ok)).toEqual([]);
  expect(first).toMatch(/^eyJ/);
  // No caller waited past its bound (400 ms, plus scheduling slack on a loaded machine).
  expect(Math.max(...calls.map((c) => c.waited))).toBeLessThan(400 + 250);
  // The last error; or `timeout` for a caller whose whole bound passed while an attempt was
  // still on the wire (a loaded machine answers the 502 late), never sooner.
  const failed = calls.filter((c) => !c.ok);
  expect(failed.filter((c) => c.code !== 'server_error' && c.code !== 'timeout')).toEqual([]);
  expect(failed.filter((c) => c.code === 'timeout' && c.waited < 400)).toEqual([]);
  // ~8 s of outage with a 1 s ceiling: the growth (50 ms … 800 ms) then one per second, however
  // many callers (about 400 here).
  expect(attempts).toBeLessThanOrEqual(6 + 9 + 1);
  // Recovery at the next attempt: within one ceiling (+ the exchange) of the outage's end.
  expect(recoveredAt - outageEnd).toBeLessThan(1_000 + 300);
});
