import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../../vitest.shared.ts';

/**
 * swc instead of esbuild: Nest resolves constructor parameters from `design:paramtypes`, which
 * esbuild does not emit. Tests import the packages by their public names (resolved to `src`).
 */
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: workspaceSourceAliases },
  test: { ...sharedTestTimeouts, include: ['test/**/*.test.ts'], maxWorkers: 2 },
});
