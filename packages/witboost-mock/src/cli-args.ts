import { parseArgs } from 'node:util';
import type { WitboostMockOptions } from './types.js';

export const USAGE = `Usage: witboost-mock [options]

A local emulator of the Witboost authentication surface.

Options:
  --port <n>              port to listen on, 0 = any free port (default 7007)
  --host <host>           interface to bind (default 127.0.0.1)
  --basic-auth            accept Basic witboost:<access token> (off by default, as on Witboost)
  --default-duration <s>  JWT lifetime when the exchange asks for none (default 300)
  -h, --help              show this help
`;

export type CliArgs = { help: true } | { help: false; options: WitboostMockOptions };

function integer(flag: string, value: string, min: number, max: number): number {
  const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
    throw new Error(`${flag} must be an integer between ${min} and ${max}`);
  }
  return parsed;
}

/**
 * Parses the CLI flags.
 * @throws Error with a user-facing message on unknown or invalid flags
 */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', default: '7007' },
      host: { type: 'string', default: '127.0.0.1' },
      'basic-auth': { type: 'boolean', default: false },
      'default-duration': { type: 'string', default: '300' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return { help: true };
  if (values.host === '') throw new Error('--host must not be empty');
  return {
    help: false,
    options: {
      port: integer('--port', values.port, 0, 65535),
      host: values.host,
      basicAuth: values['basic-auth'],
      defaultDurationSeconds: integer('--default-duration', values['default-duration'], 1, 2 ** 31),
    },
  };
}
