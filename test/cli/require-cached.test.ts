// The container verbs' bundle is loaded through a V8 code cache: it must give what a plain
// require gives, write its cache once, and never run a stale cache after the file changed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const loader = fileURLToPath(new URL('../../source/cli/require-cached.ts', import.meta.url));

function load(file: string): string {
  const script = `import(${JSON.stringify(loader)}).then(({ requireWithCodeCache }) => process.stdout.write(String(requireWithCodeCache(${JSON.stringify(file)}).answer())))`;
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
}

test('a bundle loaded through the code cache behaves as required, and a changed bundle is never served from an old cache', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-require-cached-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'bundle.cjs');
  // the module sees require, module, __filename and __dirname as CommonJS gives them
  const body = (word: string) => `const path = require('node:path'); exports.answer = () => [${JSON.stringify(word)}, path.basename(__filename), path.basename(__dirname) === path.basename(${JSON.stringify(dir)}), module.exports === exports].join(' ');\n`;
  fs.writeFileSync(file, body('first'));

  assert.equal(load(file), 'first bundle.cjs true true');
  const caches = () => fs.readdirSync(path.join(dir, '.v8-cache'));
  assert.equal(caches().length, 1, 'the first load writes one cache file');
  assert.equal(load(file), 'first bundle.cjs true true');

  // same length, different code: V8 alone would accept the old cache (its check is the length)
  fs.writeFileSync(file, body('other'));
  fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.equal(load(file), 'other bundle.cjs true true');
  assert.equal(caches().length, 1, 'the stale cache is replaced, not kept beside the new one');
});
