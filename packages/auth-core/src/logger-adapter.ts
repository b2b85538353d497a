import { WitboostAuthError } from './errors.js';
import type { WitboostLogger } from './types.js';

type Level = keyof WitboostLogger;
type LogMethod = (message: unknown, ...rest: unknown[]) => void;

/**
 * NestJS's `LoggerService` (what `new Logger()` from `@nestjs/common` is): message first;
 * `debug` and `verbose` optional.
 *
 * @example
 * ```ts
 * import type { MessageLogger } from '@wb/auth-core';
 * const logger: MessageLogger = { log: console.log, warn: console.warn, error: console.error };
 * ```
 */
export interface MessageLogger {
  log: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  debug?: LogMethod;
  verbose?: LogMethod;
}

/**
 * Options of {@link toWitboostLogger}.
 *
 * @example
 * ```ts
 * import type { ToWitboostLoggerOptions } from '@wb/auth-core';
 * const options: ToWitboostLoggerOptions = { minLevel: 'info' };
 * ```
 */
export interface ToWitboostLoggerOptions {
  /**
   * Lines below this level are dropped: `'info'` keeps per-request debug lines (cache lookups)
   * out of a logger nobody configured for them.
   * @default 'debug'
   */
  minLevel?: Level;
}

const LEVELS: readonly Level[] = ['debug', 'info', 'warn', 'error'];
const isFunction = (value: unknown): value is LogMethod => typeof value === 'function';

/**
 * A {@link WitboostLogger} for any logger a Node service has: a pino-compatible one (pino,
 * console: `debug`, `info`, `warn`, `error` taking an object and a message) is used as it is;
 * a NestJS `Logger` / `LoggerService` (`log`, `warn`, `error`, optional `debug`/`verbose`, taking
 * a message) gets one line per event, `message {fields}`, with debug lines at `verbose` (else
 * `debug`; dropped when it has neither) and info lines at `log`. Event fields never hold a secret.
 *
 * @param logger - the logger, or `undefined` for none
 * @param options - {@link ToWitboostLoggerOptions}
 * @returns the logger to pass as `createWitboostAuth({ logger })`, or `undefined`
 * @throws WitboostAuthError `invalid_options` when `logger` is neither kind
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
    throw new WitboostAuthError(
      'invalid_options',
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
