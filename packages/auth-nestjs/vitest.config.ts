import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../../vitest.shared.ts';

/**
 * swc instead of esbuild, because esbuild emits no decorator metadata and tests must exercise the
 * same `design:*` metadata that the tsc build ships. `compat/nestjs-v10` runs these same test
 * files against Nest 10 with a config of its own.
 */
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: workspaceSourceAliases },
  test: {
    ...sharedTestTimeouts,
    include: ['test/**/*.test.ts'],
    env: { WB_EXPECTED_NEST_MAJOR: '11' },
  },
});
