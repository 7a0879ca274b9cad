import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import tar from 'tar-stream';
import { busyboxRootfsTar } from '../../source/engine/demo.js';

interface Entry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  linkname?: string | null;
  body: Buffer;
}

async function readTar(stream: NodeJS.ReadableStream): Promise<Map<string, Entry>> {
  const extract = tar.extract();
  const entries = new Map<string, Entry>();
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    const h = entry.header;
    entries.set(h.name.replace(/\/$/, ''), { name: h.name, type: h.type ?? 'file', mode: h.mode ?? 0, uid: h.uid ?? 0, linkname: h.linkname, body: Buffer.concat(chunks) });
  }
  return entries;
}

describe('busyboxRootfsTar', { skip: fs.existsSync('/bin/busybox') ? false : 'no /bin/busybox on this host' }, () => {
  it('holds busybox, its applets, users and the usual folders', async () => {
    const entries = await readTar(busyboxRootfsTar());
    const busybox = entries.get('bin/busybox');
    assert.ok(busybox);
    assert.equal(busybox.type, 'file');
    assert.equal(busybox.body.length, fs.statSync('/bin/busybox').size);
    assert.equal(busybox.mode & 0o777, 0o755);

    const sh = entries.get('bin/sh');
    assert.equal(sh?.type, 'symlink');
    assert.equal(sh?.linkname, '/bin/busybox');
    for (const applet of ['cat', 'echo', 'sleep', 'date', 'id']) {
      assert.ok([...entries.keys()].some((k) => k.endsWith(`bin/${applet}`)), `missing applet ${applet}`);
    }

    const passwd = entries.get('etc/passwd')!.body.toString();
    assert.match(passwd, /^root:x:0:0:/m);
    assert.match(passwd, /^nobody:x:65534:65534:/m);
    assert.match(passwd, /^\w+:x:1000:1000:/m);
    assert.match(entries.get('etc/group')!.body.toString(), /^root:x:0:/m);

    assert.equal(entries.get('tmp')?.mode, 0o1777);
    for (const dir of ['root', 'home', 'proc', 'dev', 'sys', 'etc']) assert.equal(entries.get(dir)?.type, 'directory', dir);
    assert.equal(entries.get('home/user')?.uid, 1000);
    assert.ok(entries.get('etc/hostname'));
  });

  it('lists every parent folder before what it holds', async () => {
    const entries = [...(await readTar(busyboxRootfsTar())).keys()];
    const seen = new Set<string>();
    for (const name of entries) {
      const parent = name.split('/').slice(0, -1).join('/');
      if (parent) assert.ok(seen.has(parent), `${name} comes before ${parent}`);
      seen.add(name);
    }
  });
});
