/**
 * Drives `request` from `concurrency` loops until `ms` have passed and returns completed
 * requests per second. A failed request is a crash: the figure would be meaningless.
 */
export async function requestsPerSecond(
  request: () => Promise<unknown>,
  concurrency: number,
  ms: number,
): Promise<number> {
  const start = performance.now();
  const deadline = start + ms;
  let done = 0;
  const loop = async () => {
    while (performance.now() < deadline) {
      await request();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return (done / (performance.now() - start)) * 1000;
}
