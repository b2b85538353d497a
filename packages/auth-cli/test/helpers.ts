import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The built bin: these tests run what users install (turbo builds this package first). */
export const BIN = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(BIN)) throw new Error(`build @wb/auth-cli first: ${BIN} is missing`);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A JWT, or an access token longer than its `wbat-…abcd` fingerprint. */
const SECRET_SHAPES = /eyJ[\w-]+\.[\w-]+\.[\w-]+|wbat-[\w-]{5,}/;

/** Only what the test passes: no WITBOOST_* (or proxy variable) of the machine leaks in. */
export function cleanEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...env };
}

/** Runs `wb-auth args…` as a child process; `stdin` is written then closed. */
export function runCli(
  args: readonly string[],
  env: Record<string, string | undefined>,
  stdin = '',
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => {
      // Every run, whatever the test checks: diagnostics never hold a JWT or a whole access
      // token, and only `token` and `header` may print a JWT on stdout.
      const printsCredential = args[0] === 'token' || args[0] === 'header';
      if (SECRET_SHAPES.test(stderr) || (!printsCredential && SECRET_SHAPES.test(stdout))) {
        reject(new Error(`a credential was printed by wb-auth ${args.join(' ')}`));
      } else resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

/** Every form in which `secret` must not appear: itself, without `wbat-`, as Basic, JSON-escaped. */
export function encodingsOf(secret: string): string[] {
  const bare = secret.replace(/^wbat-/, '');
  return [
    secret,
    bare,
    Buffer.from(`witboost:${secret}`).toString('base64'),
    Buffer.from(secret).toString('base64'),
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
  ];
}

/** Fails when any stream holds any encoding of any secret. */
export function expectNoSecret(streams: readonly string[], secrets: readonly string[]): void {
  for (const secret of secrets) {
    for (const form of encodingsOf(secret)) {
      for (const stream of streams)
        expect(stream.includes(form), `secret found: ${stream.slice(0, 200)}`).toBe(false);
    }
  }
}

/** A JWT anywhere in a text (its three base64url segments). */
export const JWT_PATTERN = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

/** Decoded (not verified) JWT payload. */
export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export interface RunningProxy {
  url: string;
  port: number;
  child: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Starts `wb-auth proxy args…` and waits for its `listening on` line (or its exit). */
export function startProxy(
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<RunningProxy | CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'proxy', ...args], { env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    let started = false;
    const exited = new Promise<number | null>((done) => child.on('close', done));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      const match = /listening on (http:\/\/\S+)\n/.exec(stdout);
      if (match && !started) {
        started = true;
        const url = match[1] ?? '';
        resolve({ url, port: Number(new URL(url).port), child, stderr: () => stderr, exited });
      }
    });
    child.on('error', reject);
    exited.then((code) => {
      if (!started) resolve({ code, stdout, stderr });
    });
  });
}

export function isRunning(p: RunningProxy | CliResult): p is RunningProxy {
  return 'child' in p;
}
