import { invalidOption } from './errors.js';
import type { ToWitboostLoggerOptions, WitboostLogger } from './types.js';

type Level = keyof WitboostLogger;
type LogMethod = (message: unknown, ...rest: unknown[]) => void;

const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];
const isFunction = (value: unknown): value is LogMethod => typeof value === 'function';

/**
 * A {@link WitboostLogger} for any logger a Node service has. A pino-compatible one (pino,
 * console) is used as it is; a NestJS `Logger` / `LoggerService` gets one line per event,
 * `message {fields}`, debug lines at `verbose` (else `debug`, else dropped) and info at `log`.
 *
 * @param logger - The logger, or `undefined` for none.
 * @param options - See {@link ToWitboostLoggerOptions}.
 * @returns The logger to pass as `createWitboostAuth({ logger })`, or `undefined`.
 * @throws WitboostAuthError `invalid_options` when `logger` is neither kind.
 *
 * @example
 * ```ts
 * import { Logger } from '@nestjs/common';
 * import { createWitboostAuth, toWitboostLogger } from '@wb/auth-core';
 * const auth = createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   logger: toWitboostLogger(new Logger('WitboostAuth')),
 * });
 * ```
 */
export function toWitboostLogger(
  logger: unknown,
  options: ToWitboostLoggerOptions = {},
): WitboostLogger | undefined {
  if (logger === undefined) return undefined;
  const given = (logger ?? {}) as Partial<Record<Level | 'log' | 'verbose', unknown>>;
  const minimum = LEVELS.indexOf(
    Object.hasOwn(options, 'minLevel') ? (options.minLevel ?? 'debug') : 'debug',
  );
  let write: (level: Level, fields: object, message: string) => void;
  if (LEVELS.every((level) => isFunction(given[level]))) {
    write = (level, fields, message) => (given[level] as LogMethod).call(logger, fields, message);
  } else if (isFunction(given.log) && isFunction(given.warn) && isFunction(given.error)) {
    const method = {
      debug: given.verbose ?? given.debug,
      info: given.log,
      warn: given.warn,
      error: given.error,
    };
    write = (level, fields, message) => {
      const log = method[level];
      if (isFunction(log)) log.call(logger, `${message} ${JSON.stringify(fields)}`);
    };
  } else {
    invalidOption(
      'logger must be pino-compatible (debug, info, warn, error) or a NestJS LoggerService (log, warn, error)',
    );
  }
  const at =
    (level: Level) =>
    (fields: object, message = '') => {
      if (LEVELS.indexOf(level) >= minimum) write(level, fields, message);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
