import { PACKAGE_NAME } from './constants.js';
import type { IssueAccessTokenOptions, WitboostMockOptions } from './types.js';

export interface ResolvedOptions {
  port: number;
  host: string;
  basicAuth: boolean;
  defaultDurationSeconds: number;
  issuer: string | undefined;
}

function fail(message: string): never {
  throw new TypeError(`[${PACKAGE_NAME}] ${message}`);
}

/** Validates {@link WitboostMockOptions} eagerly and fills in the defaults. */
export function resolveOptions(options: WitboostMockOptions = {}): ResolvedOptions {
  const {
    port = 0,
    host = '127.0.0.1',
    basicAuth = false,
    defaultDurationSeconds = 300,
    issuer,
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail('port must be an integer between 0 and 65535');
  }
  if (typeof host !== 'string' || host === '') fail('host must be a non-empty string');
  if (typeof basicAuth !== 'boolean') fail('basicAuth must be a boolean');
  if (!Number.isSafeInteger(defaultDurationSeconds) || defaultDurationSeconds < 1) {
    fail('defaultDurationSeconds must be an integer >= 1');
  }
  if (issuer !== undefined && (typeof issuer !== 'string' || issuer === '')) {
    fail('issuer must be a non-empty string');
  }
  return { port, host, basicAuth, defaultDurationSeconds, issuer };
}

/** Validates {@link IssueAccessTokenOptions}. */
export function checkIssueOptions(options: IssueAccessTokenOptions): void {
  const { expiresInSeconds, subject } = options;
  if (
    expiresInSeconds !== undefined &&
    (typeof expiresInSeconds !== 'number' ||
      !Number.isFinite(expiresInSeconds) ||
      expiresInSeconds <= 0)
  ) {
    fail('issueAccessToken: expiresInSeconds must be a number > 0');
  }
  if (subject !== undefined && (typeof subject !== 'string' || subject === '')) {
    fail('issueAccessToken: subject must be a non-empty string');
  }
}

/** The URL clients use to reach a server bound to `host`. */
export function urlFor(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
