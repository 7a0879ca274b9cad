// Runs every test file under test/ (or the folders/files given) with node's test runner.
// Node 20's --test does not expand `**` globs itself, so the files are listed here.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function collect(target, out) {
  const stat = fs.statSync(target);
  if (stat.isFile()) { out.push(target); return; }
  for (const entry of fs.readdirSync(target).sort()) {
    const full = path.join(target, entry);
    if (fs.statSync(full).isDirectory()) collect(full, out);
    else if (/\.test\.tsx?$/.test(entry)) out.push(full);
  }
}

const targets = process.argv.slice(2);
const files = [];
for (const t of targets.length ? targets : ['test']) collect(t, files);
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
