import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecret, runCli } from './helpers.js';

let wb: WitboostMock;
let accessToken: string;
let dir: string;

beforeAll(async () => {
  wb = await startWitboostMock({ port: 0 });
  accessToken = wb.issueAccessToken();
  dir = await mkdtemp(join(tmpdir(), 'wb-auth-cli-'));
});
afterAll(async () => {
  await wb.close();
  await rm(dir, { recursive: true, force: true });
});

const COMMANDS = ['token', 'header /api/catalog/entities', 'status', 'proxy'];

describe('configuration errors exit 2 with a message on stderr, for every command', () => {
  const cases: Array<[string, () => Record<string, string | undefined>, RegExp]> = [
    [
      'no WITBOOST_BASE_URL',
      () => ({ WITBOOST_ACCESS_TOKEN: accessToken }),
      /WITBOOST_BASE_URL is not set/,
    ],
    [
      'a blank WITBOOST_BASE_URL',
      () => ({ WITBOOST_BASE_URL: '  ', WITBOOST_ACCESS_TOKEN: accessToken }),
      /WITBOOST_BASE_URL is blank/,
    ],
    ['no access token', () => ({ WITBOOST_BASE_URL: wb.url }), /WITBOOST_ACCESS_TOKEN is not set/],
    [
      'a blank access token',
      () => ({ WITBOOST_BASE_URL: wb.url, WITBOOST_ACCESS_TOKEN: ' \t' }),
      /WITBOOST_ACCESS_TOKEN is blank/,
    ],
    [
      'a relative base URL',
      () => ({ WITBOOST_BASE_URL: 'witboost.example.com', WITBOOST_ACCESS_TOKEN: accessToken }),
      /absolute/,
    ],
    [
      'an http URL to a remote host',
      () => ({
        WITBOOST_BASE_URL: 'http://witboost.example.com',
        WITBOOST_ACCESS_TOKEN: accessToken,
      }),
      /clear text.*--allow-insecure-http/,
    ],
    [
      'a base URL with credentials',
      () => ({
        WITBOOST_BASE_URL: 'https://user:pw@witboost.example.com',
        WITBOOST_ACCESS_TOKEN: accessToken,
      }),
      /credentials/,
    ],
    [
      'a bad WITBOOST_AUTH_MODE',
      () => ({
        WITBOOST_BASE_URL: wb.url,
        WITBOOST_ACCESS_TOKEN: accessToken,
        WITBOOST_AUTH_MODE: 'digest',
      }),
      /WITBOOST_AUTH_MODE/,
    ],
  ];
  for (const command of COMMANDS) {
    it.each(cases)(`${command}: %s`, async (_what, env, message) => {
      const { code, stdout, stderr } = await runCli(command.split(' '), env());
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expectNoSecret([stdout, stderr], [accessToken]);
    });
  }
});

describe('--token-file', () => {
  it('reads the token from a file (surrounding whitespace ignored)', async () => {
    const file = join(dir, 'token');
    await writeFile(file, `\n${accessToken}\n`);
    const { code, stdout } = await runCli(['token', '--token-file', file], {
      WITBOOST_BASE_URL: wb.url,
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^eyJ/);
  });

  it('and from WITBOOST_ACCESS_TOKEN_FILE, ahead of WITBOOST_ACCESS_TOKEN', async () => {
    const file = join(dir, 'token-env');
    await writeFile(file, accessToken);
    const { code } = await runCli(['status'], {
      WITBOOST_BASE_URL: wb.url,
      WITBOOST_ACCESS_TOKEN_FILE: file,
      WITBOOST_ACCESS_TOKEN: 'wbat-WrongOneThatWouldBeRejected000000000',
    });
    expect(code).toBe(0);
  });

  it.each([
    ['a missing file', async () => join(dir, 'nope'), /cannot read access token file.*ENOENT/],
    [
      'an empty file',
      async () => {
        const f = join(dir, 'empty');
        await writeFile(f, '  \n');
        return f;
      },
      /is empty/,
    ],
    ['a directory', async () => dir, /not a regular file|EISDIR/],
    [
      'an unreadable file',
      async () => {
        const f = join(dir, 'locked');
        await writeFile(f, accessToken);
        await chmod(f, 0o000);
        return f;
      },
      /cannot read access token file|EACCES/,
    ],
  ])('exits 2 for %s', async (what, path, message) => {
    const file = await path();
    const { code, stdout, stderr } = await runCli(['token', '--token-file', file], {
      WITBOOST_BASE_URL: wb.url,
    });
    // root reads a 000 file anyway: then the token simply works.
    if (what === 'an unreadable file' && process.getuid?.() === 0) {
      expect(code).toBe(0);
      return;
    }
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('exits 2 for a blank --token-file and for --token-file with --token-stdin', async () => {
    expect((await runCli(['token', '--token-file', ' '], { WITBOOST_BASE_URL: wb.url })).code).toBe(
      2,
    );
    const both = await runCli(
      ['token', '--token-file', 'x', '--token-stdin'],
      { WITBOOST_BASE_URL: wb.url },
      accessToken,
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });
});

describe('--token-stdin', () => {
  it('reads the first line of standard input', async () => {
    const { code, stdout, stderr } = await runCli(
      ['token', '--token-stdin'],
      { WITBOOST_BASE_URL: wb.url },
      `${accessToken}\nignored\n`,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^eyJ/);
    expectNoSecret([stdout, stderr], [accessToken]);
  });

  it('exits 2 for an empty or blank standard input', async () => {
    for (const input of ['', '\n  \n']) {
      const { code, stderr } = await runCli(
        ['token', '--token-stdin'],
        { WITBOOST_BASE_URL: wb.url },
        input,
      );
      expect(code).toBe(2);
      expect(stderr).toContain('standard input held no access token');
    }
  });
});

describe('a token given as an argument is refused (it would show in ps)', () => {
  it.each([
    [['token', '--token', accessTokenPlaceholder()]],
    [['token', `--token=${accessTokenPlaceholder()}`]],
    [['token', '--access-token', 'abc']],
    [['header', accessTokenPlaceholder()]],
    [['status', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl']],
    [['token', '--scope', accessTokenPlaceholder()]],
    [['proxy', `--token-file=${accessTokenPlaceholder()}`]],
  ])('%j → exit 2, the value never echoed', async (args) => {
    const { code, stdout, stderr } = await runCli(args, {
      WITBOOST_BASE_URL: wb.url,
      WITBOOST_ACCESS_TOKEN: accessToken,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/refusing/);
    expect(stderr).not.toContain(accessTokenPlaceholder().slice(5));
    expect(stderr).not.toContain('c2lnbmF0dXJl');
    expect(wb.stats.exchanges.byAccessToken['wbat-…0000']).toBeUndefined();
  });
});

function accessTokenPlaceholder(): string {
  return 'wbat-SecretGivenOnTheCommandLine0000000';
}

describe('help, version, usage', () => {
  it.each(['token', 'header', 'status', 'doctor', 'proxy'])(
    '%s --help prints its usage on stdout, exit 0',
    async (command) => {
      const { code, stdout, stderr } = await runCli([command, '--help'], {});
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: wb-auth ${command}`);
      expect(stdout).toContain('Exit codes');
      expect(stderr).toBe('');
    },
  );

  it('--help, --version, no command, an unknown command', async () => {
    const help = await runCli(['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Commands:');
    const version = await runCli(['--version'], {});
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    const none = await runCli([], {});
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('Commands:');
    const unknown = await runCli(['tokn'], {});
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
  });
});
