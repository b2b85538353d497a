import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** What one replica reports after a round of requests. */
export interface RoundReport {
  ok: number;
  failed: number;
  ms: number;
  /** Exchanges this replica made since it started. */
  exchanges: number;
  states: Array<{ state: 'available' | 'unavailable'; at: number }>;
}

export interface Replica {
  /** Resolves once the process has loaded and connected (tsx compiles first: slow under load). */
  ready: Promise<void>;
  round(): Promise<RoundReport>;
  exit(): Promise<void>;
}

const FIXTURE = fileURLToPath(new URL('../fixtures/replica.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));

/** Starts a replica process (test/fixtures/replica.ts under tsx). */
export function startReplica(env: Record<string, string>): Replica {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('replica not ready in 60 s')), 60_000);
    waiting.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
  ready.catch(() => {});
  return {
    ready,
    round() {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('replica did not answer in 20 s')), 20_000);
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(JSON.parse(line) as RoundReport);
        });
        child.stdin?.write('round\n');
      });
    },
    async exit() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.write('exit\n');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One round on every replica at once. */
export async function roundAll(replicas: readonly Replica[]) {
  const reports = await Promise.all(replicas.map((r) => r.round()));
  return {
    reports,
    failed: reports.reduce((n, r) => n + r.failed, 0),
    ok: reports.reduce((n, r) => n + r.ok, 0),
    maxMs: Math.max(...reports.map((r) => r.ms)),
  };
}
