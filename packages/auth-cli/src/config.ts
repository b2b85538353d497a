import { type AccessTokenSource, fromFile, type WitboostAuthOptions } from '@wb/auth-core';
import { secondsOption } from './args.js';
import { CliError } from './exit-codes.js';
import type { ResolvedIo } from './io.js';
import { readTokenFromStdin } from './read-stdin.js';

/** The common option values, as `parseArgs` returns them. */
export interface CommonValues {
  'base-url'?: string | undefined;
  'token-file'?: string | undefined;
  'token-stdin'?: boolean | undefined;
  basic?: boolean | undefined;
  'cg-url'?: string | undefined;
  'allow-insecure-http'?: boolean | undefined;
  timeout?: string | undefined;
}

/** Everything a command needs to reach Witboost, from the environment and the common options. */
export interface CliConfig {
  baseUrl: string;
  mode: 'bearer' | 'basic';
  /** A Computational Governance origin of its own, if any. */
  cgUrl: string | undefined;
  allowInsecureHttp: boolean;
  /** Bound of one exchange or one check. */
  timeoutMs: number;
  /** A fixed token (environment, stdin) or a source re-read on change (file). */
  accessToken: string | AccessTokenSource;
  /** Where the token came from, for messages: never the token. */
  tokenLabel: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const CG_SCOPE = 'service:computational-governance';

function variable(env: ResolvedIo['env'], name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Reads the configuration: `WITBOOST_BASE_URL` (or `--base-url`), the access token from
 * `--token-stdin`, `--token-file`, `WITBOOST_ACCESS_TOKEN_FILE` or `WITBOOST_ACCESS_TOKEN` (first
 * found), the mode from `--basic` or `WITBOOST_AUTH_MODE`, a CG origin from `--cg-url` or
 * `WITBOOST_CG_URL`. Blank counts as missing. URLs are checked by core when they are used.
 */
export async function loadConfig(values: CommonValues, io: ResolvedIo): Promise<CliConfig> {
  const timeoutMs = secondsOption(values.timeout, 'timeout', DEFAULT_TIMEOUT_MS);
  const baseUrl = values['base-url']?.trim() || variable(io.env, 'WITBOOST_BASE_URL');
  if (baseUrl === undefined) {
    const blank = io.env.WITBOOST_BASE_URL !== undefined;
    throw new CliError(
      `WITBOOST_BASE_URL is ${blank ? 'blank' : 'not set'}: set it to your Witboost address, e.g. export WITBOOST_BASE_URL=https://witboost.example.com`,
    );
  }
  const modeVariable = variable(io.env, 'WITBOOST_AUTH_MODE')?.toLowerCase();
  if (modeVariable !== undefined && modeVariable !== 'bearer' && modeVariable !== 'basic') {
    throw new CliError("WITBOOST_AUTH_MODE must be 'bearer' or 'basic'");
  }
  const mode = values.basic === true ? 'basic' : ((modeVariable ?? 'bearer') as 'bearer' | 'basic');

  const { accessToken, tokenLabel } = await tokenFrom(values, io, timeoutMs);
  return {
    baseUrl,
    mode,
    cgUrl: values['cg-url']?.trim() || variable(io.env, 'WITBOOST_CG_URL'),
    allowInsecureHttp: values['allow-insecure-http'] === true,
    timeoutMs,
    accessToken,
    tokenLabel,
  };
}

async function tokenFrom(
  values: CommonValues,
  io: ResolvedIo,
  timeoutMs: number,
): Promise<{ accessToken: string | AccessTokenSource; tokenLabel: string }> {
  const file = values['token-file'];
  if (values['token-stdin'] === true && file !== undefined) {
    throw new CliError('give either --token-stdin or --token-file, not both');
  }
  if (values['token-stdin'] === true) {
    return { accessToken: await readTokenFromStdin(io.stdin, timeoutMs), tokenLabel: 'stdin' };
  }
  if (file !== undefined && file.trim() === '') throw new CliError('--token-file needs a path');
  const path = file ?? variable(io.env, 'WITBOOST_ACCESS_TOKEN_FILE');
  if (path !== undefined) {
    // Re-read when the file changes (a rotated Kubernetes secret): matters for `proxy`.
    const source = fromFile(path);
    return { accessToken: source, tokenLabel: source.description };
  }
  const token = variable(io.env, 'WITBOOST_ACCESS_TOKEN');
  if (token === undefined) {
    const blank = io.env.WITBOOST_ACCESS_TOKEN !== undefined;
    throw new CliError(
      `no access token: WITBOOST_ACCESS_TOKEN is ${blank ? 'blank' : 'not set'}; set it, or pass --token-file FILE or --token-stdin`,
    );
  }
  return { accessToken: token, tokenLabel: 'env WITBOOST_ACCESS_TOKEN' };
}

/** The access token itself, read once (for one-shot commands). */
export function readAccessToken(config: CliConfig): Promise<string> {
  return typeof config.accessToken === 'string'
    ? Promise.resolve(config.accessToken)
    : config.accessToken.getAccessToken();
}

/** Options of `createWitboostAuth` for this configuration. */
export function authOptions(
  config: CliConfig,
  extra: Partial<WitboostAuthOptions> = {},
): WitboostAuthOptions {
  return {
    baseUrl: config.baseUrl,
    accessToken: config.accessToken,
    mode: config.mode,
    allowInsecureHttp: config.allowInsecureHttp,
    ...(config.cgUrl === undefined ? {} : { origins: [{ url: config.cgUrl, scope: CG_SCOPE }] }),
    ...extra,
    refresh: { exchangeTimeoutMs: config.timeoutMs, ...extra.refresh },
  };
}

export { CG_SCOPE };
