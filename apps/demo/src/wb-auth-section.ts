/**
 * The `wb-auth` section: a token, a header, and curl through the proxy, all by running the
 * built bin as a shell script would.
 */
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Section, SectionContext } from './run.js';

const exec = promisify(execFile);
const bin = join(
  dirname(createRequire(import.meta.url).resolve('@wb/auth-cli/package.json')),
  'dist/cli.mjs',
);

async function run(ctx: SectionContext): Promise<void> {
  const { print: report, check } = ctx;
  // The token reaches the child through its environment, never its arguments.
  const env = {
    PATH: process.env.PATH,
    NO_COLOR: '1',
    WITBOOST_BASE_URL: ctx.baseUrl,
    WITBOOST_ACCESS_TOKEN: ctx.issueAccessToken('service-account:wb-auth'),
  };
  const wbAuth = (...args: string[]) => exec(process.execPath, [bin, ...args], { env });

  report.request('export JWT=$(wb-auth token)');
  const token = (await wbAuth('token', '--format', 'json')).stdout;
  const { expires_at: expiresAt, subject } = JSON.parse(token) as {
    expires_at: string;
    subject: string;
  };
  report.ok(`a JWT for ${subject}, expires ${expiresAt} (wb-auth token --format json)`);

  const cgUrl = `${ctx.baseUrl}/api/computational-governance/validate`;
  report.request('curl -H "Authorization: $(wb-auth header $URL)" $URL   # a CG URL');
  const header = (await wbAuth('header', cgUrl)).stdout.trim();
  check(header.startsWith('Bearer '), 'wb-auth header should print a Bearer value');
  const verdict = await fetch(cgUrl, {
    method: 'POST',
    headers: { authorization: header, 'content-type': 'application/json' },
    body: JSON.stringify({ policy: 'any' }),
  });
  check(verdict.status === 200, `the CG API answered ${verdict.status}`);
  report.ok('200: the header carried a JWT with scope service:computational-governance');

  report.request('wb-auth proxy --port 0');
  const proxy = spawn(process.execPath, [bin, 'proxy', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => proxy.on('close', resolve));
  ctx.defer(() => {
    proxy.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proxy.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    exited.then(() => reject(new Error('wb-auth proxy exited before listening')));
  });
  report.ok(`listening on ${url}`);

  report.request(`curl ${url}/api/catalog/entities   # no credentials on the command line`);
  let body: string;
  try {
    body = (await exec('curl', ['-sSf', `${url}/api/catalog/entities`])).stdout;
  } catch {
    report.info('curl is not installed: the same request with fetch');
    body = await (await fetch(`${url}/api/catalog/entities`)).text();
  }
  report.ok(`200, ${(JSON.parse(body) as unknown[]).length} entities through the proxy`);

  proxy.kill('SIGTERM');
  check((await exited) === 0, 'wb-auth proxy should exit 0 on SIGTERM');
  report.ok('SIGTERM: drained and exited 0');
}

export const wbAuthSection: Section = {
  title: 'wb-auth: credentials for shell scripts, and a local proxy',
  name: 'wb-auth CLI',
  run,
};
