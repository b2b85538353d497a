import { spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A throwaway `redis-server` on a free loopback port, persistence off, for the store metrics. */
export interface BenchRedis {
  url: string;
  stop(): Promise<void>;
}

/** Starts one, or throws a clear error when `redis-server` is not on the PATH. */
export async function startBenchRedis(): Promise<BenchRedis> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const failed = new Promise<never>((_, reject) => {
    child.once('error', () =>
      reject(new Error('redis-server is not on the PATH (apt-get install redis-server)')),
    );
  });
  failed.catch(() => {});
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  for (let i = 0; i < 100; i++) {
    if (await Promise.race([pong(port), failed])) return { url: `redis://127.0.0.1:${port}`, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error('redis-server did not answer within 5 s');
}

function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
  });
}
