import { defineConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../../vitest.shared.ts';

export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: {
    ...sharedTestTimeouts,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
