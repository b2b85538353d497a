import { defineConfig } from 'vitest/config';
import { workspaceSourceAliases } from '../../vitest.shared.ts';

export default defineConfig({
  resolve: { alias: workspaceSourceAliases },
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
