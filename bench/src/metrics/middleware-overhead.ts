import { type ChildProcess, fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../harness/context.js';
import { pairedRatio } from '../harness/ops.js';
import { pinToCpu, placement } from '../harness/pin.js';
import type { BenchResult } from '../harness/result.js';
import { median, round } from '../harness/stats.js';

type Framework = 'express' | 'koa';
type Kind = 'ours' | 'bare';
const CONNECTIONS = 16;
const worker = (name: string) => fileURLToPath(new URL(`../workers/${name}`, import.meta.url));
const TSX = ['--import', import.meta.resolve('tsx')];

interface Server {
  url: string;
  pinned: boolean;
  cpuMs(): Promise<number>;
  close(): Promise<void>;
}

/** A server process (see workers/middleware-server.ts), its CPU time read over IPC. */
async function startServer(
  framework: Framework,
  kind: Kind,
  env: NodeJS.ProcessEnv,
): Promise<Server> {
  const child: ChildProcess = fork(worker('middleware-server.ts'), [framework, kind], {
    env,
    execArgv: TSX,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pinned = pinToCpu(child.pid, 1);
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: Record<string, T>) => {
        if (!(key in message)) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message[key] as T);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`${framework} ${kind} server exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const port = await next<number>('port');
  return {
    url: `http://127.0.0.1:${port}/`,
    pinned,
    cpuMs: () => {
      const reply = next<number>('cpuMs');
      child.send('cpu');
      return reply;
    },
    close: async () => {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

interface Load {
  requests: number;
  wallMs: number;
  non2xx: number;
  errors: number;
}

/** One autocannon run in its own process: `size` requests, or `<n>s` for n seconds. */
async function load(url: string, size: string): Promise<Load> {
  const child = spawn(
    process.execPath,
    [...TSX, worker('autocannon-load.ts'), url, size, `${CONNECTIONS}`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  pinToCpu(child.pid, 0);
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`autocannon exited with ${code}`);
  const result = JSON.parse(out) as Load;
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`autocannon saw ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

/** One window of one server: its requests per CPU-second and per wall-second. */
async function sample(server: Server, size: string): Promise<{ cpu: number; wall: number }> {
  const before = await server.cpuMs();
  const run = await load(server.url, size);
  const cpuMs = (await server.cpuMs()) - before;
  return { cpu: (run.requests / cpuMs) * 1000, wall: (run.requests / run.wallMs) * 1000 };
}

/**
 * `<framework>_overhead_vs_bare`: throughput of an app whose handler awaits
 * `authorizationFor(url)` through `witboostAuth` ÷ the same app without the middleware awaiting a
 * constant header. Both servers run in processes of their own, each with its own autocannon
 * process, the two pairs at the same time and for the same number of seconds (with a fixed
 * number of requests the faster server finished first and the slower one ran its tail alone,
 * on a quieter machine), so whatever the machine does slows both; throughput
 * is requests per second of the server process's CPU time (what the middleware costs), and the
 * ratio is the median of the per-pair ratios. Both servers share one CPU and the load generators
 * the other (see `pinToCpu`). Wall-clock figures go in the note.
 */
export async function middlewareOverheadMetric(
  ctx: BenchContext,
  framework: Framework,
): Promise<BenchResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WB_URL: ctx.wb.url,
    WB_ACCESS_TOKEN: ctx.wb.issueAccessToken(),
  };
  const [ours, bare] = await Promise.all([
    startServer(framework, 'ours', env),
    startServer(framework, 'bare', env),
  ]);
  try {
    const pairs = ctx.quick ? 2 : 12;
    const seconds = ctx.quick ? 3 : 8;
    const warmup = 2000;
    await Promise.all([load(ours.url, `${warmup}`), load(bare.url, `${warmup}`)]);
    const samples = {
      ours: [] as Array<{ cpu: number; wall: number }>,
      bare: [] as Array<{ cpu: number; wall: number }>,
    };
    for (let p = 0; p < pairs; p++) {
      const [a, b] = await Promise.all([sample(ours, `${seconds}s`), sample(bare, `${seconds}s`)]);
      samples.ours.push(a);
      samples.bare.push(b);
    }
    const cpu = { ours: samples.ours.map((s) => s.cpu), bare: samples.bare.map((s) => s.cpu) };
    const wall = { ours: samples.ours.map((s) => s.wall), bare: samples.bare.map((s) => s.wall) };
    const ratios = cpu.ours.map((value, i) => value / (cpu.bare[i] ?? Number.NaN));
    return {
      metric: `${framework}_overhead_vs_bare`,
      ours: Math.round(median(cpu.ours)),
      baseline: Math.round(median(cpu.bare)),
      ratio: round(pairedRatio(cpu.ours, cpu.bare), 3),
      goal: 0.97,
      better: 'higher',
      unit: 'req/CPU-s',
      note: `${framework} app with witboostAuth({ auth }) whose handler awaits authorizationFor(url) vs the same app without it awaiting a constant header; each server in its own process with its own autocannon process (${CONNECTIONS} keep-alive connections; ${placement(ours.pinned && bare.pinned, 'both servers', 'both load generators')}), both pairs at once, ${pairs} pairs of ${seconds} s windows after ${warmup} warm-up requests; requests per second of server CPU time, ratio = median of per-pair ratios (range ${round(Math.min(...ratios), 3)}–${round(Math.max(...ratios), 3)}); wall clock: ${Math.round(median(wall.ours))} vs ${Math.round(median(wall.bare))} req/s, ratio ${round(pairedRatio(wall.ours, wall.bare), 3)}`,
    };
  } finally {
    await Promise.all([ours.close(), bare.close()]);
  }
}
