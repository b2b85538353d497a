import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

test('`pnpm start` without WITBOOST_* serves the app against the embedded emulator', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete env.WITBOOST_BASE_URL;
  delete env.WITBOOST_ACCESS_TOKEN;
  const child = spawn(tsx, ['src/main.ts'], { cwd: appDir, env });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  try {
    while (!/Listening on http:\/\/127\.0\.0\.1:\d+/.test(stdout)) await once(child.stdout, 'data');
    const url = /Listening on (\S+)/.exec(stdout)?.[1];

    const res = await fetch(`${url}/data-products`);

    expect(res.status).toBe(200);
    expect(stdout).toMatch(/^Embedded Witboost emulator at \S+, access token wbat-…\S{4}$/m);
    expect(stdout).not.toMatch(/wbat-\w{5}/);
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  }
});
