import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A throwaway `redis-server` on a loopback port, persistence off. Never a system service. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Sends a signal to the server process (SIGKILL, SIGSTOP, SIGCONT). */
  signal(name: NodeJS.Signals): void;
  /** Starts the server again on the same port, after a SIGKILL. */
  restart(): Promise<void>;
  /** Runs one command with a one-line reply over a raw connection, e.g. `['FLUSHALL']`. */
  command(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function launch(): Promise<void> {
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    child = proc;
    for (let i = 0; i < 100; i++) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
      if ((await command(['PING']).catch(() => '')) === '+PONG') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('redis-server did not answer PING within 5 s');
  }

  function command(args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const timer = setTimeout(() => socket.destroy(new Error('timeout')), 2_000);
      let reply = '';
      socket.on('data', (chunk) => {
        reply += chunk.toString('utf8');
        if (reply.endsWith('\r\n')) {
          clearTimeout(timer);
          socket.end();
          resolve(reply.trimEnd());
        }
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.connect(port, '127.0.0.1', () => {
        const body = args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
        socket.write(`*${args.length}\r\n${body}`);
      });
    });
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    proc.kill('SIGCONT');
    const exited = new Promise((resolve) => proc.once('exit', resolve));
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
