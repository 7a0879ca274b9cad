import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineError } from '../../../source/engine/api.js';
import { readJson, readJsonIfExists, writeJsonAtomic } from '../../../source/engine/store/json-file.js';
import { withLock, withSharedLock, whenNoIngest, withIngestLease } from '../../../source/engine/store/lock.js';
import { StorePaths } from '../../../source/engine/store/paths.js';
import { tempDir } from '../layers/tar-fixtures.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');

test('StorePaths names the layout and ensure() creates it', (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const paths = new StorePaths(tmp.dir);
  paths.ensure();
  assert.equal(paths.blob('ab'), path.join(tmp.dir, 'blobs/sha256/ab'));
  assert.equal(paths.layerDiff('cd'), path.join(tmp.dir, 'layers/cd/diff'));
  assert.equal(paths.imageRecord('ef'), path.join(tmp.dir, 'images/ef.json'));
  assert.equal(paths.lockFile, path.join(tmp.dir, 'lock'));
  for (const dir of [paths.blobsDir, paths.layersDir, paths.imagesDir, paths.containersDir, paths.tmpDir]) assert.ok(fs.statSync(dir).isDirectory());
});

test('writeJsonAtomic replaces whole files and leaves no temp file', (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const file = path.join(tmp.dir, 'record.json');
  writeJsonAtomic(file, { a: 1 });
  const inode = fs.statSync(file).ino;
  writeJsonAtomic(file, { a: 2, b: 'x' });
  assert.deepEqual(readJson(file), { a: 2, b: 'x' });
  assert.notEqual(fs.statSync(file).ino, inode, 'a new file renamed over the old one, never rewritten in place');
  assert.deepEqual(fs.readdirSync(tmp.dir), ['record.json']);
});

test('readJson reports missing and broken files as EngineErrors naming the file', (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const file = path.join(tmp.dir, 'broken.json');
  assert.equal(readJsonIfExists(file), undefined);
  assert.throws(() => readJson(file), (e: unknown) => e instanceof EngineError && e.code === 'not-found' && e.message.includes(file));
  fs.writeFileSync(file, '{"a": ');
  assert.throws(() => readJson(file), (e: unknown) => e instanceof EngineError && /not valid JSON/.test(e.message) && e.message.includes(file));
});

test('withLock is re-entrant within one call chain and exclusive between chains', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const paths = new StorePaths(tmp.dir);
  paths.ensure();
  const order: string[] = [];
  await Promise.all([
    withLock(paths, async () => {
      order.push('a-in');
      await withLock(paths, async () => { order.push('a-nested'); });
      await new Promise((r) => setTimeout(r, 50));
      order.push('a-out');
    }),
    (async () => {
      await new Promise((r) => setTimeout(r, 10));
      await withLock(paths, () => { order.push('b'); });
    })(),
  ]);
  assert.deepEqual(order, ['a-in', 'a-nested', 'a-out', 'b']);
});

test('shared locks coexist; an ingest lease keeps whenNoIngest from running', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const paths = new StorePaths(tmp.dir);
  paths.ensure();
  let inside = 0;
  let most = 0;
  const reader = () => withSharedLock(paths, async () => {
    most = Math.max(most, ++inside);
    await new Promise((r) => setTimeout(r, 30));
    inside--;
  });
  await Promise.all([reader(), reader(), reader()]);
  assert.equal(most, 3);
  await withIngestLease(paths, async () => {
    assert.equal(await whenNoIngest(paths, () => 'ran'), undefined);
  });
  assert.deepEqual(await whenNoIngest(paths, () => 'ran'), { value: 'ran' });
});

test('withLock excludes other processes: concurrent read-modify-write loses no update', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const worker = path.join(here, 'lock-worker.ts');
  const procs = 4;
  const rounds = 15;
  const runs = Array.from({ length: procs }, () => new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, tmp.dir, String(rounds)], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  }));
  assert.deepEqual(await Promise.all(runs), Array(procs).fill(0));
  assert.deepEqual(readJson(path.join(tmp.dir, 'counter.json')), { n: procs * rounds });
});
