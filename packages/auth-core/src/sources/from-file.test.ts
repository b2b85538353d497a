import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromFile, WitboostAuthError } from '@wb/auth-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { caught, expectNoSecret, sampleAccessToken } from '../../test/support/expect-no-secret.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wb-from-file-'));
});

afterEach(async () => {
  vi.useRealTimers();
  await rm(dir, { recursive: true, force: true });
});

/** Lays out a secret volume the way the kubelet does: token -> ..data/token, ..data -> ..<ts>. */
async function kubernetesSecret(token: string): Promise<string> {
  await mkdir(join(dir, '..2024_01_01'));
  await writeFile(join(dir, '..2024_01_01', 'token'), token);
  await symlink('..2024_01_01', join(dir, '..data'));
  await symlink(join('..data', 'token'), join(dir, 'token'));
  return join(dir, 'token');
}

/** The kubelet's atomic update: new timestamped dir, then rename a fresh symlink over ..data. */
async function rotateKubernetesSecret(token: string): Promise<void> {
  await mkdir(join(dir, '..2024_01_02'));
  await writeFile(join(dir, '..2024_01_02', 'token'), token);
  await symlink('..2024_01_02', join(dir, '..data_tmp'));
  await rename(join(dir, '..data_tmp'), join(dir, '..data'));
  await rm(join(dir, '..2024_01_01'), { recursive: true });
}

describe('fromFile', () => {
  it('reads and trims the file, and describes itself by path only', async () => {
    const token = sampleAccessToken();
    const path = join(dir, 'token');
    await writeFile(path, `${token}\n`);
    const source = fromFile(path);
    expect(source.description).toBe(`file ${path}`);
    await expect(source.getAccessToken()).resolves.toBe(token);
    expectNoSecret(source, [token]);
  });

  it('accepts a file: URL', async () => {
    const path = join(dir, 'token');
    await writeFile(path, 'wbat-from-url');
    await expect(fromFile(pathToFileURL(path)).getAccessToken()).resolves.toBe('wbat-from-url');
  });

  it('re-reads the file when it is rewritten', async () => {
    const path = join(dir, 'token');
    await writeFile(path, 'wbat-first');
    const source = fromFile(path, { checkIntervalMs: 0 });
    await expect(source.getAccessToken()).resolves.toBe('wbat-first');
    await writeFile(path, 'wbat-second-longer');
    await expect(source.getAccessToken()).resolves.toBe('wbat-second-longer');
  });

  it('follows a Kubernetes ..data symlink swap', async () => {
    const first = sampleAccessToken('a');
    const second = sampleAccessToken('b');
    expect(second.length).toBe(first.length);
    const source = fromFile(await kubernetesSecret(first), { checkIntervalMs: 0 });
    await expect(source.getAccessToken()).resolves.toBe(first);
    await rotateKubernetesSecret(second);
    await expect(source.getAccessToken()).resolves.toBe(second);
  });

  it('looks at the file at most once per checkIntervalMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const path = join(dir, 'token');
    await writeFile(path, 'wbat-first');
    const source = fromFile(path, { checkIntervalMs: 1000 });
    await expect(source.getAccessToken()).resolves.toBe('wbat-first');
    await rm(path);
    await writeFile(path, 'wbat-second');
    vi.advanceTimersByTime(999);
    await expect(source.getAccessToken()).resolves.toBe('wbat-first');
    vi.advanceTimersByTime(1);
    await expect(source.getAccessToken()).resolves.toBe('wbat-second');
  });

  it('shares one read between concurrent callers', async () => {
    const path = join(dir, 'token');
    await writeFile(path, 'wbat-shared');
    const source = fromFile(path);
    const [a, b] = [source.getAccessToken(), source.getAccessToken()];
    expect(a).toBe(b);
    await expect(a).resolves.toBe('wbat-shared');
  });

  it('fails with token_source_failed naming the path when the file is missing', async () => {
    const path = join(dir, 'absent');
    const error = await caught(() => fromFile(path).getAccessToken());
    expect(error).toBeInstanceOf(WitboostAuthError);
    expect((error as WitboostAuthError).code).toBe('token_source_failed');
    expect((error as Error).message).toContain(path);
    expect((error as Error).message).toContain('ENOENT');
  });

  it('fails again (not with a stale token) after the file disappears', async () => {
    const token = sampleAccessToken();
    const path = join(dir, 'token');
    await writeFile(path, token);
    const source = fromFile(path, { checkIntervalMs: 0 });
    await source.getAccessToken();
    await rm(path);
    const error = await caught(() => source.getAccessToken());
    expect((error as WitboostAuthError).code).toBe('token_source_failed');
    expectNoSecret(error, [token]);
  });

  it('fails with missing_access_token for an empty file', async () => {
    const path = join(dir, 'token');
    await writeFile(path, ' \n');
    const error = await caught(() => fromFile(path).getAccessToken());
    expect((error as WitboostAuthError).code).toBe('missing_access_token');
    expect((error as Error).message).toContain(path);
  });

  it('refuses a directory and an oversized file without printing content', async () => {
    const big = join(dir, 'big');
    const content = `wbat-${'x'.repeat(70_000)}`;
    await writeFile(big, content);
    const tooLarge = await caught(() => fromFile(big).getAccessToken());
    expect((tooLarge as WitboostAuthError).code).toBe('token_source_failed');
    expectNoSecret(tooLarge, [content.slice(0, 40)]);
    const notAFile = await caught(() => fromFile(dir).getAccessToken());
    expect((notAFile as WitboostAuthError).code).toBe('token_source_failed');
  });

  it.each([
    ['an empty path', '', {}],
    ['a non-string path', 42, {}],
    ['an http URL', new URL('https://example.com/token'), {}],
    ['a negative checkIntervalMs', '/x', { checkIntervalMs: -1 }],
  ])('rejects %s as invalid_options', async (_n, path, options) => {
    const error = await caught(() => fromFile(path as string, options));
    expect((error as WitboostAuthError).code).toBe('invalid_options');
  });
});
