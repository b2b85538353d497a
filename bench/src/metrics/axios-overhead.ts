import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../harness/context.js';
import { cpuRate, type LoadSample, wallRate } from '../harness/load.js';
import { startLoopbackServer } from '../harness/loopback-server.js';
import { pairedRatio } from '../harness/ops.js';
import type { BenchResult } from '../harness/result.js';
import { median, round } from '../harness/stats.js';

const CONCURRENCY = 16;
const WORKER = fileURLToPath(new URL('../workers/axios-client.ts', import.meta.url));
const WORKER_ARGS = ['--expose-gc', '--import', import.meta.resolve('tsx'), WORKER];
type Kind = 'ours' | 'static';

/** Runs both clients at once (each in its own process), so they share whatever the machine does. */
async function both<T>(run: (kind: Kind) => Promise<T>): Promise<{ ours: T; static: T }> {
  const [ours, baseline] = await Promise.all([run('ours'), run('static')]);
  return { ours, static: baseline };
}

/** A worker natively: its window's requests, wall time and CPU time. */
async function runNative(
  kind: Kind,
  requests: number,
  warmup: number,
  env: NodeJS.ProcessEnv,
): Promise<LoadSample> {
  const child = spawn(
    process.execPath,
    [...WORKER_ARGS, kind, `${requests}`, `${CONCURRENCY}`, `${warmup}`],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`axios overhead: the ${kind} worker exited with ${code}`);
  return JSON.parse(out) as LoadSample;
}

/**
 * `axios_overhead_vs_static`: throughput of `createWitboostAxios` ÷ throughput of plain axios
 * with a static `Authorization` header, against the same loopback server at the same concurrency.
 *
 * Each client runs in a process of its own, both at the same time, so that whatever the machine
 * does in that moment slows both: in one process the two clients' objects would meet in axios's
 * shared JIT-compiled code and each would pay for the other. Throughput is requests per second
 * of the client process's CPU time; wall-clock figures go in the note. The ratio is the median of
 * the per-pair ratios over several pairs of processes.
 */
export async function axiosOverheadMetric(ctx: BenchContext): Promise<BenchResult> {
  const server = await startLoopbackServer();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WB_URL: ctx.wb.url,
    WB_ACCESS_TOKEN: ctx.wb.issueAccessToken(),
    TARGET_URL: server.url,
  };
  try {
    const pairs = ctx.quick ? 2 : 16;
    const requests = ctx.quick ? 1000 : 4000;
    const warmup = 1000;
    const ours: LoadSample[] = [];
    const plain: LoadSample[] = [];
    for (let p = 0; p < pairs; p++) {
      const pair = await both((kind) => runNative(kind, requests, warmup, env));
      ours.push(pair.ours);
      plain.push(pair.static);
    }
    const cpu = { ours: ours.map(cpuRate), static: plain.map(cpuRate) };
    const wall = { ours: ours.map(wallRate), static: plain.map(wallRate) };
    return {
      metric: 'axios_overhead_vs_static',
      ours: Math.round(median(cpu.ours)),
      baseline: Math.round(median(cpu.static)),
      ratio: round(pairedRatio(cpu.ours, cpu.static), 3),
      goal: 0.97,
      better: 'higher',
      unit: 'req/CPU-s',
      note: `createWitboostAxios vs axios.create with a static Authorization header; GET to a node:http server in a child process, ${CONCURRENCY} concurrent loops, keep-alive agents; each client in its own process, both at once, ${pairs} pairs of ${requests} requests after ${warmup} warm-up; requests per second of client CPU time, ratio = median of per-pair ratios; wall clock: ${Math.round(median(wall.ours))} vs ${Math.round(median(wall.static))} req/s, ratio ${round(pairedRatio(wall.ours, wall.static), 3)}`,
    };
  } finally {
    await server.close();
  }
}
