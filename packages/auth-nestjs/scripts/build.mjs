// Two tsc builds rather than a bundler: Nest's dependency injection needs the decorator metadata
// (`design:paramtypes`) that only tsc emits. Each output folder gets a package.json stub so Node
// and TypeScript read `dist/esm` as ESM and `dist/cjs` as CommonJS under the package's
// `"type": "module"`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync('dist', { recursive: true, force: true });
for (const [format, type] of [
  ['esm', 'module'],
  ['cjs', 'commonjs'],
]) {
  execFileSync(process.execPath, [tsc, '-p', `tsconfig.build.${format}.json`], {
    stdio: 'inherit',
  });
  mkdirSync(`dist/${format}`, { recursive: true });
  writeFileSync(`dist/${format}/package.json`, `${JSON.stringify({ type })}\n`);
}
