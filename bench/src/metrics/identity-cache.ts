import type { AddressInfo } from 'node:net';
import { createWitboostAuth } from '@wb/auth-core';
import { witboostAuth } from '@wb/auth-express';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { BenchContext } from '../harness/context.js';
import { catalogUrl } from '../harness/context.js';
import { countingAuth } from '../harness/counting-auth.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';

const CALLERS = 100_000;
const MAX_IDENTITIES = 1000;
/** Callers whose token is a real emulator token and who really exchange it, spread over the run. */
const REAL_EVERY = 10_000;
const HTTP_SAMPLE = 50;
const HEADER = 'x-witboost-access-token';

/** A distinct, well-formed caller token that is never exchanged (35 characters after `wbat-`). */
const fakeToken = (i: number): string => `wbat-bench${String(i).padStart(30, '0')}`;

/**
 * `identity_cache_bound`: caller identities still held after 100,000 distinct on-behalf-of
 * callers went through the Express middleware, ÷ its `maxIdentities`. The real middleware
 * function is invoked with minimal request objects (plus a sample over real HTTP through
 * express), and live identities are counted by wrapping the service auth's `withAccessToken`.
 */
export async function identityCacheMetric(ctx: BenchContext): Promise<BenchResult> {
  const { wb } = ctx;
  const service = createWitboostAuth({ baseUrl: wb.url, accessToken: wb.issueAccessToken() });
  const { auth, counter } = countingAuth(service);
  const middleware = witboostAuth({
    auth,
    maxIdentities: MAX_IDENTITIES,
    identity: (req) => req.get(HEADER),
  });
  try {
    const url = catalogUrl(wb);
    const res = {} as Response;
    let realChecked = 0;
    for (let i = 0; i < CALLERS; i++) {
      const real = i % REAL_EVERY === 0;
      const token = real ? wb.issueAccessToken() : fakeToken(i);
      const req = { get: (name: string) => (name === HEADER ? token : undefined) } as Request;
      let failure: unknown;
      middleware(req, res, ((error?: unknown) => {
        failure = error;
      }) as NextFunction);
      if (failure !== undefined) throw failure;
      if (real) {
        const header = await req.witboost.authorizationFor(url);
        if (!header?.startsWith('Bearer ')) throw new Error('identity cache: caller got no JWT');
        realChecked++;
      }
    }
    const afterDirect = counter.live;
    const sampled = await httpSample(middleware, url, ctx);
    const held = counter.live;
    return {
      metric: 'identity_cache_bound',
      ours: held,
      baseline: MAX_IDENTITIES,
      ratio: round(held / MAX_IDENTITIES, 3),
      goal: 1,
      better: 'lower',
      unit: 'identities',
      note: `${CALLERS.toLocaleString('en-US')} distinct callers through witboostAuth({ identity, maxIdentities: ${MAX_IDENTITIES} }) invoked directly (${afterDirect} held after them, peak ${counter.peak}, ${counter.created} created; ${realChecked} of them exchanged a real token), then ${sampled} more over real HTTP through express; counted by wrapping auth.withAccessToken`,
    };
  } finally {
    await middleware.close();
    await service.close();
  }
}

/** Distinct callers over real HTTP through an express app, each exchanging a real token. */
async function httpSample(
  middleware: ReturnType<typeof witboostAuth>,
  url: string,
  ctx: BenchContext,
): Promise<number> {
  const app = express();
  app.use(middleware);
  app.get('/scheme', async (req, res, next) => {
    try {
      res.send((await req.witboost.authorizationFor(url))?.split(' ')[0] ?? 'none');
    } catch (error) {
      next(error);
    }
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    for (let i = 0; i < HTTP_SAMPLE; i++) {
      const answer = await fetch(`http://127.0.0.1:${port}/scheme`, {
        headers: { [HEADER]: ctx.wb.issueAccessToken() },
      });
      const scheme = await answer.text();
      if (scheme !== 'Bearer') throw new Error(`identity cache: HTTP caller got ${answer.status}`);
    }
    return HTTP_SAMPLE;
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
