import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('../workers/fleet-replica.ts', import.meta.url));

/** A replica process of the fleet metrics (src/workers/fleet-replica.ts). */
export interface FleetWorker {
  ask(command: string): Promise<{ exchanges: number; failed: number }>;
  exit(): Promise<void>;
}

/** Starts `count` replicas with `env` and resolves once every one has loaded and connected. */
export async function startFleetWorkers(
  count: number,
  env: Record<string, string>,
): Promise<FleetWorker[]> {
  const workers = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), WORKER], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const waiting: Array<(line: string) => void> = [];
    createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
    const next = () =>
      new Promise<string>((resolve, reject) => {
        waiting.push(resolve);
        child.once('exit', (code) => reject(new Error(`a fleet replica exited with ${code}`)));
      });
    const ready = next();
    const worker: FleetWorker = {
      async ask(command) {
        const answer = next();
        child.stdin.write(`${command}\n`);
        return JSON.parse(await answer) as { exchanges: number; failed: number };
      },
      async exit() {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.stdin.write('exit\n');
        await exited;
      },
    };
    return { ready, worker };
  });
  await Promise.all(workers.map((w) => w.ready));
  return workers.map((w) => w.worker);
}
