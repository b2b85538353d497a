import { fileURLToPath } from 'node:url';

/**
 * Tests import workspace packages by their public names but run against `src`, so a test never
 * exercises a stale `dist` and needs no build first.
 */
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const workspaceSourceAliases: Record<string, string> = {
  '@wb/auth-core': fromRoot('./packages/auth-core/src/index.ts'),
  '@wb/auth-axios': fromRoot('./packages/auth-axios/src/index.ts'),
  '@wb/auth-express': fromRoot('./packages/auth-express/src/index.ts'),
  '@wb/auth-koa': fromRoot('./packages/auth-koa/src/index.ts'),
  '@wb/auth-nestjs': fromRoot('./packages/auth-nestjs/src/index.ts'),
  '@wb/auth-redis': fromRoot('./packages/auth-redis/src/index.ts'),
  '@wb/witboost-mock': fromRoot('./packages/witboost-mock/src/index.ts'),
};

/**
 * Generous limits: `pnpm test` runs several suites at once on a 2-core machine, where a test that
 * takes 300 ms alone can take seconds. Timing-sensitive assertions use fake timers instead.
 */
export const sharedTestTimeouts = { testTimeout: 30_000, hookTimeout: 30_000 } as const;
