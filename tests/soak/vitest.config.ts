import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.ts';

/**
 * swc instead of esbuild for the NestJS soak: Nest resolves constructor parameters from
 * `design:paramtypes`, which esbuild does not emit. Each soak file holds its own emulator and
 * servers, so files run in parallel workers; the suite is sized for 2 cores.
 */
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: workspaceSourceAliases },
  test: {
    include: ['test/**/*.test.ts'],
    // Two files at a time fits 2 cores; the soaks' timing argument keeps ~0.5 s of slack for lag.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 15_000,
  },
});
