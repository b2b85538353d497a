import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from '../harness/context.js';
import { cpuRate, type LoadSample, wallRate } from '../harness/load.js';
import { startLoopbackServer } from '../harness/loopback-server.js';
import { pairedRatio } from '../harness/ops.js';
import { pinToCpu, placement } from '../harness/pin.js';
import type { BenchResult } from '../harness/result.js';
import { median, round } from '../harness/stats.js';

const CONCURRENCY = 16;
const WORKER = fileURLToPath(new URL('../workers/axios-client.ts', import.meta.url));
type Kind = 'ours' | 'static';

interface Client {
  /** Runs one window of `ms` and resolves with its sample. */
  window(ms: number): Promise<LoadSample>;
  close(): Promise<void>;
}

/** A client process (see workers/axios-client.ts), resolved once its warm-up is done. */
async function startClient(kind: Kind, warmup: number, env: NodeJS.ProcessEnv): Promise<Client> {
  const child: ChildProcess = fork(WORKER, [kind, `${CONCURRENCY}`, `${warmup}`], {
    env,
    execArgv: ['--expose-gc', '--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  pinToCpu(child.pid, 1);
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: Record<string, T>) => {
        if (!(key in message)) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(message[key] as T);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`axios overhead: the ${kind} client exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  await next('ready');
  return {
    window: (ms) => {
      const sample = next<LoadSample>('sample');
      child.send({ run: ms });
      return sample;
    },
    close: async () => {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

/**
 * `axios_overhead_vs_static`: throughput of `createWitboostAxios` ÷ throughput of plain axios
 * with a static `Authorization` header, against the same loopback server at the same concurrency.
 *
 * Each client runs in a process of its own (in one process the two clients' objects would meet
 * in axios's shared JIT-compiled code and each would pay for the other), both warmed up by a
 * count of requests, then measured in windows of the same length at the same time, so whatever
 * the machine does in that moment slows both (with a fixed number of requests per window, the
 * faster client finished first and the slower one ran its tail alone, with other CPU time per
 * request). Several pairs of processes, which one starts first alternating. Throughput is
 * requests per second of the client process's CPU time; wall-clock figures go in the note. The
 * ratio is the median of the per-window ratios. Both clients share one CPU and the server has the
 * other (see `pinToCpu`). `BENCH_AXIOS_AA=1` runs the static client on
 * both sides: the method's own bias, which should be ~1.00.
 */
export async function axiosOverheadMetric(ctx: BenchContext): Promise<BenchResult> {
  const server = await startLoopbackServer();
  const pinned = pinToCpu(server.pid, 0);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WB_URL: ctx.wb.url,
    WB_ACCESS_TOKEN: ctx.wb.issueAccessToken(),
    TARGET_URL: server.url,
  };
  const aa = process.env.BENCH_AXIOS_AA === '1';
  const ours: Kind = aa ? 'static' : 'ours';
  const [pairs, rounds, windowMs, warmup] = ctx.quick ? [1, 2, 1000, 1000] : [6, 4, 2500, 5000];
  const samples = { ours: [] as LoadSample[], static: [] as LoadSample[] };
  try {
    for (let p = 0; p < pairs; p++) {
      const first = startClient(p % 2 === 0 ? ours : 'static', warmup, env);
      const second = startClient(p % 2 === 0 ? 'static' : ours, warmup, env);
      const [x, y] = await Promise.all([first, second]);
      const [mine, plain] = p % 2 === 0 ? [x, y] : [y, x];
      try {
        for (let r = 0; r < rounds; r++) {
          const [a, b] = await Promise.all([mine.window(windowMs), plain.window(windowMs)]);
          samples.ours.push(a);
          samples.static.push(b);
        }
      } finally {
        await Promise.all([mine.close(), plain.close()]);
      }
    }
  } finally {
    await server.close();
  }
  const cpu = { ours: samples.ours.map(cpuRate), static: samples.static.map(cpuRate) };
  const wall = { ours: samples.ours.map(wallRate), static: samples.static.map(wallRate) };
  const ratios = cpu.ours.map((value, i) => value / (cpu.static[i] ?? Number.NaN));
  const pooled = (list: LoadSample[]) =>
    list.reduce((n, s) => n + s.requests, 0) / list.reduce((ms, s) => ms + s.cpuMs, 0);
  return {
    metric: 'axios_overhead_vs_static',
    ours: Math.round(median(cpu.ours)),
    baseline: Math.round(median(cpu.static)),
    ratio: round(pairedRatio(cpu.ours, cpu.static), 3),
    goal: 0.97,
    better: 'higher',
    unit: 'req/CPU-s',
    note: `${aa ? 'A/A RUN (static vs static): ' : ''}createWitboostAxios vs axios.create with a static Authorization header; GET to a node:http server in a child process (${placement(pinned, 'both clients', 'the server')}), ${CONCURRENCY} concurrent loops, keep-alive agents; each client in its own process, ${pairs} pairs of processes (which starts first alternating), each warmed up by ${warmup} requests, then ${rounds} windows of ${windowMs} ms with both clients at once; requests per second of client CPU time, ratio = median of ${ratios.length} per-window ratios (range ${round(Math.min(...ratios), 3)}–${round(Math.max(...ratios), 3)}; all windows pooled: ${round(pooled(samples.ours) / pooled(samples.static), 3)}); wall clock: ${Math.round(median(wall.ours))} vs ${Math.round(median(wall.static))} req/s, ratio ${round(pairedRatio(wall.ours, wall.static), 3)}`,
  };
}
