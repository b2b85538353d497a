import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import { settledHeapUsed } from '../harness/heap.js';
import { jwtFetch } from '../harness/jwt-fetch.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';

const URL = 'https://witboost.example.com/api/catalog/entities';

/** A distinct caller token (35 characters after `wbat-`). */
const callerToken = (i: number): string => `wbat-caller${String(i).padStart(29, '0')}`;

/**
 * `identity_memory_bytes`: retained heap per caller identity (`withAccessToken`, what the
 * Express/Koa on-behalf-of pool holds) that has a cached JWT, over 5,000 identities held at
 * once. Baseline: the bytes of the JWT itself (what an identity cannot cost less than).
 */
export async function identityMemoryMetric(ctx: BenchContext): Promise<BenchResult> {
  const identities = ctx.quick ? 500 : 5_000;
  const stub = jwtFetch();
  const service = createWitboostAuth({
    baseUrl: 'https://witboost.example.com',
    accessToken: 'wbat-BenchIdentityService0123456789abcd',
    fetch: stub.fetch,
  });
  // Warm-up as long as the measurement: otherwise optimised code compiled during it (about
  // 180 bytes per identity over 2,000) is counted as if each identity held it.
  for (let i = 0; i < identities; i++) {
    const caller = service.withAccessToken(callerToken(1e6 + i));
    await caller.authorizationFor(URL);
    await caller.close();
  }
  const before = await settledHeapUsed();
  const held: WitboostAuth[] = [];
  let jwtBytes = 0;
  for (let i = 0; i < identities; i++) {
    const caller = service.withAccessToken(callerToken(i));
    jwtBytes += ((await caller.authorizationFor(URL)) ?? '').length - 'Bearer '.length;
    held.push(caller);
  }
  const after = await settledHeapUsed();
  const perIdentity = (after - before) / identities;
  await Promise.all(held.map((caller) => caller.close()));
  await service.close();
  return {
    metric: 'identity_memory_bytes',
    ours: Math.round(perIdentity),
    baseline: round(jwtBytes / identities, 0),
    ratio: Math.round(perIdentity),
    goal: 2048,
    better: 'lower',
    unit: 'bytes',
    note: `retained heap per caller identity with a cached JWT, ${identities.toLocaleString('en-US')} held at once; baseline = characters of the JWT it holds`,
  };
}
