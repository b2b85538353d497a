import { createWitboostAuth } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import { interleave } from '../harness/ops.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';
import { azureWarmHeaderFor } from '../peers/azure.js';
import { googleWarmHeaderFor } from '../peers/google.js';

/** Distinct URLs in the rotation: far more than any per-URL cache would hold. */
const ROTATION = 50_000;

/** `…/by-name/component/default/<name>?fields=…` for `ROTATION` distinct names under `origin`. */
function catalogRotation(origin: string): string[] {
  return Array.from(
    { length: ROTATION },
    (_, i) =>
      `${origin}/api/catalog/entities/by-name/component/default/component-${i.toString(36)}?fields=metadata,spec`,
  );
}

/**
 * An operation that calls `call` with the next URL of `urls` each time: every contender pays the
 * same rotation cost inside its measured op.
 */
function rotating(urls: readonly string[], call: (url: string) => Promise<unknown>) {
  let next = 0;
  return () => {
    const url = urls[next] as string;
    next = next + 1 === urls.length ? 0 : next + 1;
    return call(url);
  };
}

/**
 * `warm_header_many_urls_vs_azure`, `_vs_google`, `_vs_limit`: the warm path on real traffic,
 * where each call names another catalog entity. Ours, the two peers and the async floor each
 * authorise the next URL of the same kind of 50,000-URL rotation, in the same interleaved
 * rounds as the one-URL metrics.
 */
export async function warmHeaderManyUrlsMetrics(ctx: BenchContext): Promise<BenchResult[]> {
  const { wb } = ctx;
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    durationSeconds: 3600,
  });
  try {
    const ours = catalogRotation(wb.url);
    const peers = catalogRotation('https://witboost.example.com');
    const header = await auth.authorizationFor(ours[0] as string);
    if (!header?.startsWith('Bearer ')) throw new Error('many URLs: no Bearer header from ours');
    // Every URL must get the credential: a router that refused them would look fast.
    for (const url of ours.slice(0, 100)) {
      if ((await auth.authorizationFor(url)) !== header) throw new Error(`many URLs: ${url}`);
    }
    const jwt = header.slice('Bearer '.length);
    const limit = async (_url: string) => header;

    const contenders = [
      { name: 'ours', op: rotating(ours, (url) => auth.authorizationFor(url)) },
      { name: 'azure', op: rotating(peers, azureWarmHeaderFor(jwt)) },
      { name: 'google', op: rotating(peers, googleWarmHeaderFor(jwt)) },
      { name: 'limit', op: rotating(ours, limit) },
    ];
    const rounds = ctx.quick ? 3 : 7;
    const measured = await interleave(contenders, {
      rounds,
      sampleMs: ctx.quick ? 100 : 250,
      warmupMs: ctx.quick ? 100 : 400,
    });
    const method = `each call takes the next of ${ROTATION} distinct catalog URLs (rotation cost in every contender); sequential awaited calls; medians of ${rounds} interleaved rounds, ratio = median of per-round ratios`;
    const result = (metric: string, peer: string, goal: number, note: string): BenchResult => ({
      metric,
      ours: Math.round(measured.median('ours')),
      baseline: Math.round(measured.median(peer)),
      ratio: round(measured.pairedRatio('ours', peer), 2),
      goal,
      better: 'higher',
      unit: 'ops/s',
      note: `${note}; ${method}`,
    });
    return [
      result(
        'warm_header_many_urls_vs_azure',
        'azure',
        4,
        '@azure/core-rest-pipeline bearerTokenAuthenticationPolicy.sendRequest(createPipelineRequest({ url }), no-op next) with a cached token',
      ),
      result(
        'warm_header_many_urls_vs_google',
        'google',
        4,
        'google-auth-library OAuth2Client.getRequestHeaders(url) with valid cached credentials',
      ),
      result(
        'warm_header_many_urls_vs_limit',
        'limit',
        0.25,
        "async (url) => 'Bearer <jwt>' (the async floor)",
      ),
    ];
  } finally {
    await auth.close();
  }
}
