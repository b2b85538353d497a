import { createWitboostAuth } from '@wb/auth-core';
import { integerOption, parseCommand } from '../args.js';
import { authOptions, loadConfig } from '../config.js';
import { CliError, EXIT_OK, type ExitCode } from '../exit-codes.js';
import type { ResolvedIo } from '../io.js';

/** `wb-auth header <url>`: the Authorization value core gives that URL, or exit 2. */
export async function headerCommand(argv: readonly string[], io: ResolvedIo): Promise<ExitCode> {
  const { values, positionals } = parseCommand('header', argv, { duration: { type: 'string' } }, 1);
  const url = positionals[0];
  if (url === undefined || url.trim() === '') {
    throw new CliError(
      'give the URL to call, e.g. wb-auth header "$WITBOOST_BASE_URL/api/catalog/entities"',
    );
  }
  const durationSeconds = integerOption(values.duration, 'duration', 1, 2_000_000);
  const config = await loadConfig(values, io);
  // One attempt, like `token`: a script decides whether to retry on exit 3.
  const auth = createWitboostAuth(
    authOptions(config, {
      ...(durationSeconds === undefined ? {} : { durationSeconds }),
      refresh: { maxAttempts: 1 },
    }),
  );
  try {
    if (!auth.isWitboostUrl(url)) {
      const origins = [config.baseUrl, config.cgUrl].filter(Boolean).join(', ');
      throw new CliError(
        `${describeOrigin(url)} is not a Witboost origin (${origins}): no credential goes there`,
      );
    }
    const authorization = await auth.authorizationFor(url);
    if (authorization === undefined) throw new CliError('no credential for this URL');
    io.stdout.write(`${authorization}\n`);
    return EXIT_OK;
  } finally {
    await auth.close();
  }
}

/** The origin only: a path or query could carry something private. */
function describeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? `a ${parsed.protocol} URL` : parsed.origin;
  } catch {
    return 'this URL';
  }
}
