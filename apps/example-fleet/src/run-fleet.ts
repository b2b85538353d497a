import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { hasRedisServer, type RedisServer, startRedisServer } from '@wb/redis-harness';

/** What {@link runFleetExample} needs: a Witboost, and where the example's lines go. */
export interface FleetExampleOptions {
  baseUrl: string;
  accessToken: string;
  /** A caller's PAT for the on-behalf-of route (the emulator mints them); none: service only. */
  issueCallerToken?: () => string;
  /** Your Redis; else a throwaway `redis-server` when it is on the PATH. */
  redisUrl?: string;
  /** @default 3 */
  replicas?: number;
  /** @default 4 */
  callers?: number;
  log?: (line: string) => void;
}

/** What the fleet did. `identities`: the service plus each caller. */
export interface FleetSummary {
  replicas: number;
  identities: number;
  requests: number;
  failed: number;
  /** Exchanges all replicas made together: about `identities`, not `replicas × identities`. */
  exchanges: number;
}

const REPLICA = fileURLToPath(new URL('./replica.ts', import.meta.url));

/**
 * Starts `replicas` processes of the Express service on one Redis, sends every identity's first
 * request to every replica at the same moment, and counts the exchanges. Resolves `undefined`
 * (and says why) when there is no Redis to use.
 *
 * @example
 * ```ts
 * import { runFleetExample } from '@wb/example-fleet';
 * const summary = await runFleetExample({ baseUrl, accessToken, log: console.log });
 * ```
 */
export async function runFleetExample(
  options: FleetExampleOptions,
): Promise<FleetSummary | undefined> {
  const log = options.log ?? console.log;
  const count = options.replicas ?? 3;
  let redis: RedisServer | undefined;
  let redisUrl = options.redisUrl;
  if (redisUrl === undefined) {
    if (!hasRedisServer()) {
      log(
        'redis-server is not on the PATH (e.g. apt-get install redis-server), and REDIS_URL is not set: skipped',
      );
      return undefined;
    }
    redis = await startRedisServer();
    redisUrl = redis.url;
    log(`a throwaway redis-server at ${redisUrl} (persistence off)`);
  }
  const children: ChildProcess[] = [];
  try {
    const env = {
      ...process.env,
      WITBOOST_BASE_URL: options.baseUrl,
      WITBOOST_ACCESS_TOKEN: options.accessToken,
      REDIS_URL: redisUrl,
    };
    const urls = await Promise.all(
      Array.from({ length: count }, () => {
        const child = spawn(process.execPath, ['--import', 'tsx', REPLICA], {
          env,
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        children.push(child);
        return listeningUrl(child);
      }),
    );
    log(`${count} replicas of the Express service: ${urls.join(', ')}`);
    const callers =
      options.issueCallerToken === undefined
        ? []
        : Array.from({ length: options.callers ?? 4 }, options.issueCallerToken);
    // Every identity's first request reaches every replica at once: the cold start of a fleet.
    const requests = urls.flatMap((url) => [
      fetch(`${url}/data-products`),
      ...callers.map((pat) =>
        fetch(`${url}/me/data-products`, { headers: { 'x-witboost-access-token': pat } }),
      ),
    ]);
    const answers = await Promise.all(requests);
    await Promise.all(answers.map((a) => a.arrayBuffer()));
    const failed = answers.filter((a) => a.status !== 200).length;
    const exchanges = (
      await Promise.all(
        urls.map(
          async (url) =>
            ((await (await fetch(`${url}/exchanges`)).json()) as { exchanges: number }).exchanges,
        ),
      )
    ).reduce((a, b) => a + b, 0);
    const identities = 1 + callers.length;
    log(
      `${answers.length} requests (${identities} identities × ${count} replicas), ${failed} failed`,
    );
    log(
      `${exchanges} exchanges for ${identities} identities; without the shared store: ${identities * count}`,
    );
    return { replicas: count, identities, requests: answers.length, failed, exchanges };
  } finally {
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
    );
    await redis?.stop();
  }
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(
      () => reject(new Error('a replica did not start within 60 s')),
      60_000,
    );
    lines.on('line', (line) => {
      const url = /listening on (\S+)/.exec(line)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`a replica exited with ${code}`)));
  });
}
