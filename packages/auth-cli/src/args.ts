import { parseArgs } from 'node:util';
import { CliError } from './exit-codes.js';

/** One option as `parseArgs` describes it. */
interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
}
type OptionSpecs = Record<string, OptionSpec>;
type ValueOf<S> = S extends { type: 'string'; multiple: true }
  ? string[]
  : S extends { type: 'string' }
    ? string
    : boolean;
/** Option values by name, as `parseArgs` returns them for these specs. */
export type OptionValues<O> = { [K in keyof O]?: ValueOf<O[K]> | undefined };

/** Options every command accepts: where Witboost is and where the access token comes from. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  'base-url': { type: 'string' },
  'token-file': { type: 'string' },
  'token-stdin': { type: 'boolean' },
  basic: { type: 'boolean' },
  'cg-url': { type: 'string' },
  'allow-insecure-http': { type: 'boolean' },
  timeout: { type: 'string' },
} as const satisfies OptionSpecs;

const WHERE_TOKENS_GO =
  'pass it in WITBOOST_ACCESS_TOKEN, --token-file FILE or --token-stdin instead';

// Option names that could only mean "here is my secret".
const SECRET_OPTIONS = /^--?(?:token|access-token|access_token|jwt|password|pat)(?:=|$)/i;
// The `wbat-` prefix anywhere, or a compact JWS (`eyJ…` header, two dots).
const TOKEN_LIKE = /wbat-|eyJ[\w-]*\.[\w-]*\./;

/**
 * Refuses a credential given as an argument before anything else runs: `ps`, `/proc/<pid>/cmdline`
 * and shell history show arguments to others. The value is never echoed.
 */
export function refuseSecretArguments(argv: readonly string[]): void {
  for (const arg of argv) {
    if (SECRET_OPTIONS.test(arg)) {
      throw new CliError(
        `refusing ${arg.split('=')[0]}: a token on the command line is visible to other users in \`ps\`; ${WHERE_TOKENS_GO}`,
      );
    }
    if (TOKEN_LIKE.test(arg)) {
      throw new CliError(
        `refusing an argument that looks like an access token or a JWT: it would be visible to other users in \`ps\`; ${WHERE_TOKENS_GO}`,
      );
    }
  }
}

/** `parseArgs` in strict mode with the common options, turning its errors into usage errors. */
export function parseCommand<const O extends OptionSpecs>(
  command: string,
  argv: readonly string[],
  options: O,
  maxPositionals: number,
): { values: OptionValues<O & typeof COMMON_OPTIONS>; positionals: string[] } {
  let parsed: { values: unknown; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // Keep parseArgs' first sentence ("Unknown option '--x'"): option names only, no values.
    const first = (error as Error).message.split('. ')[0] ?? 'invalid arguments';
    throw new CliError(`${first}; see wb-auth ${command} --help`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new CliError(
      `too many arguments (takes ${maxPositionals}, got ${parsed.positionals.length}); see wb-auth ${command} --help`,
    );
  }
  return {
    values: parsed.values as OptionValues<O & typeof COMMON_OPTIONS>,
    positionals: parsed.positionals,
  };
}

/** A positive number of seconds from an option, in milliseconds. */
export function secondsOption(value: string | undefined, name: string, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new CliError(`--${name} must be a number of seconds between 0 and 86400`);
  }
  return Math.round(seconds * 1000);
}

/** An integer option within bounds. */
export function integerOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new CliError(`--${name} must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}
