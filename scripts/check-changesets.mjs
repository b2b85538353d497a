// Proves that `changeset version` turns today's changesets into a first release: every published
// package at 0.1.0 with a CHANGELOG, the private apps untouched. It runs on a temporary copy of
// the files changesets reads, so the working tree is never modified.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const changesetBin = join(root, 'node_modules/@changesets/cli/bin.js');
const copy = mkdtempSync(join(tmpdir(), 'wb-changesets-'));
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

try {
  for (const file of ['package.json', 'pnpm-workspace.yaml', '.changeset']) {
    cpSync(join(root, file), join(copy, file), { recursive: true });
  }
  // Every workspace package's manifest: changesets needs the whole graph to resolve dependents.
  const workspaceDirs = ['packages', 'apps', 'compat', 'tests']
    .filter((dir) => existsSync(join(root, dir)))
    .flatMap((dir) => readdirSync(join(root, dir)).map((name) => join(dir, name)))
    .concat('bench')
    .filter((dir) => existsSync(join(root, dir, 'package.json')));
  for (const dir of workspaceDirs) {
    cpSync(join(root, dir, 'package.json'), join(copy, dir, 'package.json'));
  }

  // Before the first release each package should have one changeset, <package>-first-release.md.
  const extra = readdirSync(join(root, '.changeset')).filter(
    (f) => f.endsWith('.md') && f !== 'README.md' && !f.endsWith('-first-release.md'),
  );
  if (extra.length > 0) {
    console.log(
      `note: fold these into the <package>-first-release.md changesets: ${extra.join(', ')}`,
    );
  }

  execFileSync(process.execPath, [changesetBin, 'version'], { cwd: copy, stdio: 'pipe' });

  const problems = [];
  for (const dir of workspaceDirs) {
    const manifest = readJson(join(copy, dir, 'package.json'));
    const changelog = join(copy, dir, 'CHANGELOG.md');
    if (manifest.private) {
      if (existsSync(changelog)) problems.push(`${manifest.name} is private but got a CHANGELOG`);
      continue;
    }
    if (manifest.version !== '0.1.0') {
      problems.push(`${manifest.name} became ${manifest.version}, expected 0.1.0`);
    }
    if (!existsSync(changelog) || !readFileSync(changelog, 'utf8').includes('## 0.1.0')) {
      problems.push(`${manifest.name} has no CHANGELOG.md with a 0.1.0 entry`);
    }
  }
  const left = readdirSync(join(copy, '.changeset')).filter(
    (f) => f.endsWith('.md') && f !== 'README.md',
  );
  if (left.length > 0) problems.push(`changesets not consumed: ${left.join(', ')}`);

  if (problems.length > 0) {
    console.error(`changeset version check failed:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('changeset version: every published package at 0.1.0 with a CHANGELOG');
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
