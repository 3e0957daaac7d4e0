// Runs every Vitest project once, non-interactively, and ends with one machine-readable line,
// "N passed, N failed", which CI sums across the repository's test suites.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phase4-vitest-')), 'report.json');
const vitest = path.join(import.meta.dirname, '..', 'node_modules', 'vitest', 'vitest.mjs');
const run = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, CI: process.env.CI ?? 'true' } },
);

let passed = 0;
let failed = 0;
if (fs.existsSync(report)) {
  const results = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = results.numPassedTests ?? 0;
  failed = results.numFailedTests ?? 0;
}
// A file that fails to load fails no test but fails the run: count it, so the line never says "0 failed" then.
if (run.status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
// No report, or no test at all, is a failure too: a suite that silently ran nothing proves nothing.
process.exit(run.status !== 0 || passed === 0 ? 1 : 0);
