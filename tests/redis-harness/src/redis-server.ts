import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { redisCommand } from './redis-command.js';

/** A throwaway `redis-server` (or `valkey-server`) on a loopback port, persistence off. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Sends a signal to the server process (SIGKILL, SIGSTOP, SIGCONT). */
  signal(name: NodeJS.Signals): void;
  /** Starts the server again on the same port (after a SIGKILL, or to start from a clean one). */
  restart(): Promise<void>;
  /** One command over a raw connection, e.g. `['FLUSHALL']` (see {@link redisCommand}). */
  command(args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  /** More `redis-server` arguments, e.g. `['--cluster-enabled', 'yes']`. */
  args?: readonly string[];
  /** The working directory (where a cluster node writes its nodes.conf). */
  cwd?: string;
  /** The server binary: `valkey-server` takes the same arguments. @default 'redis-server' */
  binary?: 'redis-server' | 'valkey-server';
}

/** Whether `binary` (`redis-server` unless told) is on the PATH. */
export function hasRedisServer(binary: RedisServerOptions['binary'] = 'redis-server'): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts `redis-server` on a free loopback port and resolves once it answers PING; rejects with
 * a clear error when it is not on the PATH or does not start within 5 s.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const binary = options.binary ?? 'redis-server';
  let child: ChildProcess | undefined;
  const command = (args: readonly string[]) => redisCommand(port, args);

  async function launch(): Promise<void> {
    const proc = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        ...(options.args ?? []),
      ],
      { stdio: 'ignore', cwd: options.cwd },
    );
    child = proc;
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', () =>
        reject(new Error(`${binary} is not on the PATH (apt-get install ${binary})`)),
      );
    });
    failed.catch(() => {});
    for (let i = 0; i < 100; i++) {
      if (proc.exitCode !== null) throw new Error(`${binary} exited with ${proc.exitCode}`);
      const reply = await Promise.race([command(['PING']).catch(() => ''), failed]);
      if (reply === '+PONG') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stop();
    throw new Error(`${binary} did not answer PING within 5 s`);
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGCONT'); // a stopped process would not die before it resumes
    proc.kill('SIGKILL');
    await exited;
  }

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    signal: (name) => child?.kill(name),
    async restart() {
      await stop();
      await launch();
    },
    command,
    stop,
  };
}
