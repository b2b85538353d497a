import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';

const tsx = fileURLToPath(new URL('../../../../node_modules/.bin/tsx', import.meta.url));

/**
 * An example's `pnpm start` as a child process (`tsx src/main.ts` in `appDir`): `--once` against
 * the embedded emulator exits 0 without printing a secret, serving stops on SIGTERM, and one of
 * the two Witboost variables alone is a configuration error.
 *
 * @param framework - the framework's name, as the log lines print it
 * @param appDir - the example's directory
 * @example
 * ```ts
 * import { describeMain } from '@wb/example-support/testing';
 * describeMain('Koa', fileURLToPath(new URL('..', import.meta.url)));
 * ```
 */
export function describeMain(framework: string, appDir: string): void {
  describe(`the ${framework} example's main`, () => {
    function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
      const env = { ...process.env };
      delete env.WITBOOST_BASE_URL;
      delete env.WITBOOST_ACCESS_TOKEN;
      delete env.WITBOOST_CALLER_ACCESS_TOKEN;
      return { ...env, ...extra };
    }

    let child: ChildProcess | undefined;
    afterEach(() => {
      if (child?.exitCode === null) child.kill('SIGKILL');
      child = undefined;
    });

    test('`pnpm start --once` runs the example against the embedded emulator and exits 0', async () => {
      const { code, stdout, stderr } = await new Promise<{
        code: number | string | null | undefined;
        stdout: string;
        stderr: string;
      }>((resolve) => {
        execFile(
          tsx,
          ['src/main.ts', '--once'],
          { cwd: appDir, env: cleanEnv(), timeout: 20_000 },
          (error, out, err) => resolve({ code: error ? error.code : 0, stdout: out, stderr: err }),
        );
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(
        /^Embedded Witboost emulator at http:\/\/127\.0\.0\.1:\d+, access token wbat-…\S{4}$/m,
      );
      expect(stdout).toContain(
        'POST /policies/validate (service, CG scope) -> invoices satisfies require-owner',
      );
      expect(stdout).toContain(
        `${framework} app requests: 6, token exchanges: (none) x2, service:computational-governance x1`,
      );
      expect(stdout).not.toMatch(/wbat-\w|eyJ/);
    });

    test('`pnpm start` serves until SIGTERM', async () => {
      child = spawn(tsx, ['src/main.ts'], { cwd: appDir, env: cleanEnv({ PORT: '0' }) });
      let stdout = '';
      const listening = new Promise<string>((resolve) => {
        child?.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
          if (match?.[1]) resolve(match[1]);
        });
      });
      const url = await listening;
      const res = await fetch(`${url}/data-products`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as unknown[]).length).toBe(2);
      expect(stdout).toContain('GET  /me/data-products    on behalf of the caller');
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
    });

    test('one of the two variables alone is a configuration error', async () => {
      const { code, stderr } = await new Promise<{ code: unknown; stderr: string }>((resolve) => {
        execFile(
          tsx,
          ['src/main.ts', '--once'],
          {
            cwd: appDir,
            env: cleanEnv({ WITBOOST_BASE_URL: 'https://witboost.example.com' }),
            timeout: 20_000,
          },
          (error, _out, err) => resolve({ code: error ? error.code : 0, stderr: err }),
        );
      });
      expect(code).toBe(1);
      expect(stderr).toContain('Set both WITBOOST_BASE_URL and WITBOOST_ACCESS_TOKEN, or neither');
    });
  });
}
