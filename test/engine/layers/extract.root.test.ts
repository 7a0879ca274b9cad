import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { EngineError } from '../../../source/engine/api.js';
import { chainId, chainIds } from '../../../source/engine/layers/chain-id.js';
import { extractLayer } from '../../../source/engine/layers/extract.js';
import { lgetxattr } from '../../../source/native.js';
import { gzip, makeTar, sha256, tempDir, type TarEntry } from './tar-fixtures.js';

async function extracted(t: { after(fn: () => void): void }, entries: TarEntry[], compress = false) {
  const tmp = tempDir();
  t.after(tmp.remove);
  const layer = path.join(tmp.dir, 'layer');
  fs.mkdirSync(layer);
  const bytes = await makeTar(entries);
  const result = await extractLayer(Readable.from([compress ? gzip(bytes) : bytes]), layer);
  return { layer, result, bytes };
}

const MTIME = new Date('2023-05-06T07:08:09Z');

test('keeps types, owners, modes (setuid too), mtimes, hardlinks, devices, fifos and xattrs', async (t) => {
  const { layer, result, bytes } = await extracted(t, [
    { name: 'usr/', type: 'directory', mode: 0o755, mtime: MTIME },
    { name: 'usr/bin/', type: 'directory', mode: 0o750, uid: 12, gid: 34, mtime: MTIME },
    { name: 'usr/bin/tool', mode: 0o4755, uid: 1000, gid: 1000, data: 'tool', mtime: MTIME },
    { name: 'usr/bin/alias', type: 'link', linkname: 'usr/bin/tool' },
    { name: 'usr/bin/sym', type: 'symlink', linkname: '/usr/bin/tool', uid: 7, gid: 8, mtime: MTIME },
    { name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 },
    { name: 'dev/loop9', type: 'block-device', mode: 0o660, devmajor: 7, devminor: 9 },
    { name: 'run/pipe', type: 'fifo', mode: 0o620 },
    { name: 'notes', data: 'x', pax: { 'SCHILY.xattr.user.note': 'hello', mtime: '1700000000.25' } },
    { name: 'stamped', data: 'y', pax: { mtime: '1700000000.75', atime: '1600000000.5' } },
    { name: 'sneaky', data: 'y', pax: { 'SCHILY.xattr.trusted.overlay.redirect': '/etc' } },
  ]);
  assert.equal(result.diffId, sha256(bytes), 'the diffID is the sha256 of the tar as given');
  assert.equal(result.size, 4 + 1 + 1 + 1 + '/usr/bin/tool'.length);

  const tool = fs.statSync(path.join(layer, 'usr/bin/tool'));
  assert.equal(tool.mode & 0o7777, 0o4755, 'setuid survives chown');
  assert.equal(tool.uid, 1000);
  assert.equal(tool.gid, 1000);
  assert.equal(tool.mtimeMs, MTIME.getTime());
  assert.equal(fs.statSync(path.join(layer, 'usr/bin/alias')).ino, tool.ino, 'a hardlink shares the inode');
  assert.equal(tool.nlink, 2);

  const bin = fs.statSync(path.join(layer, 'usr/bin'));
  assert.equal(bin.mode & 0o7777, 0o750);
  assert.equal(bin.uid, 12);
  assert.equal(bin.mtimeMs, MTIME.getTime(), 'directory times are set after their children are written');

  const sym = fs.lstatSync(path.join(layer, 'usr/bin/sym'));
  assert.ok(sym.isSymbolicLink());
  assert.equal(fs.readlinkSync(path.join(layer, 'usr/bin/sym')), '/usr/bin/tool');
  assert.equal(sym.uid, 7);
  assert.equal(sym.mtimeMs, MTIME.getTime());

  const nul = fs.lstatSync(path.join(layer, 'dev/null'));
  assert.ok(nul.isCharacterDevice());
  assert.equal(nul.rdev, (1 << 8) | 3);
  assert.equal(nul.mode & 0o777, 0o666);
  const loop = fs.lstatSync(path.join(layer, 'dev/loop9'));
  assert.ok(loop.isBlockDevice());
  assert.equal(loop.rdev, (7 << 8) | 9);
  assert.ok(fs.lstatSync(path.join(layer, 'run/pipe')).isFIFO());
  assert.equal(fs.lstatSync(path.join(layer, 'run')).mode & 0o777, 0o755, 'implicit parents are 0755');

  assert.equal(lgetxattr(path.join(layer, 'notes'), 'user.note')?.toString(), 'hello');
  assert.equal(fs.statSync(path.join(layer, 'notes')).mtimeMs, 1700000000250, 'PAX sub-second mtime');
  const stamped = fs.statSync(path.join(layer, 'stamped'));
  assert.deepEqual([stamped.mtimeMs, stamped.atimeMs], [1700000000750, 1600000000500], 'PAX sub-second mtime and atime of a file without xattrs');
  assert.equal(lgetxattr(path.join(layer, 'sneaky'), 'trusted.overlay.redirect'), null, 'a tar cannot set overlay attributes');
  assert.ok(result.warnings.some((w) => w.includes('trusted.overlay.redirect')));
});

test('whiteouts become 0/0 character devices, opaque markers an xattr', async (t) => {
  const { layer, result } = await extracted(t, [
    { name: 'etc/', type: 'directory' },
    { name: 'etc/.wh.motd' },
    { name: 'var/lib/.wh..wh..opq' },
    { name: 'var/lib/', type: 'directory', mode: 0o711 },
    { name: 'var/lib/kept', data: 'new' },
    { name: '.wh.gone-dir' },
    { name: '.wh..wh.plnk/' , type: 'directory' },
  ]);
  for (const hidden of ['etc/motd', 'gone-dir']) {
    const st = fs.lstatSync(path.join(layer, hidden));
    assert.ok(st.isCharacterDevice(), `${hidden} is a whiteout device`);
    assert.equal(st.rdev, 0);
  }
  assert.ok(!fs.existsSync(path.join(layer, 'etc/.wh.motd')));
  assert.equal(lgetxattr(path.join(layer, 'var/lib'), 'trusted.overlay.opaque')?.toString(), 'y');
  assert.equal(fs.statSync(path.join(layer, 'var/lib')).mode & 0o777, 0o711, 'a later directory entry keeps the opaque mark');
  assert.equal(fs.readFileSync(path.join(layer, 'var/lib/kept'), 'utf8'), 'new');
  assert.equal(lgetxattr(path.join(layer, 'etc'), 'trusted.overlay.opaque'), null);
  assert.ok(!fs.existsSync(path.join(layer, '.wh..wh.plnk')), 'aufs bookkeeping is dropped');
  assert.ok(result.warnings.some((w) => w.includes('aufs')));
});

test('gzip input is detected by magic bytes and hashes to the same diffID', async (t) => {
  const entries: TarEntry[] = [{ name: 'a/b.txt', data: 'compressed?'.repeat(1000) }];
  const plain = await extracted(t, entries);
  const zipped = await extracted(t, entries, true);
  assert.equal(zipped.result.diffId, plain.result.diffId);
  assert.equal(fs.readFileSync(path.join(zipped.layer, 'a/b.txt'), 'utf8'), 'compressed?'.repeat(1000));
});

test('later entries replace earlier ones, like tar', async (t) => {
  const { layer } = await extracted(t, [
    { name: 'f', data: 'first' },
    { name: 'f', data: 'second' },
    { name: 'd/inner', data: 'gone soon' },
    { name: 'd', data: 'now a file' },
    { name: 's', type: 'symlink', linkname: 'f' },
    { name: 's', type: 'directory', mode: 0o700 },
    { name: 's/x', data: 'in the dir' },
    { name: 'big', data: Buffer.alloc((1 << 20) + 17, 1) },
    { name: 'big', data: Buffer.alloc((1 << 20) + 5, 2) },
  ]);
  assert.equal(fs.readFileSync(path.join(layer, 'f'), 'utf8'), 'second');
  assert.equal(fs.readFileSync(path.join(layer, 'd'), 'utf8'), 'now a file');
  assert.ok(fs.lstatSync(path.join(layer, 's')).isDirectory());
  assert.equal(fs.readFileSync(path.join(layer, 's/x'), 'utf8'), 'in the dir');
  const big = fs.readFileSync(path.join(layer, 'big'));
  assert.equal(big.length, (1 << 20) + 5);
  assert.equal(big[0], 2);
});

test('refuses what it cannot extract with an EngineError naming the entry', async (t) => {
  await assert.rejects(extracted(t, [{ name: 'x', type: 'link', linkname: 'missing' }]),
    (e: unknown) => e instanceof EngineError && e.message.includes('"x"') && /not in the layer/.test(e.message));
  const tmp = tempDir();
  t.after(tmp.remove);
  await assert.rejects(extractLayer(Readable.from([Buffer.from('BZh91AY&SY')]), tmp.dir), /bzip2/);
  const truncated = (await makeTar([{ name: 'f', data: 'y'.repeat(5000) }])).subarray(0, 2048);
  await assert.rejects(extractLayer(Readable.from([truncated]), tmp.dir), (e: unknown) => e instanceof EngineError && e.code === 'invalid');
  await assert.rejects(extractLayer(Readable.from([Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5, 6])]), tmp.dir), /gzip/);
  const tarBytes = await makeTar([{ name: 'a', data: 'a'.repeat(10_000) }]);
  async function* failing() {
    yield tarBytes.subarray(0, 1024);
    throw new Error('connection reset');
  }
  fs.mkdirSync(path.join(tmp.dir, 'x'));
  await assert.rejects(extractLayer(failing(), path.join(tmp.dir, 'x')), (e: unknown) => e instanceof EngineError && /cannot read the layer: connection reset/.test(e.message));
});

test('chainIDs follow the OCI definition', () => {
  const a = sha256(Buffer.from('a'));
  const b = sha256(Buffer.from('b'));
  assert.equal(chainId(null, a), a);
  assert.equal(chainId(a, b), sha256(Buffer.from(`${a} ${b}`)));
  assert.deepEqual(chainIds([a, b]), [a, chainId(a, b)]);
});

test('modes and owners come out as the entries say, whatever the umask and a setgid parent', async (t) => {
  const old = process.umask(0o077);
  t.after(() => process.umask(old));
  const { layer } = await extracted(t, [
    { name: 'open.txt', mode: 0o644, data: 'a' },
    { name: 'tool', mode: 0o755, data: Buffer.alloc((1 << 20) + 1) }, // the streamed path
    { name: 'locked', mode: 0o200, data: 'b' },
    { name: 'sticky', mode: 0o1777, data: 'c' },
    { name: 'shared/', type: 'directory', mode: 0o2775, gid: 1234 },
    { name: 'shared/mine', mode: 0o664, uid: 0, gid: 0, data: 'd' },
    { name: 'shared/theirs', mode: 0o600, uid: 1000, gid: 1234, data: 'e' },
  ]);
  const mode = (rel: string) => fs.statSync(path.join(layer, rel)).mode & 0o7777;
  assert.equal(mode('open.txt'), 0o644);
  assert.equal(mode('tool'), 0o755);
  assert.equal(mode('locked'), 0o200);
  assert.equal(mode('sticky'), 0o1777);
  assert.equal(mode('shared'), 0o2775);
  const mine = fs.statSync(path.join(layer, 'shared/mine'));
  assert.equal(mine.gid, 0, 'not the setgid parent\'s group');
  assert.equal(mine.mode & 0o7777, 0o664);
  const theirs = fs.statSync(path.join(layer, 'shared/theirs'));
  assert.deepEqual([theirs.uid, theirs.gid, theirs.mode & 0o7777], [1000, 1234, 0o600]);
});
