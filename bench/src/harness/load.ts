/** One throughput sample. */
export interface LoadSample {
  requests: number;
  wallMs: number;
  /** CPU time of this process (user + system) over the sample. */
  cpuMs: number;
}

/**
 * Drives `request` from `concurrency` loops until `ms` have passed. A failed request is a
 * crash: the figure would be meaningless.
 */
export async function driveLoad(
  request: () => Promise<unknown>,
  concurrency: number,
  ms: number,
): Promise<LoadSample> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const deadline = start + ms;
  let requests = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      await request();
      requests++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const used = process.cpuUsage(cpu);
  return { requests, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

/** Requests per second of wall-clock time. */
export const wallRate = (s: LoadSample): number => (s.requests / s.wallMs) * 1000;
/** Requests per second of client CPU time: what the client could do with one core to itself. */
export const cpuRate = (s: LoadSample): number => (s.requests / s.cpuMs) * 1000;
