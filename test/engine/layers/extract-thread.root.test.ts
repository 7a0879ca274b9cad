import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError } from '../../../source/engine/api.js';
import { extractLayer } from '../../../source/engine/layers/extract.js';
import { extractLayerOffThread } from '../../../source/engine/layers/extract-thread.js';
import { lgetxattr, llistxattr } from '../../../source/native.js';
import { gzip, makeTar, sha256, tempDir, tempLayerStore, type TarEntry } from './tar-fixtures.js';

const MTIME = new Date('2023-05-06T07:08:09Z');

/** Everything extraction decides about a tree, to compare two extractions of the same tar. */
function describeTree(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    const st = fs.lstatSync(abs);
    const xattrs = llistxattr(abs).sort().map((n) => `${n}=${lgetxattr(abs, n)?.toString('hex')}`);
    const what = st.isFile() ? `file ${crypto.createHash('sha256').update(fs.readFileSync(abs)).digest('hex')} nlink ${st.nlink}`
      : st.isSymbolicLink() ? `symlink ${fs.readlinkSync(abs)}`
      : st.isDirectory() ? 'dir' : `node ${st.mode & 0o170000} ${st.rdev}`;
    // implicit directories and whiteouts get the time they were made, which differs between runs
    const mtime = st.isDirectory() || (st.isCharacterDevice() && st.rdev === 0) ? '' : `mtime ${st.mtimeMs}`;
    out.push(`${rel} ${what} mode ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${mtime} ${xattrs.join(',')}`);
    if (st.isDirectory()) for (const name of fs.readdirSync(abs).sort()) walk(rel === '' ? name : `${rel}/${name}`);
  };
  walk('');
  return out;
}

function richEntries(): TarEntry[] {
  const random = crypto.randomBytes(5 << 20); // bigger than the ring: it wraps, and the sender waits for space
  return [
    { name: 'usr/', type: 'directory', mode: 0o755, mtime: MTIME },
    { name: 'usr/bin/', type: 'directory', mode: 0o750, uid: 12, gid: 34, mtime: MTIME },
    { name: 'usr/bin/tool', mode: 0o4755, uid: 1000, gid: 1000, data: 'tool', mtime: MTIME },
    { name: 'usr/bin/alias', type: 'link', linkname: 'usr/bin/tool' },
    { name: 'usr/bin/sym', type: 'symlink', linkname: '/usr/bin/tool', uid: 7, gid: 8, mtime: MTIME },
    { name: 'shared/', type: 'directory', mode: 0o2775, gid: 1234, mtime: MTIME },
    { name: 'shared/root-owned', mode: 0o640, data: 'r' },
    { name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 },
    { name: 'run/pipe', type: 'fifo', mode: 0o620 },
    { name: 'notes', data: 'x', pax: { 'SCHILY.xattr.user.note': 'hello', mtime: '1700000000.25' } },
    { name: 'sneaky', data: 'y', pax: { 'SCHILY.xattr.trusted.overlay.redirect': '/etc' } },
    { name: 'etc/.wh.motd' },
    { name: 'var/.wh..wh..opq' },
    ...Array.from({ length: 300 }, (_, i): TarEntry => ({ name: `many/f${i}`, mode: i % 2 ? 0o600 : 0o755, data: crypto.randomBytes(i * 37) })),
    { name: 'big.bin', data: random },
    { name: 'big.bin', data: random.subarray(0, (1 << 20) + 3) }, // replaced, like tar
  ];
}

function chunked(data: Buffer, size: number): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

test('off the main thread, a layer comes out exactly as extractLayer makes it', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const bytes = gzip(await makeTar(richEntries()));
  const inline = path.join(tmp.dir, 'inline');
  const threaded = path.join(tmp.dir, 'threaded');
  const oneChunk = path.join(tmp.dir, 'one-chunk');
  for (const dir of [inline, threaded, oneChunk]) fs.mkdirSync(dir);
  const expected = await extractLayer(Readable.from([bytes]), inline);
  const [a, b] = await Promise.all([
    extractLayerOffThread(chunked(bytes, 16_000), threaded), // socket-sized pieces
    extractLayerOffThread(Readable.from([bytes]), oneChunk), // one piece bigger than the ring, alongside
  ]);
  assert.deepEqual(a, expected);
  assert.deepEqual(b, expected);
  assert.deepEqual(describeTree(threaded), describeTree(inline));
  assert.deepEqual(describeTree(oneChunk), describeTree(inline));
  const shared = fs.statSync(path.join(threaded, 'shared/root-owned'));
  assert.equal(shared.gid, 0, 'a file in a setgid directory still gets the owner its entry names');
  assert.equal(shared.mode & 0o7777, 0o640);
});

test('off the main thread, hostile and broken layers are refused as on it', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  let n = 0;
  const dir = () => {
    const d = path.join(tmp.dir, `l${n++}`);
    fs.mkdirSync(d);
    return d;
  };
  const through = await makeTar([
    { name: 'link', type: 'symlink', linkname: '/etc' },
    { name: 'link/passwd', data: 'owned' },
  ]);
  await assert.rejects(extractLayerOffThread(Readable.from([through]), dir()),
    (e: unknown) => e instanceof EngineError && e.code === 'invalid' && /symlink; refusing to write through it/.test(e.message));
  await assert.rejects(extractLayerOffThread(Readable.from([await makeTar([{ name: '../x', data: 'x' }])]), dir()),
    (e: unknown) => e instanceof EngineError && e.code === 'invalid');
  await assert.rejects(extractLayerOffThread(Readable.from([Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6])]), dir()), /gzip/);
  const truncated = (await makeTar([{ name: 'f', data: 'y'.repeat(5000) }])).subarray(0, 2048);
  await assert.rejects(extractLayerOffThread(Readable.from([truncated]), dir()), (e: unknown) => e instanceof EngineError && e.code === 'invalid');
});

test('off the main thread, a failing source stops the extraction before the error is reported', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const tarBytes = await makeTar(Array.from({ length: 2000 }, (_, i): TarEntry => ({ name: `d${i % 10}/f${i}`, data: crypto.randomBytes(2000) })));
  async function* failing() {
    for (let i = 0; i < tarBytes.length / 2; i += 65536) yield tarBytes.subarray(i, i + 65536);
    throw new EngineError('layer sha256:feed: truncated download', 'invalid');
  }
  const into = path.join(tmp.dir, 'x');
  fs.mkdirSync(into);
  await assert.rejects(extractLayerOffThread(failing(), into), (e: unknown) => e instanceof EngineError && /truncated download/.test(e.message));
  fs.rmSync(into, { recursive: true, force: true });
  await sleep(200);
  assert.ok(!fs.existsSync(into), 'nothing is written after the failure was reported');

  async function* reset() {
    yield tarBytes.subarray(0, 1024);
    throw new Error('connection reset');
  }
  fs.mkdirSync(into);
  await assert.rejects(extractLayerOffThread(reset(), into), (e: unknown) => e instanceof EngineError && /cannot read the layer: connection reset/.test(e.message));
});

test('the layer store extracts off the main thread when asked, and checks the diffID all the same', async (t) => {
  const { paths, layers } = tempLayerStore(t);
  const tar = await makeTar([{ name: 'etc/os', data: 'base' }]);
  const created = await layers.create(null, Readable.from([tar]), { offThread: true, expectedDiffId: sha256(tar) });
  assert.equal(fs.readFileSync(path.join(layers.diffDir(created.record.chainId), 'etc/os'), 'utf8'), 'base');
  await assert.rejects(layers.create(null, Readable.from([await makeTar([{ name: 'a', data: 'a' }])]), { offThread: true, expectedDiffId: sha256(Buffer.from('other')) }),
    (e: unknown) => e instanceof EngineError && /diffID mismatch/.test(e.message));
  assert.deepEqual(fs.readdirSync(paths.layersDir).filter((n) => n.startsWith('tmp-')), []);
});

test('an extraction thread never keeps the process alive', async (t) => {
  const tmp = tempDir();
  t.after(tmp.remove);
  const tarFile = path.join(tmp.dir, 'layer.tar');
  fs.writeFileSync(tarFile, await makeTar([{ name: 'a', data: 'a' }]));
  fs.mkdirSync(path.join(tmp.dir, 'into'));
  const module = new URL('../../../source/engine/layers/extract-thread.ts', import.meta.url).href;
  const script = `const { extractLayerOffThread } = await import(${JSON.stringify(module)});
    const fs = await import('node:fs');
    const r = await extractLayerOffThread(fs.createReadStream(${JSON.stringify(tarFile)}), ${JSON.stringify(path.join(tmp.dir, 'into'))});
    console.log(r.files);`;
  const started = Date.now();
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), '1');
  assert.ok(Date.now() - started < 10_000, 'the process exits once the layer is extracted');
});
