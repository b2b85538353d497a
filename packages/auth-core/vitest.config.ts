import { defineConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../../vitest.shared.ts';

export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: {
    ...sharedTestTimeouts,
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Both cores: the simulation's two files (about 35 s each) run side by side. vitest's
    // default leaves one core idle on a 2-core machine.
    maxWorkers: 2,
  },
});
