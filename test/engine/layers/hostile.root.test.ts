// A corpus of hostile layer tars: none of them may write anything outside the layer directory.
// Each runs against a fresh layer dir beside an "outside" dir holding a sentinel file; after the
// extraction (refused or contained), outside must be byte-for-byte and mode-for-mode unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { EngineError } from '../../../source/engine/api.js';
import { extractLayer } from '../../../source/engine/layers/extract.js';
import { makeTar, tempDir, tempLayerStore, type TarEntry } from './tar-fixtures.js';

interface Arena {
  base: string;
  layer: string;
  outside: string;
}

function snapshot(dir: string): string {
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      const st = fs.lstatSync(full);
      lines.push(`${path.relative(dir, full)} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.nlink} ${st.isFile() ? fs.readFileSync(full, 'utf8') : ''}`);
      if (st.isDirectory()) walk(full);
    }
  };
  lines.push(`. ${fs.lstatSync(dir).mode.toString(8)}`);
  walk(dir);
  return lines.join('\n');
}

async function attempt(t: { after(fn: () => void): void }, build: (a: Arena) => TarEntry[]): Promise<{ arena: Arena; error?: EngineError }> {
  const tmp = tempDir('strata-hostile-');
  t.after(tmp.remove);
  const arena: Arena = { base: tmp.dir, layer: path.join(tmp.dir, 'store', 'layer'), outside: path.join(tmp.dir, 'outside') };
  fs.mkdirSync(arena.layer, { recursive: true });
  fs.mkdirSync(arena.outside, { mode: 0o755 });
  fs.writeFileSync(path.join(arena.outside, 'sentinel'), 'untouched', { mode: 0o644 });
  const beforeOutside = snapshot(arena.outside);
  const beforeBase = fs.readdirSync(arena.base).sort();
  const passwd = fs.lstatSync('/etc/passwd');
  let error: EngineError | undefined;
  try {
    await extractLayer(Readable.from([await makeTar(build(arena))]), arena.layer);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    error = err;
  }
  assert.equal(snapshot(arena.outside), beforeOutside, 'nothing outside the layer changed');
  assert.deepEqual(fs.readdirSync(arena.base).sort(), beforeBase, 'nothing appeared beside the layer');
  assert.deepEqual(fs.readdirSync(path.join(arena.base, 'store')), ['layer'], 'nothing appeared in the layer\'s parent');
  const after = fs.lstatSync('/etc/passwd');
  assert.equal(after.nlink, passwd.nlink, '/etc/passwd gained no link');
  assert.equal(after.mtimeMs, passwd.mtimeMs);
  return { arena, error };
}

function refused(error: EngineError | undefined, entry: string, why: RegExp): void {
  assert.ok(error, `entry ${entry} was refused`);
  assert.equal(error.code, 'invalid');
  assert.ok(error.message.includes(JSON.stringify(entry)), `message names ${entry}: ${error.message}`);
  assert.match(error.message, why);
}

test('an absolute path is contained in the layer', async (t) => {
  const { arena, error } = await attempt(t, (a) => [{ name: path.join(a.outside, 'sentinel'), data: 'overwritten' }, { name: '/abs-file', data: 'abs' }]);
  assert.equal(error, undefined);
  assert.equal(fs.readFileSync(path.join(arena.layer, arena.outside, 'sentinel'), 'utf8'), 'overwritten');
  assert.equal(fs.readFileSync(path.join(arena.layer, 'abs-file'), 'utf8'), 'abs');
});

test('"../x" and "a/../../x" are refused', async (t) => {
  refused((await attempt(t, () => [{ name: '../escape', data: 'x' }])).error, '../escape', /outside the layer/);
  refused((await attempt(t, () => [{ name: 'a/../../escape', data: 'x' }])).error, 'a/../../escape', /outside the layer/);
  refused((await attempt(t, () => [{ name: '../../outside/sentinel', data: 'x' }])).error, '../../outside/sentinel', /outside the layer/);
});

test('a symlink created earlier is never written through', async (t) => {
  refused((await attempt(t, (a) => [
    { name: 'link', type: 'symlink', linkname: a.outside },
    { name: 'link/pwned', data: 'x' },
  ])).error, 'link/pwned', /"link" is a symlink/);
  refused((await attempt(t, () => [
    { name: 'rel', type: 'symlink', linkname: '../../outside' },
    { name: 'rel/sentinel', data: 'x' },
  ])).error, 'rel/sentinel', /symlink/);
  // even one that points inside: the rule is structural, not a guess about where it leads
  refused((await attempt(t, () => [
    { name: 'sub/', type: 'directory' },
    { name: 'sub/here', type: 'symlink', linkname: '.' },
    { name: 'sub/here/file', data: 'x' },
  ])).error, 'sub/here/file', /symlink/);
});

test('a symlink to a directory, then entries of every kind inside it, are refused', async (t) => {
  const kinds: TarEntry[] = [
    { name: 'd/newdir/', type: 'directory', mode: 0o777 },
    { name: 'd/sym', type: 'symlink', linkname: '/etc/shadow' },
    { name: 'd/node', type: 'character-device', devmajor: 1, devminor: 3 },
    { name: 'd/fifo', type: 'fifo' },
    { name: 'd/.wh.sentinel' },
    { name: 'd/.wh..wh..opq' },
    { name: 'd/big', data: Buffer.alloc((1 << 20) + 1) },
  ];
  for (const entry of kinds) {
    const { error } = await attempt(t, (a) => [{ name: 'd', type: 'symlink', linkname: a.outside }, entry]);
    refused(error, entry.name, /"d" is a symlink/);
  }
});

test('a symlink at the final component is replaced, never followed', async (t) => {
  const file = await attempt(t, (a) => [
    { name: 'f', type: 'symlink', linkname: path.join(a.outside, 'sentinel') },
    { name: 'f', data: 'replaced', mode: 0o600 },
  ]);
  assert.equal(file.error, undefined);
  assert.ok(fs.lstatSync(path.join(file.arena.layer, 'f')).isFile());
  const dir = await attempt(t, (a) => [
    { name: 'd', type: 'symlink', linkname: a.outside },
    { name: 'd/', type: 'directory', mode: 0o777, uid: 1234 },
  ]);
  assert.equal(dir.error, undefined);
  assert.ok(fs.lstatSync(path.join(dir.arena.layer, 'd')).isDirectory());
  const dev = await attempt(t, (a) => [
    { name: 'n', type: 'symlink', linkname: path.join(a.outside, 'sentinel') },
    { name: 'n', type: 'character-device', mode: 0o600, devmajor: 1, devminor: 3 },
  ]);
  assert.equal(dev.error, undefined);
  const wh = await attempt(t, (a) => [
    { name: 'w', type: 'symlink', linkname: path.join(a.outside, 'sentinel') },
    { name: '.wh.w' },
  ]);
  assert.equal(wh.error, undefined);
  assert.ok(fs.lstatSync(path.join(wh.arena.layer, 'w')).isCharacterDevice());
});

test('hardlinks may only point at files already in the layer, and not through symlinks', async (t) => {
  refused((await attempt(t, () => [{ name: 'hl', type: 'link', linkname: '/etc/passwd' }])).error, 'hl', /not in the layer/);
  refused((await attempt(t, () => [{ name: 'hl', type: 'link', linkname: '../../outside/sentinel' }])).error, 'hl', /outside the layer/);
  refused((await attempt(t, () => [
    { name: 'etc', type: 'symlink', linkname: '/etc' },
    { name: 'hl', type: 'link', linkname: 'etc/passwd' },
  ])).error, 'hl', /"etc" is a symlink/);
  refused((await attempt(t, (a) => [
    { name: 'out', type: 'symlink', linkname: a.outside },
    { name: 'hl', type: 'link', linkname: 'out/sentinel' },
  ])).error, 'hl', /symlink/);
  // A hardlink to a symlink links the symlink itself (link(2) does not dereference).
  const ok = await attempt(t, () => [
    { name: 'etc/passwd', data: 'layer passwd' },
    { name: 'ptr', type: 'symlink', linkname: '/etc/passwd' },
    { name: 'hl', type: 'link', linkname: '/ptr' },
    { name: 'hl2', type: 'link', linkname: '/etc/passwd' },
  ]);
  assert.equal(ok.error, undefined);
  assert.ok(fs.lstatSync(path.join(ok.arena.layer, 'hl')).isSymbolicLink());
  assert.equal(fs.readFileSync(path.join(ok.arena.layer, 'hl2'), 'utf8'), 'layer passwd');
});

test('whiteouts that name no file are refused', async (t) => {
  refused((await attempt(t, () => [{ name: '.wh...' }])).error, '.wh...', /whiteout names no file/);
  refused((await attempt(t, () => [{ name: 'a/.wh..' }])).error, 'a/.wh..', /whiteout names no file/);
});

test('a refused layer leaves nothing in the layer store', async (t) => {
  const { paths, layers } = tempLayerStore(t);
  const tar = await makeTar([{ name: 'x', type: 'symlink', linkname: '/' }, { name: 'x/tmp/pwned', data: 'x' }]);
  await assert.rejects(layers.create(null, Readable.from([tar])), (e: unknown) => e instanceof EngineError && e.message.includes('"x/tmp/pwned"'));
  assert.deepEqual(fs.readdirSync(paths.layersDir), []);
  assert.ok(!fs.existsSync('/tmp/pwned'));
});
