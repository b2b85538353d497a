import { defineConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../../vitest.shared.ts';

// The end-to-end tests run the built bin (dist/cli.mjs) as a child process: `turbo test`
// builds this package first (see turbo.json beside this file).
export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: {
    ...sharedTestTimeouts,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
