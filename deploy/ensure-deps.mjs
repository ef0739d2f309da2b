// Runs `npm ci` when node_modules is missing or was installed from another lockfile,
// so `npm start` and `npm test` work on a fresh clone with no separate install step.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lockfile = join(root, 'package-lock.json');
// npm writes this hidden lockfile on every install; older than package-lock.json means stale.
const installed = join(root, 'node_modules', '.package-lock.json');

const major = Number(process.versions.node.split('.')[0]);
if (major !== 20) {
  console.error(`sectorwars: Node 20 is required (found ${process.versions.node}); see package.json "engines".`);
  process.exit(1);
}

const stale = !existsSync(installed) || statSync(installed).mtimeMs < statSync(lockfile).mtimeMs;
if (stale || !existsSync(join(root, 'node_modules', '.bin', 'tsx'))) {
  // `npm install` honours the lockfile; `npm ci` refuses it here (see .ci/run)
  console.error('sectorwars: installing dependencies from package-lock.json…');
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
