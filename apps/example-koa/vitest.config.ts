import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.ts';

export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: { include: ['test/**/*.test.ts'], testTimeout: 20_000 },
});
