/**
 * Where a command writes: `process.stdout` and friends, or anything that looks like them.
 *
 * @example
 * ```ts
 * import { run, type CliWritable } from '@wb/auth-cli';
 * const lines: string[] = [];
 * const capture: CliWritable = { write: (s: string) => lines.push(s) };
 * await run(['doctor'], { stdout: capture, stderr: capture });
 * ```
 */
export interface CliWritable {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

/**
 * The process around {@link run}: streams, environment and a stop signal. Every field is
 * optional and defaults to the current process.
 *
 * @example
 * ```ts
 * import { run, type CliIo } from '@wb/auth-cli';
 * let out = '';
 * const io: CliIo = { stdout: { write: (s: string) => (out += s) }, env: { ...process.env } };
 * await run(['token', '--format', 'json'], io);
 * ```
 */
export interface CliIo {
  /** Receives the command's result (the JWT for `token`). @default process.stdout */
  stdout?: CliWritable;
  /** Receives diagnostics; never a secret. @default process.stderr */
  stderr?: CliWritable;
  /** Read by `--token-stdin`. @default process.stdin */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Configuration variables (`WITBOOST_BASE_URL`, …). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Stops a running `proxy` (it drains in-flight requests first), like SIGTERM does for the bin. */
  signal?: AbortSignal;
}

/** {@link CliIo} with every default filled in. */
export interface ResolvedIo {
  stdout: CliWritable;
  stderr: CliWritable;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal | undefined;
}

export function resolveIo(io: CliIo | undefined): ResolvedIo {
  return {
    stdout: io?.stdout ?? process.stdout,
    stderr: io?.stderr ?? process.stderr,
    stdin: io?.stdin ?? process.stdin,
    env: io?.env ?? process.env,
    signal: io?.signal,
  };
}

/** Colour only for a terminal, and never when `NO_COLOR` is set to anything (no-color.org). */
export function colorizer(stream: CliWritable, env: ResolvedIo['env']) {
  const on = stream.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
  const paint = (code: number) => (text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { green: paint(32), red: paint(31), yellow: paint(33), dim: paint(2), bold: paint(1) };
}
