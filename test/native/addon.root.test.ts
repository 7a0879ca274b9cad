// The addon's syscalls on the real kernel: overlays and mounts, whiteouts, xattrs, flocks, removeTree.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  flock, isMountPoint, lgetxattr, llistxattr, lsetxattr, mknod, mount, mountOverlay, removeTree, umount, type NativeError,
} from '../../source/native.js';

let dir: string;
const mounted: string[] = [];

before(() => {
  dir = fs.mkdtempSync('/tmp/strata-native-test-addon-');
});

after(() => {
  for (const m of mounted.reverse()) {
    try {
      if (isMountPoint(m)) umount(m, true);
    } catch {
      /* already gone */
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function mk(...parts: string[]): string {
  const p = path.join(dir, ...parts);
  fs.mkdirSync(p, { recursive: true });
  return p;
}

describe('overlay and mounts', () => {
  it('mounts an overlay of 150 long lowerdirs (beyond a page of options)', () => {
    const lowers: string[] = [];
    for (let i = 0; i < 150; i++) {
      const d = mk('layers', `${'l'.repeat(60)}-${i}`, 'diff');
      fs.writeFileSync(path.join(d, `f${i}`), String(i));
      fs.writeFileSync(path.join(d, 'shadowed'), `layer ${i}`);
      lowers.push(d);
    }
    assert.ok(lowers.join(':').length > 4096);
    const target = mk('ovl', 'merged');
    mountOverlay(lowers, mk('ovl', 'upper'), mk('ovl', 'work'), target);
    mounted.push(target);
    assert.equal(isMountPoint(target), true);
    assert.equal(fs.readdirSync(target).length, 151);
    assert.equal(fs.readFileSync(path.join(target, 'shadowed'), 'utf8'), 'layer 0', 'lowerdirs[0] is the top');
    fs.writeFileSync(path.join(target, 'new'), 'x');
    assert.equal(fs.readFileSync(path.join(dir, 'ovl/upper/new'), 'utf8'), 'x');
    umount(target, false);
    assert.equal(isMountPoint(target), false);
  });

  it('mounts a read-only overlay without an upper dir', () => {
    const a = mk('ro', 'a');
    const b = mk('ro', 'b');
    fs.writeFileSync(path.join(b, 'file'), 'b');
    const target = mk('ro', 'merged');
    mountOverlay([a, b], '', '', target);
    mounted.push(target);
    assert.equal(fs.readFileSync(path.join(target, 'file'), 'utf8'), 'b');
    assert.throws(() => fs.writeFileSync(path.join(target, 'x'), 'x'), { code: 'EROFS' });
    umount(target, true);
  });

  it('throws errors shaped like node fs errors', () => {
    const target = mk('bad', 'merged');
    assert.throws(
      () => mountOverlay([path.join(dir, 'missing')], mk('bad', 'upper'), mk('bad', 'work'), target),
      (e: NativeError) => e.code === 'ENOENT' && e.errno === -2 && e.syscall === 'fsconfig' && e.message.includes(path.join(dir, 'missing')),
    );
    assert.throws(() => umount(target, false), (e: NativeError) => e.code === 'EINVAL' && e.syscall === 'umount' && e.message.includes(target));
    assert.throws(() => mount('', target, '', ['nonsense' as never]), /unknown flag nonsense/);
    assert.throws(() => isMountPoint(path.join(dir, 'nope')), { code: 'ENOENT' });
  });

  it('mounts tmpfs, remounts it read-only, binds and tells mount points apart', () => {
    const target = mk('tmp');
    mount('tmpfs', target, 'tmpfs', ['nosuid', 'nodev'], 'size=1m,mode=755');
    mounted.push(target);
    assert.equal(isMountPoint(target), true);
    fs.writeFileSync(path.join(target, 'f'), 'x');
    mount('', target, '', ['remount', 'ro', 'nosuid', 'nodev']);
    assert.throws(() => fs.writeFileSync(path.join(target, 'g'), 'x'), { code: 'EROFS' });
    const bindTarget = mk('bind');
    mount(target, bindTarget, '', ['bind']);
    mounted.push(bindTarget);
    assert.equal(fs.readFileSync(path.join(bindTarget, 'f'), 'utf8'), 'x');
    mount('', bindTarget, '', ['private']);
    assert.equal(isMountPoint(bindTarget), true);
    assert.equal(isMountPoint(mk('plain')), false);
    assert.equal(isMountPoint('/'), true);
    umount(bindTarget, true);
    umount(target, true);
    assert.equal(isMountPoint(target), false);
  });
});

describe('files', () => {
  it('makes whiteouts with mknod', () => {
    const p = path.join(mk('wh'), '.wh-file');
    mknod(p, fs.constants.S_IFCHR, 0, 0);
    const st = fs.lstatSync(p);
    assert.ok(st.isCharacterDevice());
    assert.equal(st.rdev, 0);
    assert.throws(() => mknod(p, fs.constants.S_IFCHR, 0, 0), { code: 'EEXIST', syscall: 'mknod' });
  });

  it('sets, gets and lists xattrs without following symlinks', () => {
    const d = mk('x');
    lsetxattr(d, 'trusted.overlay.opaque', Buffer.from('y'));
    lsetxattr(d, 'user.empty', Buffer.alloc(0));
    assert.deepEqual(lgetxattr(d, 'trusted.overlay.opaque'), Buffer.from('y'));
    assert.deepEqual(lgetxattr(d, 'user.empty'), Buffer.alloc(0));
    assert.equal(lgetxattr(d, 'user.not-set'), null);
    assert.deepEqual(llistxattr(d).sort(), ['trusted.overlay.opaque', 'user.empty']);
    const link = path.join(dir, 'x-link');
    fs.symlinkSync(d, link);
    assert.equal(lgetxattr(link, 'trusted.overlay.opaque'), null);
    assert.throws(() => llistxattr(path.join(dir, 'nothing')), { code: 'ENOENT' });
  });

  it('takes flocks', () => {
    const p = path.join(dir, 'lock');
    const a = fs.openSync(p, 'w');
    const b = fs.openSync(p, 'r');
    assert.equal(flock(a, true, true), true);
    assert.equal(flock(b, true, true), false);
    fs.closeSync(a);
    assert.equal(flock(b, false, true), true);
    fs.closeSync(b);
  });
});

describe('removeTree', () => {
  it('removes a tree without following its symlinks, and a missing path is no error', () => {
    const outside = mk('rt-outside');
    fs.writeFileSync(path.join(outside, 'keep'), 'kept');
    const tree = mk('rt-tree', 'a', 'b', 'c');
    fs.writeFileSync(path.join(tree, 'file'), 'x');
    fs.chmodSync(path.join(dir, 'rt-tree', 'a', 'b'), 0o000); // root removes what it cannot read
    fs.symlinkSync(outside, path.join(dir, 'rt-tree', 'a', 'link-to-dir'));
    fs.symlinkSync(path.join(outside, 'keep'), path.join(dir, 'rt-tree', 'link-to-file'));
    removeTree(path.join(dir, 'rt-tree'));
    assert.equal(fs.existsSync(path.join(dir, 'rt-tree')), false);
    assert.equal(fs.readFileSync(path.join(outside, 'keep'), 'utf8'), 'kept', 'nothing behind a symlink is touched');
    removeTree(path.join(dir, 'rt-tree')); // gone already
    fs.writeFileSync(path.join(dir, 'rt-file'), 'x');
    removeTree(path.join(dir, 'rt-file'));
    assert.equal(fs.existsSync(path.join(dir, 'rt-file')), false);
  });

  it('never empties a mount below the tree: EXDEV, and what is mounted there stays', () => {
    const source = mk('rt-mounted-source');
    fs.writeFileSync(path.join(source, 'precious'), 'p');
    const target = mk('rt-with-mount', 'inner', 'mnt');
    fs.writeFileSync(path.join(dir, 'rt-with-mount', 'loose'), 'l');
    mount(source, target, '', ['bind']); // the same filesystem: only the mount root tells it apart
    mounted.push(target);
    assert.throws(() => removeTree(path.join(dir, 'rt-with-mount')), (err: NativeError) => err.code === 'EXDEV');
    assert.equal(fs.readFileSync(path.join(source, 'precious'), 'utf8'), 'p');
    assert.equal(fs.readFileSync(path.join(target, 'precious'), 'utf8'), 'p');
    umount(target, true);
    removeTree(path.join(dir, 'rt-with-mount'));
    assert.equal(fs.existsSync(path.join(dir, 'rt-with-mount')), false);
  });
});
