import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { BenchContext } from '../harness/context.js';
import type { BenchResult } from '../harness/result.js';
import { median, round } from '../harness/stats.js';

/** The built bin, as `npm install @wb/auth-cli` puts it on the PATH. */
export const WB_AUTH_BIN = join(
  dirname(createRequire(import.meta.url).resolve('@wb/auth-cli/package.json')),
  'dist/cli.mjs',
);

/** What a user writes without the CLI: one fetch to the exchange endpoint, the JWT on stdout. */
const RAW_EXCHANGE = `
fetch(process.env.WITBOOST_BASE_URL + '/api/auth/access-tokens/jwt', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ access_token: process.env.WITBOOST_ACCESS_TOKEN }),
})
  .then((r) => (r.status === 200 ? r.json() : Promise.reject(new Error('HTTP ' + r.status))))
  .then((b) => process.stdout.write(b.jwt + '\\n'));
`;

/** Wall time of one process from spawn to exit, checking that it printed a JWT. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0 || !/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/.test(out)) {
        reject(new Error(`cli token bench: ${args[0]} exited ${code} without a JWT`));
      } else resolve(ms);
    });
  });
}

/**
 * `cli_token_vs_raw_node`: wall time of `wb-auth token` against the emulator ÷ wall time of a
 * plain `node -e` script doing the same exchange with fetch. Both are whole processes (Node's own
 * start-up included, as a shell script pays it); run in pairs, the order alternating, and the
 * ratio is the median of the per-pair ratios.
 */
export async function cliTokenMetric(ctx: BenchContext): Promise<BenchResult> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    WITBOOST_BASE_URL: ctx.wb.url,
    WITBOOST_ACCESS_TOKEN: ctx.wb.issueAccessToken(),
  };
  const ours = [WB_AUTH_BIN, 'token'];
  const raw = ['-e', RAW_EXCHANGE];
  // Warm the file system cache and the emulator's signer for both.
  await timeProcess(ours, env);
  await timeProcess(raw, env);
  const pairs = ctx.quick ? 5 : 21;
  const oursMs: number[] = [];
  const rawMs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const first = i % 2 === 0;
    const a = await timeProcess(first ? ours : raw, env);
    const b = await timeProcess(first ? raw : ours, env);
    const [o, r] = first ? [a, b] : [b, a];
    oursMs.push(o);
    rawMs.push(r);
    ratios.push(o / r);
  }
  return {
    metric: 'cli_token_vs_raw_node',
    ours: round(median(oursMs), 1),
    baseline: round(median(rawMs), 1),
    ratio: round(median(ratios)),
    goal: 1.5,
    better: 'lower',
    unit: 'ms (wall)',
    note: `${pairs} pairs of processes, order alternating; wb-auth token p10–p90 ${round(quantile(oursMs, 0.1), 1)}–${round(quantile(oursMs, 0.9), 1)} ms, node -e fetch ${round(quantile(rawMs, 0.1), 1)}–${round(quantile(rawMs, 0.9), 1)} ms`,
  };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
