import type { BenchContext } from '../harness/context.js';
import type { BenchResult } from '../harness/result.js';
import { azureWarmHeaderFor } from '../peers/azure.js';
import { googleWarmHeaderFor } from '../peers/google.js';
import { runWarmHeaderContest, warmInstance } from '../peers/warm-header-contest.js';

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
  const ours = catalogRotation(ctx.wb.url);
  const { auth, header, jwt } = await warmInstance(ctx.wb, ours[0] as string, 'many URLs');
  try {
    // Every URL must get the credential: a router that refused them would look fast.
    for (const url of ours.slice(0, 100)) {
      if ((await auth.authorizationFor(url)) !== header) throw new Error(`many URLs: ${url}`);
    }
    const peers = catalogRotation('https://witboost.example.com');
    return await runWarmHeaderContest(
      ctx,
      {
        ours: rotating(ours, (url) => auth.authorizationFor(url)),
        azure: rotating(peers, azureWarmHeaderFor(jwt)),
        google: rotating(peers, googleWarmHeaderFor(jwt)),
        limit: rotating(ours, async (_url: string) => header),
      },
      {
        prefix: 'warm_header_many_urls',
        peerGoal: 4,
        limitGoal: 0.25,
        limitNote: "async (url) => 'Bearer <jwt>' (the async floor)",
        method: `each call takes the next of ${ROTATION} distinct catalog URLs (rotation cost in every contender)`,
      },
    );
  } finally {
    await auth.close();
  }
}
