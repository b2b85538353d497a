import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../../vitest.shared.ts';

// swc, not esbuild: the Nest example's dependency injection reads the decorator metadata swc emits.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: workspaceSourceAliases },
  test: {
    ...sharedTestTimeouts,
    include: ['test/**/*.test.ts'],
  },
});
