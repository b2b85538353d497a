import { createWitboostAuth, type WitboostAuth } from '@wb/auth-core';
import type { WitboostMock } from '@wb/witboost-mock';
import type { BenchContext } from '../harness/context.js';
import { interleave } from '../harness/ops.js';
import type { BenchResult } from '../harness/result.js';
import { round } from '../harness/stats.js';

/** What each peer's warm path is, as the metrics' notes name it. */
const PEER_NOTES = {
  azure:
    '@azure/core-rest-pipeline bearerTokenAuthenticationPolicy.sendRequest(createPipelineRequest({ url }), no-op next) with a cached token',
  google: 'google-auth-library OAuth2Client.getRequestHeaders(url) with valid cached credentials',
} as const;

/**
 * Our instance, warm: a one-hour JWT from the emulator already cached for `url`. The peers get
 * the same JWT as their cached token.
 *
 * @param wb - the emulator
 * @param url - a URL of the emulator that needs the default scope
 * @param label - the metric family, for the error when no Bearer header comes back
 * @returns the instance (close it), its header for `url` and the JWT in it
 */
export async function warmInstance(
  wb: WitboostMock,
  url: string,
  label: string,
): Promise<{ auth: WitboostAuth; header: string; jwt: string }> {
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    durationSeconds: 3600,
  });
  const header = await auth.authorizationFor(url);
  if (!header?.startsWith('Bearer ')) {
    await auth.close();
    throw new Error(`${label}: no Bearer header from ours`);
  }
  return { auth, header, jwt: header.slice('Bearer '.length) };
}

/** The four contenders of a warm-header metric family, each one authorising one request. */
export interface WarmHeaderOps {
  ours: () => Promise<unknown>;
  azure: () => Promise<unknown>;
  google: () => Promise<unknown>;
  /** The async floor: an async function returning the header. */
  limit: () => Promise<unknown>;
}

/** The metric family to report. */
export interface WarmHeaderContest {
  /** Metric names are `<prefix>_vs_azure`, `_vs_google` and `_vs_limit`. */
  prefix: string;
  /** Goal of the ratio to each peer, and to the async floor. */
  peerGoal: number;
  limitGoal: number;
  /** How the async floor is written, for its note. */
  limitNote: string;
  /** What the contenders have in common beyond the interleaving, for every note. */
  method?: string;
}

/**
 * Measures ours, Azure's bearer policy, google-auth-library and the async floor side by side in
 * interleaved rounds, and reports ours against each (ratio = median of per-round ratios). The
 * one-URL and the many-URL warm-header metrics differ only in their operations and goals.
 *
 * @param ctx - the bench context (quick runs take fewer, shorter rounds)
 * @param ops - the four operations
 * @param contest - names, goals and notes of the three metrics
 * @returns `<prefix>_vs_azure`, `<prefix>_vs_google`, `<prefix>_vs_limit`
 */
export async function runWarmHeaderContest(
  ctx: BenchContext,
  ops: WarmHeaderOps,
  contest: WarmHeaderContest,
): Promise<BenchResult[]> {
  const rounds = ctx.quick ? 3 : 7;
  const measured = await interleave(
    (['ours', 'azure', 'google', 'limit'] as const).map((name) => ({ name, op: ops[name] })),
    { rounds, sampleMs: ctx.quick ? 100 : 250, warmupMs: ctx.quick ? 100 : 400 },
  );
  const method = `${contest.method === undefined ? '' : `${contest.method}; `}sequential awaited calls; medians of ${rounds} interleaved rounds, ratio = median of per-round ratios`;
  const result = (peer: 'azure' | 'google' | 'limit', goal: number, note: string) => ({
    metric: `${contest.prefix}_vs_${peer}`,
    ours: Math.round(measured.median('ours')),
    baseline: Math.round(measured.median(peer)),
    ratio: round(measured.pairedRatio('ours', peer), 2),
    goal,
    better: 'higher' as const,
    unit: 'ops/s',
    note: `${note}; ${method}`,
  });
  return [
    result('azure', contest.peerGoal, PEER_NOTES.azure),
    result('google', contest.peerGoal, PEER_NOTES.google),
    result('limit', contest.limitGoal, contest.limitNote),
  ];
}
