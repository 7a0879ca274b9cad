// Runs every test file under test/ (or the folders/files given) with node's test runner.
// Node 20's --test does not expand `**` globs itself, so the files are listed here.
// Files named *.root.test.ts(x) run real containers on the real kernel and need root; as
// another user they are left out, and the run says how many and why.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const TEST_FILE = /\.test\.tsx?$/;
const ROOT_TEST_FILE = /\.root\.test\.tsx?$/;

function collect(target, out) {
  const stat = fs.statSync(target);
  if (stat.isFile()) { out.push(target); return; }
  for (const entry of fs.readdirSync(target).sort()) {
    const full = path.join(target, entry);
    if (fs.statSync(full).isDirectory()) collect(full, out);
    else if (TEST_FILE.test(entry)) out.push(full);
  }
}

const targets = process.argv.slice(2);
const found = [];
for (const t of targets.length ? targets : ['test']) collect(t, found);
const asRoot = process.getuid?.() === 0;
const files = asRoot ? found : found.filter((f) => !ROOT_TEST_FILE.test(f));
const skipped = found.length - files.length;
const skipNote = `skipped ${skipped} file${skipped === 1 ? '' : 's'} that need root and the real kernel (*.root.test.ts): run as root to include them`;
if (skipped > 0) console.error(`test: ${skipNote}`);
if (files.length === 0) {
  console.error(skipped > 0 ? 'no test files left to run' : 'no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
// Said again after the runner's summary, where the eye lands.
if (skipped > 0) console.error(`\ntest: ${skipNote}`);
process.exit(result.status ?? 1);
