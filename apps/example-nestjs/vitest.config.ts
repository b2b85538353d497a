import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.ts';

// swc, not esbuild: Nest's dependency injection reads the decorator metadata that swc emits.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: { alias: workspaceSourceAliases },
  test: { include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
