import { createServer } from 'node:http';
import type { ExampleDefinition } from './example.js';
import { runExample } from './run-example.js';
import { resolveTarget, type Target } from './target.js';

/** `--once`: the scripted calls of run-example, then exit. */
async function runOnce(example: ExampleDefinition, target: Target): Promise<void> {
  try {
    await runExample(example, { ...target, log: console.log });
  } finally {
    await target.close();
  }
}

/** Serves until SIGINT/SIGTERM, then closes the server, the identities and the emulator. */
function serve(example: ExampleDefinition, target: Target): void {
  const { listener, close } = example.createApp(target);
  const server = createServer(listener);
  server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    console.log(`Listening on http://127.0.0.1:${port}`);
    console.log('  GET  /data-products       service identity');
    console.log(
      '  POST /policies/validate   service identity, CG scope; the JSON body is forwarded',
    );
    console.log(
      '  GET  /me/data-products    on behalf of the caller: its PAT in X-Witboost-Access-Token',
    );
    if (target.emulator) {
      console.log(
        `A caller PAT from the emulator: curl -s -X POST ${target.baseUrl}/__admin/access-tokens`,
      );
    }
  });
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void close().then(() => target.close());
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/**
 * An example's `pnpm start`: picks the target (a real Witboost from `WITBOOST_BASE_URL` and
 * `WITBOOST_ACCESS_TOKEN`, else the embedded emulator), then serves on `PORT` (default 3000,
 * 127.0.0.1) until SIGINT/SIGTERM, or with `--once` runs the scripted tour and returns. A failure
 * is printed (never a secret) and sets the exit code to 1.
 *
 * @param example - the example service
 * @param argv - the command line @default process.argv
 * @example
 * ```ts
 * import { runMain } from '@wb/example-support';
 * import { expressExample } from './run-example.js';
 * await runMain(expressExample);
 * ```
 */
export async function runMain(
  example: ExampleDefinition,
  argv: readonly string[] = process.argv,
): Promise<void> {
  try {
    const target = await resolveTarget(process.env);
    console.log(target.description);
    if (argv.includes('--once')) await runOnce(example, target);
    else serve(example, target);
  } catch (error) {
    console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
