import { CliError } from './exit-codes.js';

const MAX_BYTES = 64 * 1024;

/**
 * The access token from standard input: its first line (or everything up to EOF), trimmed.
 * Refuses a terminal (the token would be echoed as it is typed) and gives up after
 * `timeoutMs` rather than waiting forever on a pipe nobody writes to.
 */
export function readTokenFromStdin(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean },
  timeoutMs: number,
): Promise<string> {
  if (stdin.isTTY === true) {
    return Promise.reject(
      new CliError(
        '--token-stdin reads a pipe or a file, not a terminal: e.g. `vault read … | wb-auth token --token-stdin`',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    let text = '';
    let size = 0;
    const finish = (error: CliError | undefined) => {
      clearTimeout(timer);
      stdin.removeListener('data', onData);
      stdin.removeListener('end', onEnd);
      stdin.removeListener('error', onError);
      stdin.pause();
      if (error !== undefined) return reject(error);
      const token = (text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '').trim();
      if (token === '') reject(new CliError('--token-stdin: standard input held no access token'));
      else resolve(token);
    };
    const onData = (chunk: Buffer | string) => {
      size += chunk.length;
      text += String(chunk);
      if (size > MAX_BYTES) {
        return finish(
          new CliError('--token-stdin: standard input is too large for an access token'),
        );
      }
      // A first complete non-blank line is enough: a pipe left open must not hang the command.
      if (/\S[^\n]*\n/.test(text)) finish(undefined);
    };
    const onEnd = () => finish(undefined);
    const onError = () => finish(new CliError('--token-stdin: standard input could not be read'));
    const timer = setTimeout(
      () =>
        finish(
          new CliError(
            `--token-stdin: no access token arrived on standard input within ${timeoutMs / 1000} s`,
          ),
        ),
      timeoutMs,
    );
    stdin.setEncoding?.('utf8');
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  });
}
