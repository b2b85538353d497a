#!/usr/bin/env node
import { parseCliArgs, USAGE } from './cli-args.js';
import { EXCHANGE_PATH } from './constants.js';
import { startWitboostMock } from './start-witboost-mock.js';

async function main(): Promise<void> {
  let args: ReturnType<typeof parseCliArgs>;
  try {
    args = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`witboost-mock: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }

  const wb = await startWitboostMock(args.options);
  // Printing the token is the point of the CLI: it is a throwaway emulator credential.
  const accessToken = wb.issueAccessToken();
  const body = JSON.stringify({ access_token: accessToken });
  process.stdout.write(
    [
      `witboost-mock listening on ${wb.url}`,
      `  Basic auth: ${args.options.basicAuth ? 'on' : 'off'}, default JWT duration: ${args.options.defaultDurationSeconds} s`,
      '',
      `export WITBOOST_BASE_URL=${wb.url}`,
      `export WITBOOST_ACCESS_TOKEN=${accessToken}`,
      '',
      'Exchange it for a JWT:',
      `  curl -s -X POST ${wb.url}${EXCHANGE_PATH} -H 'Content-Type: application/json' -d '${body}'`,
      '',
      `Admin: ${wb.url}/__admin/stats (GET), /__admin/access-tokens, /__admin/faults, /__admin/reset (POST)`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  const stop = () => {
    wb.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `witboost-mock: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
