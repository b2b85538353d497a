import { open, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { invalidOption, WitboostAuthError } from '../errors.js';
import { ownOptions } from '../options.js';
import type { AccessTokenSource, FromFileOptions } from '../types.js';
import { reusingSource } from './reusing-source.js';
import { describe } from './token-checks.js';

// Anything larger is not an access token: refused before it is read into memory.
const MAX_FILE_BYTES = 64 * 1024;

interface Snapshot {
  /** inode + size + mtime: a Kubernetes `..data` symlink swap changes the inode. */
  key: string;
  token: string;
}

/**
 * An access token source reading a file, e.g. a mounted Kubernetes secret. The file is re-read
 * when its inode, size or mtime changes (so an atomic symlink swap is seen), checked only when a
 * token is asked for: no watcher, no timer. The instance checks it (one `stat`) before every
 * exchange, so the next exchange after a rotation uses the new token; direct
 * `getAccessToken()` calls check it at most every `checkIntervalMs`.
 *
 * @param path - Path (or `file:` URL) of the file holding the access token.
 * @param options - See {@link FromFileOptions}.
 * @returns A source whose description is `file <path>`.
 * @throws WitboostAuthError `invalid_options` for a bad path or option; `getAccessToken()` rejects
 *   with `token_source_failed` (unreadable) or `missing_access_token` (empty), naming the path only.
 *
 * @example
 * ```ts
 * import { createWitboostAuth, fromFile } from '@wb/auth-core';
 * const auth = createWitboostAuth({
 *   baseUrl: 'https://witboost.example.com',
 *   accessToken: fromFile('/var/run/secrets/witboost/token'),
 * });
 * ```
 */
export function fromFile(path: string | URL, options: FromFileOptions = {}): AccessTokenSource {
  const filePath = toPath(path);
  const checkIntervalMs = ownOptions(options ?? {}).checkIntervalMs ?? 1000;
  if (!Number.isFinite(checkIntervalMs) || checkIntervalMs < 0) {
    invalidOption('fromFile: checkIntervalMs must be a finite number >= 0');
  }
  const description = `file ${filePath}`;
  let snapshot: Snapshot | undefined;
  const read = async (): Promise<string> => {
    const stats = await stat(filePath).catch((error: unknown) => {
      throw readFailure(filePath, error);
    });
    if (snapshot === undefined || snapshot.key !== keyOf(stats)) {
      snapshot = await readSnapshot(filePath);
    }
    return snapshot.token;
  };
  // Exchanges happen off the warm path: a stat before each is cheap, and a rotation made just
  // before one must not cost a 401 first.
  const forget = () => {
    snapshot = undefined;
  };
  return reusingSource(description, checkIntervalMs, read, forget, true);
}

function toPath(path: string | URL): string {
  if (path instanceof URL) {
    if (path.protocol !== 'file:') {
      invalidOption('fromFile: a URL path must be a file: URL');
    }
    return fileURLToPath(path);
  }
  if (typeof path !== 'string' || path.trim() === '') {
    invalidOption('fromFile: path must be a non-empty string');
  }
  return path;
}

function keyOf(stats: { ino: number; size: number; mtimeMs: number }): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

async function readSnapshot(filePath: string): Promise<Snapshot> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(filePath, 'r');
    // The open descriptor's stat: key and content describe one file even if a rotation swaps it.
    const stats = await handle.stat();
    const file = `access token file ${describe(filePath)}`;
    if (!stats.isFile()) {
      throw new WitboostAuthError('token_source_failed', `${file} is not a regular file`);
    }
    if (stats.size > MAX_FILE_BYTES) {
      const why = `${file} is ${stats.size} bytes, too large for an access token`;
      throw new WitboostAuthError('token_source_failed', why);
    }
    const token = (await handle.readFile('utf8')).trim();
    if (token === '') {
      throw new WitboostAuthError(
        'missing_access_token',
        `no access token: file ${describe(filePath)} is empty`,
      );
    }
    return { key: keyOf(stats), token };
  } catch (error) {
    throw error instanceof WitboostAuthError ? error : readFailure(filePath, error);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function readFailure(filePath: string, error: unknown): WitboostAuthError {
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason = typeof code === 'string' ? code : 'read error';
  return new WitboostAuthError(
    'token_source_failed',
    `cannot read access token file ${describe(filePath)} (${reason})`,
  );
}
