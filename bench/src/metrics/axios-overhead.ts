import { Agent } from 'node:http';
import { createWitboostAxios } from '@wb/auth-axios';
import { createWitboostAuth } from '@wb/auth-core';
import axios from 'axios';
import type { BenchContext } from '../harness/context.js';
import { cpuRate, driveLoad, type LoadSample, wallRate } from '../harness/load.js';
import { startLoopbackServer } from '../harness/loopback-server.js';
import { pairedRatio } from '../harness/ops.js';
import type { BenchResult } from '../harness/result.js';
import { median, round } from '../harness/stats.js';

const CONCURRENCY = 16;

/**
 * `axios_overhead_vs_static`: throughput of `createWitboostAxios` ÷ throughput of plain axios
 * with a static `Authorization` header, against the same loopback server at the same concurrency,
 * each client with its own keep-alive agent, in alternating rounds. Throughput is requests per
 * second of the client's CPU time (the server runs in another process): on a shared machine
 * wall-clock throughput swings several-fold within seconds, CPU time per request does not, and
 * it is exactly what the adapter adds. Wall-clock figures go in the note.
 */
export async function axiosOverheadMetric(ctx: BenchContext): Promise<BenchResult> {
  const { wb } = ctx;
  const server = await startLoopbackServer();
  // The emulator issues the JWT; the loopback server is an extra credential-receiving origin.
  const auth = createWitboostAuth({
    baseUrl: wb.url,
    accessToken: wb.issueAccessToken(),
    durationSeconds: 3600,
    origins: [server.url],
  });
  const oursAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const staticAgent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  try {
    const jwt = await auth.getToken();
    const ours = createWitboostAxios({ auth, httpAgent: oursAgent });
    const plain = axios.create({
      httpAgent: staticAgent,
      headers: { Authorization: `Bearer ${jwt}` },
    });
    const url = `${server.url}/api/ping`;

    // Both clients must really send a Bearer header, or the comparison is void.
    for (const [name, client] of [
      ['ours', ours],
      ['static', plain],
    ] as const) {
      const seen = await client.get<string>(`${server.url}/whoami`, { responseType: 'text' });
      if (seen.data !== 'Bearer') throw new Error(`axios overhead: ${name} sent no Bearer header`);
    }

    const rounds = ctx.quick ? 4 : 16;
    const sampleMs = ctx.quick ? 200 : 350;
    const oursRun = () => driveLoad(() => ours.get(url), CONCURRENCY, sampleMs);
    const plainRun = () => driveLoad(() => plain.get(url), CONCURRENCY, sampleMs);
    await oursRun();
    await plainRun();
    const oursSamples: LoadSample[] = [];
    const plainSamples: LoadSample[] = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate who goes first: the second sample of a round runs on a slightly warmer heap.
      if (r % 2 === 0) {
        oursSamples.push(await oursRun());
        plainSamples.push(await plainRun());
      } else {
        plainSamples.push(await plainRun());
        oursSamples.push(await oursRun());
      }
    }
    const oursCpu = oursSamples.map(cpuRate);
    const plainCpu = plainSamples.map(cpuRate);
    const oursWall = median(oursSamples.map(wallRate));
    const plainWall = median(plainSamples.map(wallRate));
    const wallRatio = pairedRatio(oursSamples.map(wallRate), plainSamples.map(wallRate));
    return {
      metric: 'axios_overhead_vs_static',
      ours: Math.round(median(oursCpu)),
      baseline: Math.round(median(plainCpu)),
      ratio: round(pairedRatio(oursCpu, plainCpu), 3),
      goal: 0.97,
      better: 'higher',
      unit: 'req/CPU-s',
      note: `createWitboostAxios vs axios.create with a static Authorization header; GET to a node:http server in a child process, ${CONCURRENCY} concurrent loops, keep-alive agents; requests per second of client CPU time, medians of ${rounds} alternating rounds, ratio = median of per-round ratios; wall clock: ${Math.round(oursWall)} vs ${Math.round(plainWall)} req/s, ratio ${round(wallRatio, 3)}`,
    };
  } finally {
    oursAgent.destroy();
    staticAgent.destroy();
    await auth.close();
    await server.close();
  }
}
