import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../../vitest.shared.ts';

/**
 * Runs the test files of packages/auth-nestjs, unchanged, against NestJS 10. `@wb/auth-nestjs`
 * resolves to its source, and Node resolution from that source would find the package's own
 * Nest 11: every `@nestjs/*` import (tests and library alike) is pinned to this package's copies.
 */
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const nestPackages = ['common', 'core', 'testing', 'platform-express', 'axios', 'config'];
const nestAliases = Object.fromEntries(
  nestPackages.map((name) => [
    `@nestjs/${name}`,
    realpathSync(here(`node_modules/@nestjs/${name}`)),
  ]),
);

export default defineConfig({
  root: here('../../packages/auth-nestjs'),
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: { ...workspaceSourceAliases, ...nestAliases } },
  test: {
    ...sharedTestTimeouts,
    include: ['test/**/*.test.ts'],
    env: { WB_EXPECTED_NEST_MAJOR: '10' },
  },
});
