import { defineConfig } from 'tsdown';
import { libraryBuild } from '../../tsdown.shared.ts';

/**
 * One build for the bin and the `run()` API, so they share chunks. `@wb/auth-core` (and the
 * one function of `jose` it uses) is bundled in: `wb-auth token` runs once per shell command,
 * and loading all of `jose` took longer than the exchange itself (bench `cli_token_vs_raw_node`).
 * The bin is `dist/cli.mjs`; `dist/cli.cjs` is a by-product nobody runs.
 */
export default defineConfig({
  ...libraryBuild,
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  deps: { alwaysBundle: ['@wb/auth-core', 'jose'] },
});
