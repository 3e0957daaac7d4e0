// Makes Frontend/ ready to run: `npm ci` when node_modules is missing or was installed from another package-lock.json,
// and `npm run build` when the app's sources changed since the last build. The AppHost runs this before the server
// in development; it does nothing (quickly) when everything is current. Concurrent runs (two AppHosts at once, in
// tests) take turns through a lock file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const buildInputs = ['index.html', 'package-lock.json', 'tsconfig.json', 'vite.config.ts', 'public', 'src'];

/** @param {string} root */
export function lockHash(root) {
  return hashFiles(root, ['package-lock.json']);
}

/** @param {string} root */
export function sourcesHash(root) {
  return hashFiles(root, buildInputs);
}

/**
 * @param {string} root
 * @returns {{ install: boolean, build: boolean }}
 */
export function whatIsNeeded(root) {
  const install = readStamp(root, 'install') !== lockHash(root);
  // Tests are not part of the app: changing one does not need a new build.
  const build = install || !fs.existsSync(path.join(root, 'dist', 'index.html')) || readStamp(root, 'build') !== sourcesHash(root);
  return { install, build };
}

/** @param {string} root @param {'install' | 'build'} name @param {string} value */
export function writeStamp(root, name, value) {
  fs.writeFileSync(path.join(root, 'node_modules', `.phase4-${name}-stamp`), value);
}

/** @param {string} root @param {'install' | 'build'} name */
function readStamp(root, name) {
  try {
    return fs.readFileSync(path.join(root, 'node_modules', `.phase4-${name}-stamp`), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * @param {string} root
 * @param {string[]} entries
 */
function hashFiles(root, entries) {
  const hash = createHash('sha256');
  for (const file of entries.flatMap((entry) => listFiles(path.join(root, entry))).sort()) {
    if (/\.test\.[cm]?[jt]sx?$/.test(file) || file.includes(`${path.sep}test${path.sep}`)) continue;
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** @param {string} entry @returns {string[]} */
function listFiles(entry) {
  if (!fs.existsSync(entry)) return [];
  if (!fs.statSync(entry).isDirectory()) return [entry];
  return fs.readdirSync(entry).flatMap((name) => listFiles(path.join(entry, name)));
}

/** @param {string} lockFile */
async function acquireLock(lockFile) {
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
      if (!holderIsAlive(lockFile)) fs.rmSync(lockFile, { force: true });
      else await sleep(500);
    }
  }
}

/** @param {string} lockFile */
function holderIsAlive(lockFile) {
  const pid = Number(fs.readFileSync(lockFile, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} root @param {string[]} args */
function npm(root, args) {
  console.log(`> npm ${args.join(' ')}`);
  const result = spawnSync('npm', args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    throw new Error(`npm ${args.join(' ')} failed: ${result.error?.message ?? `exit ${result.status ?? result.signal}`}.`);
  }
}

async function main() {
  const root = path.resolve(import.meta.dirname, '..');
  const lockFile = path.join(root, '.prepare.lock');
  await acquireLock(lockFile);
  try {
    const needed = whatIsNeeded(root);
    if (needed.install) {
      npm(root, ['ci', '--no-audit', '--no-fund']);
      writeStamp(root, 'install', lockHash(root));
    }
    if (needed.build) {
      npm(root, ['run', 'build']);
      writeStamp(root, 'build', sourcesHash(root));
    }
    console.log(needed.install || needed.build ? 'Frontend ready.' : 'Frontend already up to date.');
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
