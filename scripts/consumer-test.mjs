// What users get: every published package packed as npm would publish it, installed with npm into
// a fresh folder outside the workspace beside the frameworks' latest releases, then imported as
// ESM, required as CommonJS and type-checked under `nodenext` and `bundler` resolution. The
// workspace links packages in ways no user's install does; this install is the real thing.
// New packages under packages/* are picked up by reading their manifests.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(root, 'scripts/consumer');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const started = performance.now();
const step = (text) =>
  console.log(`[consumer] ${text} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
/** Runs a command; on failure prints what it printed and stops with exit code 1. */
function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (error) {
    process.stderr.write(
      `[consumer] failed: ${cmd} ${args.join(' ')}\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    throw new Error(`${cmd} exited with ${error.status}`);
  }
}

const published = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: readJson(join(root, 'packages', dir, 'package.json')),
  }))
  .filter(({ manifest }) => !manifest.private);

// The frameworks at their latest releases; the type checker at the workspace's own version (a
// compiler upgrade is a separate decision from a framework upgrade).
const rootManifest = readJson(join(root, 'package.json'));
const frameworks = [
  'axios@latest',
  'express@latest',
  'koa@latest',
  '@nestjs/common@latest',
  '@nestjs/core@latest',
  '@nestjs/axios@latest',
  '@nestjs/platform-express@latest',
  'reflect-metadata@latest',
  'rxjs@latest',
  '@types/express@latest',
  '@types/koa@latest',
  `typescript@${rootManifest.devDependencies.typescript}`,
  `@types/node@${rootManifest.devDependencies['@types/node']}`,
];

const work = mkdtempSync(join(tmpdir(), 'wb-consumer-'));
try {
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const { dir, manifest } of published) {
    if (!existsSync(join(dir, 'dist')))
      throw new Error(`${manifest.name} is not built: run pnpm build first`);
    run('pnpm', ['pack', '--pack-destination', tarballs], dir);
    step(`packed ${manifest.name}`);
  }
  const app = join(work, 'app');
  cpSync(fixtures, app, { recursive: true });
  const packages = published.map(({ manifest }) => ({
    name: manifest.name,
    importable: Boolean(manifest.exports ?? manifest.main),
    bins: Object.keys(
      typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {}),
    ),
  }));
  writeFileSync(join(app, 'packages.json'), `${JSON.stringify(packages, null, 2)}\n`);
  // One import line per package for the type checks, so a new package's types are checked too.
  const imports = packages
    .filter((p) => p.importable)
    .map((p, i) => `import * as pkg${i} from '${p.name}';`);
  const uses = `export const everyPackage = [${packages
    .filter((p) => p.importable)
    .map((_, i) => `pkg${i}`)
    .join(', ')}];\n`;
  writeFileSync(join(app, 'every-package.ts'), `${imports.join('\n')}\n${uses}`);

  const tgz = readdirSync(tarballs).map((f) => join(tarballs, f));
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tgz, ...frameworks],
    app,
  );
  step(`npm installed ${tgz.length} tarballs and ${frameworks.length} framework packages`);

  const installed = Object.fromEntries(
    ['axios', 'express', 'koa', '@nestjs/core', 'typescript'].map((name) => [
      name,
      readJson(join(app, 'node_modules', name, 'package.json')).version,
    ]),
  );
  console.log(
    `[consumer] beside ${Object.entries(installed)
      .map(([n, v]) => `${n} ${v}`)
      .join(', ')}`,
  );

  process.stdout.write(run(process.execPath, ['smoke.mjs'], app));
  step('ESM smoke test passed');
  process.stdout.write(run(process.execPath, ['smoke.cjs'], app));
  step('CommonJS smoke test passed');
  for (const config of ['tsconfig.nodenext.json', 'tsconfig.bundler.json']) {
    run(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-p', config], app);
    step(`tsc -p ${config} passed`);
  }
} catch (error) {
  console.error(`[consumer] FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
