import type { BenchContext } from '../harness/context.js';
import { catalogUrl } from '../harness/context.js';
import type { BenchResult } from '../harness/result.js';
import { azureWarmHeader } from '../peers/azure.js';
import { googleWarmHeader } from '../peers/google.js';
import { runWarmHeaderContest, warmInstance } from '../peers/warm-header-contest.js';

/**
 * `warm_header_vs_azure`, `warm_header_vs_google`, `warm_header_vs_limit`: ops/s of our
 * `authorizationFor(url)` with a cached JWT against the peers and the async floor, all four
 * measured in the same interleaved rounds.
 */
export async function warmHeaderMetrics(ctx: BenchContext): Promise<BenchResult[]> {
  const url = catalogUrl(ctx.wb);
  const { auth, header, jwt } = await warmInstance(ctx.wb, url, 'warm header');
  try {
    const peerUrl = 'https://witboost.example.com/api/catalog/entities';
    return await runWarmHeaderContest(
      ctx,
      {
        ours: () => auth.authorizationFor(url),
        azure: azureWarmHeader(jwt, peerUrl),
        google: googleWarmHeader(jwt, peerUrl),
        limit: async () => header,
      },
      {
        prefix: 'warm_header',
        peerGoal: 2,
        limitGoal: 0.5,
        limitNote: "async () => 'Bearer <jwt>' (the async floor)",
      },
    );
  } finally {
    await auth.close();
  }
}
