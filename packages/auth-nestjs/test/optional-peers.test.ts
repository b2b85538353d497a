import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { useEmulator } from './support.js';

const env = useEmulator();
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

it('a fetch-only service runs where axios, @nestjs/axios and @wb/auth-axios are not installed', async () => {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', tsx, '--import', fixture('hide-optional-peers.mjs'), fixture('fetch-only-app.ts')],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      env: { ...process.env, WB_URL: env.wb.url, WB_ACCESS_TOKEN: env.wb.issueAccessToken() },
      timeout: 60_000,
    },
  );

  expect(JSON.parse(stdout)).toEqual({
    axiosImport: { code: 'ERR_MODULE_NOT_FOUND', message: expect.stringContaining("'axios'") },
    status: 200,
    axiosAccess: {
      code: 'invalid_options',
      message: expect.stringContaining('needs the optional peers axios and @wb/auth-axios'),
    },
    httpService: {
      code: undefined,
      message: expect.stringContaining('install @nestjs/axios, axios and @wb/auth-axios'),
    },
  });
  expect(env.wb.stats.protectedRequests.ok).toBe(1);
});
