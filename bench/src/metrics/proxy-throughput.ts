import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { exchangeAccessToken } from '@wb/auth-core';
import type { BenchContext } from '../harness/context.js';
import type { BenchResult } from '../harness/result.js';
import { median, round } from '../harness/stats.js';
import {
  BARE_FORWARDER_SOURCE,
  type Listening,
  spawnListening,
  UPSTREAM_SOURCE,
} from '../workers/proxy-peers.js';
import { WB_AUTH_BIN } from './cli-token.js';

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');
const CONNECTIONS = 32;
const PATH = '/api/catalog/entities';

interface Load {
  rps: number;
  non2xx: number;
  errors: number;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** One window: autocannon's figures plus the CPU time the proxy process spent in it. */
async function measure(
  target: Listening,
  seconds: number,
): Promise<Load & { perCpuSecond: number }> {
  const pid = target.child.pid ?? 0;
  const before = cpuMs(pid);
  const load = await loadFor(target.url, seconds);
  const spent = Math.max(cpuMs(pid) - before, 10);
  return { ...load, perCpuSecond: (load.rps * seconds) / (spent / 1000) };
}

/** autocannon in a process of its own (so it does not share a core's event loop with ours). */
function loadFor(url: string, seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [AUTOCANNON, '--json', '-c', `${CONNECTIONS}`, '-d', `${seconds}`, url + PATH],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited ${code}`));
      const result = JSON.parse(out) as {
        requests: { average: number };
        non2xx: number;
        errors: number;
      };
      resolve({ rps: result.requests.average, non2xx: result.non2xx, errors: result.errors });
    });
  });
}

/**
 * `proxy_vs_bare_forwarder`: throughput of `wb-auth proxy` ÷ that of a minimal node:http
 * forwarder adding a constant `Authorization` header, both in front of the same `200 ok`
 * upstream, each loaded by its own autocannon process (32 connections), both at the same time.
 * Throughput is requests per second of the proxy process's CPU time: on this shared machine
 * wall-clock figures swing several-fold from one window to the next (they go in the note).
 * The ratio is the median of the per-round ratios.
 */
export async function proxyThroughputMetric(ctx: BenchContext): Promise<BenchResult> {
  const accessToken = ctx.wb.issueAccessToken();
  const processes: Listening[] = [];
  try {
    const upstream = await spawnListening(['-e', UPSTREAM_SOURCE], { WB_URL: ctx.wb.url });
    processes.push(upstream);
    const ours = await spawnListening([WB_AUTH_BIN, 'proxy'], {
      PATH: process.env.PATH,
      WITBOOST_BASE_URL: upstream.url,
      WITBOOST_ACCESS_TOKEN: accessToken,
    });
    processes.push(ours);
    const { jwt } = await exchangeAccessToken({ baseUrl: ctx.wb.url, accessToken });
    const bare = await spawnListening(['-e', BARE_FORWARDER_SOURCE], {
      UPSTREAM_URL: upstream.url,
      JWT: jwt,
    });
    processes.push(bare);

    const seconds = ctx.quick ? 2 : 4;
    await loadFor(ours.url, 1);
    await loadFor(bare.url, 1);
    const rounds = ctx.quick ? 2 : 10;
    const cpu = { ours: [] as number[], bare: [] as number[], ratios: [] as number[] };
    const wall = { ours: [] as number[], bare: [] as number[], ratios: [] as number[] };
    let failures = 0;
    for (let i = 0; i < rounds; i++) {
      // Both at once, each with its own autocannon: whatever the machine does now slows both.
      // Which one starts first alternates: an A/A run (bare against bare) showed the first
      // started ~6% behind the other.
      let o: Awaited<ReturnType<typeof measure>>;
      let r: typeof o;
      if (i % 2 === 0) [o, r] = await Promise.all([measure(ours, seconds), measure(bare, seconds)]);
      else [r, o] = await Promise.all([measure(bare, seconds), measure(ours, seconds)]);
      failures += o.non2xx + o.errors + r.non2xx + r.errors;
      cpu.ours.push(o.perCpuSecond);
      cpu.bare.push(r.perCpuSecond);
      cpu.ratios.push(o.perCpuSecond / r.perCpuSecond);
      wall.ours.push(o.rps);
      wall.bare.push(r.rps);
      wall.ratios.push(o.rps / r.rps);
    }
    if (failures > 0) throw new Error(`proxy bench: ${failures} requests failed or were not 2xx`);
    return {
      metric: 'proxy_vs_bare_forwarder',
      ours: round(median(cpu.ours), 0),
      baseline: round(median(cpu.bare), 0),
      ratio: round(median(cpu.ratios)),
      goal: 0.9,
      better: 'higher',
      unit: 'req/CPU-s',
      note: `${rounds} rounds of ${seconds} s, both proxies loaded at once by their own autocannon (${CONNECTIONS} connections, GET ${PATH}, 200-ok upstream); requests per CPU-second of the proxy process, per-round ratios ${cpu.ratios.map((x) => round(x, 2)).join(', ')}; wall-clock req/s ${round(median(wall.ours), 0)} vs ${round(median(wall.bare), 0)}, median ratio ${round(median(wall.ratios))}`,
    };
  } finally {
    for (const p of processes) p.stop();
  }
}
