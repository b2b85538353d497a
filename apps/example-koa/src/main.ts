import { createExampleApp } from './app.js';
import { runKoaExample } from './run-example.js';
import { resolveTarget, type Target } from './target.js';

/** `--once`: the scripted calls of run-example, then exit. */
async function runOnce(target: Target): Promise<void> {
  try {
    await runKoaExample({ ...target, log: console.log });
  } finally {
    await target.close();
  }
}

/** Serves until SIGINT/SIGTERM, then closes the server, the identities and the emulator. */
function serve(target: Target): void {
  const { app, close } = createExampleApp(target);
  const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
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

try {
  const target = await resolveTarget(process.env);
  console.log(target.description);
  if (process.argv.includes('--once')) await runOnce(target);
  else serve(target);
} catch (error) {
  console.error(`Failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
