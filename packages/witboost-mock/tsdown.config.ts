import { defineConfig } from 'tsdown';
import { libraryBuild } from '../../tsdown.shared.ts';

export default defineConfig([
  libraryBuild,
  {
    // The CLI is an executable, not an import target: ESM only, no types.
    ...libraryBuild,
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
  },
]);
