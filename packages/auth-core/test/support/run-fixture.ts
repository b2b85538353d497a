import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How a fixture process ended. */
export interface FixtureExit {
  code: number | null;
  stdout: string;
  stderr: string;
  /** When the process exited (ms since the epoch). */
  exitedAt: number;
  /** When its stdout first contained the marker (ms since the epoch); 0 when it never did. */
  markedAt: number;
}

/**
 * Runs `test/fixtures/<name>` under tsx and measures its exit: the time its stdout first shows
 * `marker` (the script's work is done) and the time the process exits by itself. A process still
 * alive 5 s after its marker (or 30 s after its start, for a slow start on a loaded machine) is
 * killed, so a fixture that never exits fails its test instead of hanging it.
 *
 * @param name - the fixture's file name in `test/fixtures`
 * @param env - variables added to the environment
 * @param marker - the stdout text that marks the end of the script's work
 * @returns exit code, output and times
 */
export async function runFixture(
  name: string,
  env: Record<string, string>,
  marker: string,
): Promise<FixtureExit> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url))],
    {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let markedAt = 0;
  let killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (markedAt === 0 && stdout.includes(marker)) {
      markedAt = Date.now();
      clearTimeout(killer);
      killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, exitedAt: Date.now(), markedAt });
    });
  });
}
