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

/**
 * `tsc -p config` with `skipLibCheck` off, so our own `.d.ts` files are checked as a user's
 * compiler sees them. The fixtures keep `skipLibCheck: true` for third-party declarations (the
 * latest `@types/koa` has errors of its own, and TypeScript has no per-file switch): errors in
 * `node_modules` outside `@wb/` are listed and ignored; any other error fails.
 */
function typeCheck(app, compiler, version, config) {
  const tsc = join(app, 'node_modules', compiler, 'bin/tsc');
  const args = [tsc, '-p', config, '--skipLibCheck', 'false', '--pretty', 'false'];
  let output = '';
  let failed = false;
  try {
    output = execFileSync(process.execPath, args, { cwd: app, stdio: 'pipe' }).toString();
  } catch (error) {
    output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    failed = true;
  }
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
  if (failed && errors.length === 0) {
    process.stderr.write(`[consumer] failed: tsc ${version} -p ${config}\n${output}`);
    throw new Error(`tsc ${version} failed without a diagnostic`);
  }
  const isThirdParty = (line) =>
    /^node_modules[\\/]/.test(line) && !/^node_modules[\\/]@wb[\\/]/.test(line);
  const ours = errors.filter((line) => !isThirdParty(line));
  if (ours.length > 0) {
    process.stderr.write(`[consumer] failed: tsc ${version} -p ${config}\n${ours.join('\n')}\n`);
    throw new Error(`tsc ${version} found ${ours.length} errors in @wb/* or the consumer's code`);
  }
  const ignored = [...new Set(errors.map((line) => line.slice(0, line.indexOf('('))))];
  const note = ignored.length === 0 ? '' : `; ignored errors in third-party ${ignored.join(', ')}`;
  step(`tsc ${version} -p ${config} (our .d.ts checked too) passed${note}`);
}

const published = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: readJson(join(root, 'packages', dir, 'package.json')),
  }))
  .filter(({ manifest }) => !manifest.private);

// The frameworks at their latest releases; the type checker both at the workspace's own version
// and at the latest release (what a new project installs), as `typescript-latest`.
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
  'typescript-latest@npm:typescript@latest',
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
    ['axios', 'express', 'koa', '@nestjs/core', 'typescript', 'typescript-latest'].map((name) => [
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
  for (const compiler of ['typescript', 'typescript-latest']) {
    for (const config of ['tsconfig.nodenext.json', 'tsconfig.bundler.json']) {
      typeCheck(app, compiler, installed[compiler], config);
    }
  }
} catch (error) {
  console.error(`[consumer] FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
