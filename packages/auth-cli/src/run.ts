import packageJson from '../package.json' with { type: 'json' };
import { refuseSecretArguments } from './args.js';
import { CliError, EXIT_OK, EXIT_USAGE, type ExitCode } from './exit-codes.js';
import { HELP } from './help.js';
import { type CliIo, type ResolvedIo, resolveIo } from './io.js';

/** A command's entry point: its arguments (without the command name) → exit status. */
export type CommandMain = (argv: readonly string[], io: ResolvedIo) => Promise<ExitCode>;

// Each command loads on demand, and with it core: `--help` and `--version` load neither, and
// `token` never parses the proxy's or the doctor's code.
const COMMANDS: Record<string, () => Promise<CommandMain>> = {
  token: async () => (await import('./commands/token.js')).tokenCommand,
  header: async () => (await import('./commands/header.js')).headerCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  proxy: async () => (await import('./commands/proxy.js')).proxyCommand,
};

/**
 * Runs `wb-auth` with `argv` (the arguments after the program name) and returns the exit status;
 * never throws, never calls `process.exit`. The `wb-auth` bin is this function wired to the
 * process. For `proxy`, the promise settles when the proxy has stopped (`io.signal`).
 *
 * @param argv - e.g. `['token', '--format', 'json']`.
 * @param io - streams, environment and stop signal; the current process's by default.
 * @returns 0 ok, 1 credentials rejected, 2 usage or configuration error, 3 Witboost unreachable.
 *
 * @example
 * ```ts
 * import { run } from '@wb/auth-cli';
 * let jwt = '';
 * const code = await run(['token'], { stdout: { write: (s: string) => (jwt += s) } });
 * if (code === 0) console.log('got a JWT of', jwt.trim().length, 'characters');
 * ```
 */
export async function run(argv: readonly string[], io?: CliIo): Promise<ExitCode> {
  const resolved = resolveIo(io);
  const [command, ...rest] = argv;
  try {
    refuseSecretArguments(argv);
    if (command === '--version' || command === '-v') {
      resolved.stdout.write(`${packageJson.version}\n`);
      return EXIT_OK;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      (command === undefined ? resolved.stderr : resolved.stdout).write(
        HELP[topic !== undefined && topic in COMMANDS ? topic : 'main'] ?? '',
      );
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (load === undefined) {
      throw new CliError(
        `unknown command; the commands are ${Object.keys(COMMANDS).join(', ')} (wb-auth --help)`,
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      resolved.stdout.write(HELP[command] ?? '');
      return EXIT_OK;
    }
    const main = await load();
    return await main(rest, resolved);
  } catch (error) {
    const { reportError } = await import('./report-error.js');
    return reportError(resolved, command ?? '', error);
  }
}
