import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type ViteUserConfig } from 'vitest/config';
import { sharedTestTimeouts, workspaceSourceAliases } from '../vitest.shared.ts';

/** `unplugin-swc`'s default export, which each compat package installs (this folder has none). */
interface SwcUnplugin {
  vite(options: { module: { type: 'es6' } }): Plugin | Plugin[];
}

const nestPackages = [
  'common',
  'core',
  'testing',
  'platform-express',
  'axios',
  'config',
  'terminus',
];

/**
 * The vitest config of a compat package: runs the test files of packages/auth-nestjs, unchanged,
 * against the package's NestJS major. `@wb/auth-nestjs` resolves to its source, and Node
 * resolution from that source would find the package's own Nest 11: every `@nestjs/*` import
 * (tests and library alike) is pinned to the compat package's copies.
 *
 * @param major - the NestJS major the compat package installs, checked by the tests
 * @param importMetaUrl - the compat config's `import.meta.url`, to find its `node_modules`
 * @param swc - `unplugin-swc` (swc, not esbuild: Nest's DI reads the decorator metadata swc emits)
 * @returns the vitest config
 * @example
 * ```ts
 * import swc from 'unplugin-swc';
 * import { nestCompatConfig } from '../nest-compat.vitest.ts';
 * export default nestCompatConfig(10, import.meta.url, swc);
 * ```
 */
export function nestCompatConfig(
  major: number,
  importMetaUrl: string,
  swc: SwcUnplugin,
): ViteUserConfig {
  const here = (path: string) => fileURLToPath(new URL(path, importMetaUrl));
  const nestAliases = Object.fromEntries(
    nestPackages.map((name) => [
      `@nestjs/${name}`,
      realpathSync(here(`node_modules/@nestjs/${name}`)),
    ]),
  );
  return defineConfig({
    root: here('../../packages/auth-nestjs'),
    plugins: [swc.vite({ module: { type: 'es6' } })],
    resolve: { alias: { ...workspaceSourceAliases, ...nestAliases } },
    test: {
      ...sharedTestTimeouts,
      include: ['test/**/*.test.ts'],
      env: { WB_EXPECTED_NEST_MAJOR: String(major) },
    },
  });
}
