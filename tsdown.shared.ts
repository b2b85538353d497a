import type { UserConfig } from 'tsdown';

/**
 * How every published package is built: ESM and CommonJS (Express and Nest users are often CJS)
 * with types for both, for the oldest Node.js we support. `@wb/auth-nestjs` is the exception:
 * it is compiled with tsc, which emits the decorator metadata Nest's DI reads.
 */
export const libraryBuild: UserConfig = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  platform: 'node',
  target: 'node20',
  dts: true,
  sourcemap: true,
  clean: true,
};
