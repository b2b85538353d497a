import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type RedisServer, startRedisServer } from './redis-server.js';

/** A throwaway Redis Cluster of masters on loopback ports, persistence off. */
export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  /** For node-redis: `createCluster({ rootNodes })`. */
  readonly rootNodes: ReadonlyArray<{ url: string }>;
  stop(): Promise<void>;
}

/**
 * Starts `count` (at least 3) `redis-server --cluster-enabled yes` nodes, joins them with
 * `redis-cli --cluster create` (no replicas) and resolves once every node reports
 * `cluster_state:ok`. Each node's cluster bus gets a free port of its own (`--cluster-port`), and
 * its nodes.conf goes to a temporary directory removed by `stop()`.
 */
export async function startRedisCluster(count = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'wb-redis-cluster-'));
  const nodes: RedisServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < count; i++) {
      const args = [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${i}.conf`,
        '--cluster-port',
        String(await freePort()),
        '--cluster-node-timeout',
        '5000',
      ];
      nodes.push(await startRedisServer({ args, cwd: dir }));
    }
    await createCluster(nodes.map((node) => `127.0.0.1:${node.port}`));
    for (let i = 0; i < 200; i++) {
      const states = await Promise.all(nodes.map((node) => node.command(['CLUSTER', 'INFO'])));
      if (states.every((info) => info.includes('cluster_state:ok'))) {
        return { nodes, rootNodes: nodes.map((node) => ({ url: node.url })), stop };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the Redis Cluster did not reach cluster_state:ok within 10 s');
  } catch (error) {
    await stop();
    throw error;
  }
}

function createCluster(addresses: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const cli = spawn(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    cli.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    cli.once('error', () =>
      reject(new Error('redis-cli is not on the PATH (apt-get install redis-tools)')),
    );
    cli.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`redis-cli --cluster create exited with ${code}: ${stderr.trim()}`)),
    );
  });
}
