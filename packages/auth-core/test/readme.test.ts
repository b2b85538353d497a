import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterEach, expect, it, vi } from 'vitest';

let wb: WitboostMock | undefined;
let dir: string | undefined;

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await wb?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

it('the README quick start runs as written against the emulator', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const quickStart = readme.split('## Quick start')[1]?.match(/```ts\n([\s\S]*?)```/)?.[1];
  expect(quickStart).toContain("from '@wb/auth-core'");

  wb = await startWitboostMock({ port: 0 });
  vi.stubEnv('WITBOOST_BASE_URL', wb.url);
  vi.stubEnv('WITBOOST_ACCESS_TOKEN', wb.issueAccessToken());
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});

  // The block is imported as a module, so vitest resolves '@wb/auth-core' to this package's src.
  dir = await mkdtemp(join(tmpdir(), 'wb-readme-'));
  const file = join(dir, 'quick-start.ts');
  await writeFile(file, `${quickStart}\nexport {};\n`);
  await import(/* @vite-ignore */ pathToFileURL(file).href);

  expect(log.mock.calls[0]?.[0]).toBe(200);
  expect(log.mock.calls[0]?.[1]).toEqual(expect.any(Array));
  expect(log.mock.calls[1]).toEqual([200]);
  expect(wb.stats.exchanges.byScope).toEqual({
    '(none)': 1,
    'service:computational-governance': 1,
  });
});
