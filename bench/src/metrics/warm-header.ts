import { createWitboostAuth } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import { catalogUrl } from '../harness/context.js';
import { interleave } from '../harness/ops.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';
import { azureWarmHeader } from '../peers/azure.js';
import { googleWarmHeader } from '../peers/google.js';

/**
 * `warm_header_vs_azure`, `warm_header_vs_google`, `warm_header_vs_limit`: ops/s of our
 * `authorizationFor(url)` with a cached JWT against the peers and the async floor, all four
 * measured in the same interleaved rounds.
 */
export async function warmHeaderMetrics(ctx: BenchContext): Promise<BenchResult[]> {
  const { wb } = ctx;
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    durationSeconds: 3600,
  });
  try {
    const url = catalogUrl(wb);
    const header = await auth.authorizationFor(url);
    if (!header?.startsWith('Bearer ')) throw new Error('warm header: no Bearer header from ours');
    const jwt = header.slice('Bearer '.length);
    const limitHeader = `Bearer ${jwt}`;
    const peerUrl = 'https://witboost.example.com/api/catalog/entities';

    const contenders = [
      { name: 'ours', op: () => auth.authorizationFor(url) },
      { name: 'azure', op: azureWarmHeader(jwt, peerUrl) },
      { name: 'google', op: googleWarmHeader(jwt, peerUrl) },
      { name: 'limit', op: async () => limitHeader },
    ];
    const rounds = ctx.quick ? 3 : 7;
    const measured = await interleave(contenders, {
      rounds,
      sampleMs: ctx.quick ? 100 : 250,
      warmupMs: ctx.quick ? 100 : 400,
    });
    const ours = measured.median('ours');
    const method = `sequential awaited calls; medians of ${rounds} interleaved rounds, ratio = median of per-round ratios`;
    const result = (metric: string, peer: string, goal: number, note: string): BenchResult => {
      return {
        metric,
        ours: Math.round(ours),
        baseline: Math.round(measured.median(peer)),
        ratio: round(measured.pairedRatio('ours', peer), 2),
        goal,
        better: 'higher',
        unit: 'ops/s',
        note: `${note}; ${method}`,
      };
    };
    return [
      result(
        'warm_header_vs_azure',
        'azure',
        2,
        '@azure/core-rest-pipeline bearerTokenAuthenticationPolicy.sendRequest(createPipelineRequest({ url }), no-op next) with a cached token',
      ),
      result(
        'warm_header_vs_google',
        'google',
        2,
        'google-auth-library OAuth2Client.getRequestHeaders(url) with valid cached credentials',
      ),
      result('warm_header_vs_limit', 'limit', 0.5, "async () => 'Bearer <jwt>' (the async floor)"),
    ];
  } finally {
    await auth.close();
  }
}
