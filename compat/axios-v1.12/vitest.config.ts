import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../../vitest.shared.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The test files of packages/auth-axios, unchanged, with `axios` (the library's import and the
 * tests') pinned to 1.12.0, the floor of the peer range, and `axios-copy` (the "another copy of
 * axios" tests) to the latest release, so the two copies still differ.
 */
export default defineConfig({
  root: here('../../packages/auth-axios'),
  resolve: {
    alias: {
      ...workspaceSourceAliases,
      axios: realpathSync(here('node_modules/axios')),
      'axios-copy': realpathSync(here('node_modules/axios-latest')),
    },
  },
  test: {
    ...sharedTestTimeouts,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    env: { WB_EXPECTED_AXIOS_VERSION: '1.12.0' },
  },
});
