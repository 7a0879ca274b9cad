// Volumes and mounts with real containers: named volumes outlive their containers, new ones
// get the image's content, :ro binds refuse writes, anonymous volumes go with rm -v, and
// volumes in use cannot be removed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { busyboxRootfsTar } from '../../../source/engine/demo.js';
import { IMAGE, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';

describe('volumes and mounts', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  it('keeps a named volume after rm and shows its files to a new container', async () => {
    const first = await runToEnd(t.engine, ['sh', '-c', 'echo kept > /data/file'], { mounts: [{ type: 'volume', source: 'data', target: '/data' }], network: 'none' });
    assert.equal(first.exitCode, 0, first.stderr);
    assert.deepEqual((await t.engine.listVolumes()).map((v) => v.name), ['data']);
    const second = await runToEnd(t.engine, ['cat', '/data/file'], { mounts: [{ type: 'volume', source: 'data', target: '/data' }], network: 'none' });
    assert.equal(second.stdout, 'kept\n');
    assert.equal(second.record.mounts?.[0].name, 'data');
    await t.engine.removeVolume('data');
    assert.deepEqual(await t.engine.listVolumes(), []);
  });

  it('fills a new volume with what the image has at the mount point', async () => {
    const r = await runToEnd(t.engine, ['cat', '/etc/os-release'], { mounts: [{ type: 'volume', source: 'etcvol', target: '/etc' }], network: 'none' });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(t.root, 'volumes/etcvol/_data/os-release')));
    // only once: what the container changed stays, nothing is copied over it again
    fs.writeFileSync(path.join(t.root, 'volumes/etcvol/_data/os-release'), 'changed\n');
    const again = await runToEnd(t.engine, ['cat', '/etc/os-release'], { mounts: [{ type: 'volume', source: 'etcvol', target: '/etc' }], network: 'none' });
    assert.equal(again.stdout, 'changed\n');
    await t.engine.removeVolume('etcvol');
  });

  it('refuses writes to a read-only bind and shows writes through a read-write one', async () => {
    const host = fs.mkdtempSync(path.join(t.base, 'bind-'));
    fs.writeFileSync(path.join(host, 'conf'), 'setting=1\n');
    const ro = await runToEnd(t.engine, ['sh', '-c', 'cat /etc/app/conf; echo x > /etc/app/new'], { mounts: [{ type: 'bind', source: host, target: '/etc/app', readOnly: true }], network: 'none' });
    assert.notEqual(ro.exitCode, 0);
    assert.match(ro.stdout, /setting=1/);
    assert.match(ro.stderr, /Read-only file system/);
    assert.ok(!fs.existsSync(path.join(host, 'new')));
    const rw = await runToEnd(t.engine, ['sh', '-c', 'echo written > /mnt/new'], { mounts: [{ type: 'bind', source: host, target: '/mnt' }], network: 'none' });
    assert.equal(rw.exitCode, 0, rw.stderr);
    assert.equal(fs.readFileSync(path.join(host, 'new'), 'utf8'), 'written\n');
  });

  it('rejects a bind of a host path that does not exist', async () => {
    await assert.rejects(
      t.engine.createContainer({ image: IMAGE, cmd: ['true'], mounts: [{ type: 'bind', source: '/nonexistent/strata-test', target: '/x' }] }),
      /bind source path does not exist: \/nonexistent\/strata-test/,
    );
  });

  it('mounts a tmpfs', async () => {
    const r = await runToEnd(t.engine, ['sh', '-c', 'grep " /cache " /proc/mounts'], { mounts: [{ type: 'tmpfs', target: '/cache', tmpfsSizeBytes: 1 << 20 }], network: 'none' });
    assert.match(r.stdout, /^tmpfs \/cache tmpfs rw,nosuid,nodev,noexec.*size=1024k/m);
  });

  it("makes anonymous volumes for the image's VOLUMEs and removes them with rm -v only", async () => {
    await t.engine.importImage(busyboxRootfsTar(), 'test/withvol:latest', { changes: ['VOLUME /state', 'CMD ["sh"]'] });
    const keep = await t.engine.createContainer({ image: 'test/withvol:latest', cmd: ['true'], network: 'none' });
    const drop = await t.engine.createContainer({ image: 'test/withvol:latest', cmd: ['true'], network: 'none' });
    const anon = (id: string) => (keep.id === id ? keep : drop).mounts!.find((m) => m.destination === '/state')!;
    assert.equal(anon(keep.id).anonymous, true);
    assert.equal((await t.engine.listVolumes()).length, 2);
    await t.engine.removeContainer(keep.id);
    await t.engine.removeContainer(drop.id, false, true);
    assert.deepEqual((await t.engine.listVolumes()).map((v) => v.name), [anon(keep.id).name]);
    assert.deepEqual((await t.engine.pruneVolumes()).removed, [anon(keep.id).name]);
    await t.engine.removeImage('test/withvol:latest');
  });

  it('refuses a mount over / or inside /proc, from the image\'s VOLUME or from -v, and makes no volume for it', async () => {
    for (const [volume, message] of [['/', /the image's VOLUME \/: the destination cannot be \//], ['/proc', /the image's VOLUME \/proc: \/proc cannot be mounted because it is inside \/proc/]] as const) {
      await t.engine.importImage(busyboxRootfsTar(), 'test/badvol:latest', { changes: [`VOLUME ${volume}`, 'CMD ["sh"]'] });
      await assert.rejects(t.engine.createContainer({ image: 'test/badvol:latest', cmd: ['true'], network: 'none' }), message);
      await t.engine.removeImage('test/badvol:latest');
    }
    await assert.rejects(t.engine.createContainer({ image: IMAGE, cmd: ['true'], network: 'none', mounts: [{ type: 'tmpfs', target: '/proc/sys' }] }), /\/proc\/sys cannot be mounted because it is inside \/proc/);
    // as runc, a bind may cover the few /proc files lxcfs serves
    const meminfo = path.join(t.base, 'meminfo');
    fs.writeFileSync(meminfo, 'MemTotal: 1 kB\n');
    const r = await runToEnd(t.engine, ['cat', '/proc/meminfo'], { network: 'none', mounts: [{ type: 'bind', source: meminfo, target: '/proc/meminfo', readOnly: true }] });
    assert.equal(r.stdout, 'MemTotal: 1 kB\n', r.stderr);
    assert.deepEqual(await t.engine.listVolumes(), []);
  });

  it('refuses to remove a volume a container uses, and prune keeps it', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sleep', '30'], mounts: [{ type: 'volume', source: 'busy', target: '/busy' }], network: 'none' });
    await assert.rejects(t.engine.removeVolume('busy'), /volume is in use/);
    assert.deepEqual((await t.engine.pruneVolumes()).removed, []);
    await t.engine.removeContainer(record.id, true);
    await t.engine.removeVolume('busy');
  });
});
