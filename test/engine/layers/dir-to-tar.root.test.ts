import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packDirectory } from '../../../source/engine/layers/dir-to-tar.js';
import { extractLayer } from '../../../source/engine/layers/extract.js';
import { lgetxattr, lsetxattr, mknod, S_IFCHR } from '../../../source/engine/layers/native-fs.js';
import { tarStream } from '../../../source/engine/layers/tar-stream.js';

test('an upper dir packs to OCI whiteouts and extracts back to the same overlay tree', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pack-'));
  try {
    const upper = path.join(base, 'upper');
    const long = 'd'.repeat(120);
    fs.mkdirSync(path.join(upper, 'opq'), { recursive: true });
    fs.mkdirSync(path.join(upper, long, long), { recursive: true });
    fs.writeFileSync(path.join(upper, long, long, 'deep.txt'), 'deep\n');
    fs.writeFileSync(path.join(upper, 'opq', 'kept'), 'kept\n');
    lsetxattr(path.join(upper, 'opq'), 'trusted.overlay.opaque', Buffer.from('y'));
    lsetxattr(path.join(upper, 'opq'), 'trusted.overlay.origin', Buffer.from('bookkeeping'));
    mknod(path.join(upper, 'gone'), S_IFCHR, 0, 0);
    fs.writeFileSync(path.join(upper, 'file'), 'data\n', { mode: 0o4755 });
    fs.chownSync(path.join(upper, 'file'), 123, 456); // before chmod: chown drops setuid
    fs.chmodSync(path.join(upper, 'file'), 0o4755);
    lsetxattr(path.join(upper, 'file'), 'user.note', Buffer.from('hello'));
    fs.linkSync(path.join(upper, 'file'), path.join(upper, 'hard'));
    fs.symlinkSync('file', path.join(upper, 'link'));
    fs.writeFileSync(path.join(upper, 'big'), Buffer.alloc(3 << 20, 7));

    const names: string[] = [];
    const extract = tarStream().extract();
    const listing = (async () => { for await (const entry of extract) { names.push(`${entry.header.type} ${entry.header.name}`); entry.resume(); } })();
    for await (const chunk of packDirectory(upper, { overlay: true })) extract.write(chunk);
    (extract as unknown as { end(): void }).end();
    await listing;
    assert.deepEqual(names, [
      'file big', `directory ${long}/`, `directory ${long}/${long}/`, `file ${long}/${long}/deep.txt`,
      'file file', 'file .wh.gone', 'link hard', 'symlink link', 'directory opq/', 'file opq/.wh..wh..opq', 'file opq/kept',
    ]);

    const into = path.join(base, 'layer');
    fs.mkdirSync(into);
    await extractLayer(packDirectory(upper, { overlay: true }), into);
    const gone = fs.lstatSync(path.join(into, 'gone'));
    assert.ok(gone.isCharacterDevice() && gone.rdev === 0);
    assert.equal(lgetxattr(path.join(into, 'opq'), 'trusted.overlay.opaque')?.toString(), 'y');
    assert.equal(lgetxattr(path.join(into, 'opq'), 'trusted.overlay.origin'), null);
    assert.equal(lgetxattr(path.join(into, 'file'), 'user.note')?.toString(), 'hello');
    const file = fs.statSync(path.join(into, 'file'));
    assert.equal(file.mode & 0o7777, 0o4755);
    assert.equal(`${file.uid}:${file.gid}`, '123:456');
    assert.equal(fs.statSync(path.join(into, 'hard')).ino, file.ino);
    assert.equal(fs.readlinkSync(path.join(into, 'link')), 'file');
    assert.equal(fs.readFileSync(path.join(into, long, long, 'deep.txt'), 'utf8'), 'deep\n');
    assert.ok(fs.readFileSync(path.join(into, 'big')).equals(Buffer.alloc(3 << 20, 7)));
    assert.equal(Math.floor(fs.statSync(path.join(into, 'file')).mtimeMs / 1000), Math.floor(fs.statSync(path.join(upper, 'file')).mtimeMs / 1000));
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
