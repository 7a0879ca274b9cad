// save/load against real peers: what strata saves, podman loads and runs and skopeo/umoci read
// with the same digests; what podman saves, strata loads and runs. Bad archives are refused
// with a clear error and leave the store clean. Needs root (containers) and podman, skopeo, umoci.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { busyboxRootfsTar } from '../../../source/engine/demo.js';
import type { Engine } from '../../../source/engine/engine.js';
import { IMAGE, makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { hasPodman, makePodman, PODMAN_RUN, type Podman } from './podman.js';

const hasTool = (tool: string) => spawnSync(tool, ['--version']).status === 0;
const skip = !hasPodman || !hasTool('skopeo') || !hasTool('umoci') ? 'needs podman, skopeo and umoci' : false;

async function saveTo(engine: Engine, refs: string[], file: string, format?: 'docker' | 'oci'): Promise<void> {
  const out = fs.createWriteStream(file);
  await engine.saveImages(refs, out, format);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

function sha256File(file: string): string {
  return `sha256:${crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
}

/** Rewrites one member of a tar (same size), keeping everything else as it was. */
function tamperMember(archive: string, member: string, out: string, work: string): void {
  const dir = fs.mkdtempSync(path.join(work, 'tamper-'));
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  const file = path.join(dir, member);
  const data = fs.readFileSync(file);
  data[Math.floor(data.length / 2)] ^= 0xff;
  fs.chmodSync(file, 0o644);
  fs.writeFileSync(file, data);
  execFileSync('tar', ['-cf', out, '-C', dir, '.']);
  fs.rmSync(dir, { recursive: true, force: true });
}

describe('save and load', { skip, timeout: 300_000 }, () => {
  let t: TestEngine;
  let podman: Podman;
  let work: string;

  before(async () => {
    t = await makeTestEngine();
    podman = makePodman(t.base);
    work = fs.mkdtempSync(path.join(t.base, 'work-'));
  });
  after(async () => {
    podman?.cleanup();
    await t?.cleanup();
  });

  it('strata save writes a docker archive that podman loads and runs', async () => {
    const file = path.join(work, 'app.tar');
    await t.engine.tagImage(IMAGE, 'test/app:1');
    await saveTo(t.engine, ['test/app:1'], file);
    const members = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).split('\n');
    assert.ok(members.includes('manifest.json') && members.includes('repositories'), members.join(' '));
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', file, 'manifest.json'], { encoding: 'utf8' }));
    const image = await t.engine.inspectImage('test/app:1');
    assert.deepEqual(manifest, [{ Config: `${image.id.slice(7)}.json`, RepoTags: ['test/app:1'], Layers: image.chainIds.map((c) => `${c.slice(7)}/layer.tar`) }]);

    const loaded = podman.ok(['load', '-i', file]);
    assert.match(loaded, /Loaded image: (localhost\/|docker\.io\/)?test\/app:1/);
    assert.match(podman.ok(['image', 'inspect', '--format', '{{.Id}}', 'test/app:1']), new RegExp(image.id.slice(7)));
    assert.equal(podman.ok([...PODMAN_RUN, 'test/app:1', 'echo', 'hi']), 'hi\n');
  });

  it('save --format oci writes an image layout skopeo and umoci read with the same digests', async () => {
    const file = path.join(work, 'app-oci.tar');
    await saveTo(t.engine, [IMAGE], file, 'oci');
    const image = await t.engine.inspectImage(IMAGE);
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', `oci-archive:${file}:latest`], { encoding: 'utf8' }));
    assert.equal(inspected.Digest, image.manifestDigest);
    assert.deepEqual(inspected.Layers, image.diffIds); // layers are stored uncompressed: blob digest = diffID

    const layout = path.join(work, 'layout');
    fs.mkdirSync(layout);
    execFileSync('tar', ['-xf', file, '-C', layout]);
    for (const blob of fs.readdirSync(path.join(layout, 'blobs/sha256'))) assert.equal(sha256File(path.join(layout, 'blobs/sha256', blob)), `sha256:${blob}`);
    const stat = execFileSync('umoci', ['stat', '--image', `${layout}:latest`, '--json'], { encoding: 'utf8' });
    assert.equal(JSON.parse(stat).history.length, 1);
    const bundle = path.join(work, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:latest`, bundle]);
    assert.ok(fs.statSync(path.join(bundle, 'rootfs/bin/busybox')).isFile());
    fs.rmSync(bundle, { recursive: true, force: true });
  });

  it('an archive podman saved of an image it imported loads into strata and runs', async () => {
    const rootfs = path.join(work, 'busybox-rootfs.tar');
    await pipeline(busyboxRootfsTar(), fs.createWriteStream(rootfs));
    const podId = podman.ok(['import', '--change', 'CMD ["sh"]', rootfs, 'podimg:1']).trim().split('\n').pop()!;
    const archive = path.join(work, 'pod.tar');
    podman.ok(['save', '-o', archive, 'podimg:1']);
    assert.ok(execFileSync('tar', ['-tvf', archive], { encoding: 'utf8' }).includes(' -> '), 'podman writes its layer.tar as a symlink');

    const result = await t.engine.loadImages(fs.createReadStream(archive));
    assert.deepEqual(result.images, [{ id: podId.startsWith('sha256:') ? podId : `sha256:${podId}`, tags: ['localhost/podimg:1'] }]);
    const run = await runToEnd(t.engine, ['echo', 'hi from podman'], { image: 'localhost/podimg:1' });
    assert.equal(run.exitCode, 0);
    assert.equal(run.stdout, 'hi from podman\n');

    // podman's OCI archive has gzip layers and names the image in org.opencontainers.image.ref.name
    const oci = path.join(work, 'pod-oci.tar');
    podman.ok(['save', '--format', 'oci-archive', '-o', oci, 'podimg:1']);
    await t.engine.removeImage('localhost/podimg:1', true);
    const again = await t.engine.loadImages(fs.createReadStream(oci));
    assert.deepEqual(again.images.map((i) => i.tags), [['localhost/podimg:1']]);
    assert.equal((await runToEnd(t.engine, ['true'], { image: 'localhost/podimg:1' })).exitCode, 0);
    assert.deepEqual(await t.engine.check(), []);
  });

  it('save → load into another store keeps the image id, tags and history', async () => {
    const file = path.join(work, 'roundtrip.tar');
    await saveTo(t.engine, [IMAGE, 'test/app:1'], file);
    const other = await makeTestEngine({ importBusybox: false });
    try {
      const older = await other.engine.importImage(busyboxRootfsTar(), 'test/app:1', { changes: ['ENV OLDER=1'] });
      const result = await other.engine.loadImages(fs.createReadStream(file));
      const original = await t.engine.inspectImage(IMAGE);
      assert.deepEqual(result.images, [{ id: original.id, tags: ['test/busybox:latest', 'test/app:1'] }]);
      assert.deepEqual(result.untagged, [`The image test/app:1 already exists, renaming the old one with ID ${older.id} to empty string`]);
      assert.deepEqual((await other.engine.listImages()).find((i) => i.id === older.id)?.repoTags, []);
      assert.deepEqual(await other.engine.imageHistory(IMAGE), await t.engine.imageHistory(IMAGE));
      // loading the same archive again changes nothing
      const twice = await other.engine.loadImages(fs.createReadStream(file));
      assert.deepEqual(twice.untagged, []);
      assert.deepEqual(await other.engine.check(), []);
    } finally {
      await other.cleanup();
    }
  });

  it('a load fed piece by piece, as from a pipe, waits out backpressure without leaving a listener per wait', async () => {
    const file = path.join(work, 'pieces.tar');
    await saveTo(t.engine, [IMAGE], file);
    const data = fs.readFileSync(file);
    async function* pieces() {
      for (let i = 0; i < data.length; i += 65536) {
        await new Promise(setImmediate); // each piece after the last one was taken in, as from a pipe
        yield data.subarray(i, i + 65536);
      }
    }
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const other = await makeTestEngine({ importBusybox: false });
    try {
      const result = await other.engine.loadImages(Readable.from(pieces()));
      assert.equal(result.images[0].id, (await t.engine.inspectImage(IMAGE)).id);
      await sleep(10); // warnings are emitted on the next tick
      assert.deepEqual(warnings.map((w) => w.message), []);
    } finally {
      process.off('warning', onWarning);
      await other.cleanup();
    }
  });

  it('garbage collection during a slow load leaves the load alone', async () => {
    const file = path.join(work, 'slow.tar');
    await saveTo(t.engine, [IMAGE], file);
    const other = await makeTestEngine({ importBusybox: false });
    try {
      const data = fs.readFileSync(file);
      const feed = new PassThrough();
      const loading = other.engine.loadImages(feed);
      feed.write(data.subarray(0, data.length - 4096)); // everything but the end: blobs are in the store, unreferenced
      await sleep(100);
      const pruned = await other.engine.pruneImages(true);
      assert.deepEqual(pruned.deleted, []);
      assert.ok(fs.readdirSync(path.join(other.root, 'blobs/sha256')).length > 0, 'the load has written blobs');
      feed.end(data.subarray(data.length - 4096));
      const result = await loading;
      assert.equal(result.images[0].id, (await t.engine.inspectImage(IMAGE)).id);
      assert.equal((await runToEnd(other.engine, ['true'], { image: IMAGE })).exitCode, 0);
      assert.deepEqual(await other.engine.check(), []);
    } finally {
      await other.cleanup();
    }
  });

  it('an rmi during a slow save neither breaks the archive nor keeps the content once the save is done', async () => {
    const doomed = await t.engine.importImage(busyboxRootfsTar(), 'test/doomed:1', { changes: ['ENV DOOMED=1'] });
    const sink = new PassThrough({ highWaterMark: 1024 }); // nobody reads yet: the save stalls on backpressure
    const saving = t.engine.saveImages(['test/doomed:1'], sink);
    await sleep(100);
    const lines = await t.engine.removeImage('test/doomed:1');
    assert.deepEqual(lines, ['Untagged: test/doomed:1', `Deleted: ${doomed.id}`]);
    assert.ok(fs.existsSync(path.join(t.root, 'blobs/sha256', doomed.id.slice(7))), 'the config blob waits for the save');
    const chunks: Buffer[] = [];
    sink.on('data', (c: Buffer) => chunks.push(c));
    await saving;
    sink.end();
    assert.ok(!fs.existsSync(path.join(t.root, 'blobs/sha256', doomed.id.slice(7))), 'collected after the save');
    const other = await makeTestEngine({ importBusybox: false });
    try {
      const result = await other.engine.loadImages(Readable.from([Buffer.concat(chunks)]));
      assert.deepEqual(result.images, [{ id: doomed.id, tags: ['test/doomed:1'] }]);
    } finally {
      await other.cleanup();
    }
    assert.deepEqual(await t.engine.check(), []);
  });

  it('a damaged layer, a blob that does not match its name and a truncated archive are refused; the store stays clean', async () => {
    const good = path.join(work, 'good.tar');
    await saveTo(t.engine, [IMAGE], good);
    const image = await t.engine.inspectImage(IMAGE);
    const other = await makeTestEngine({ importBusybox: false });
    try {
      const badLayer = path.join(work, 'bad-layer.tar');
      tamperMember(good, `${image.chainIds[0].slice(7)}/layer.tar`, badLayer, work);
      await assert.rejects(other.engine.loadImages(fs.createReadStream(badLayer)), /hashes to sha256:[0-9a-f]{64}, but its config says sha256:/);

      const goodOci = path.join(work, 'good-oci.tar');
      await saveTo(t.engine, [IMAGE], goodOci, 'oci');
      const badBlob = path.join(work, 'bad-blob.tar');
      tamperMember(goodOci, `blobs/sha256/${image.id.slice(7)}`, badBlob, work);
      await assert.rejects(other.engine.loadImages(fs.createReadStream(badBlob)), /blob digest mismatch: expected sha256:[0-9a-f]{64}/);

      const truncated = path.join(work, 'truncated.tar');
      fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, 700_000));
      await assert.rejects(other.engine.loadImages(fs.createReadStream(truncated)), /invalid archive|Unexpected end/i);

      const notTar = path.join(work, 'not.tar');
      fs.writeFileSync(notTar, 'this is not an archive\n'.repeat(100));
      await assert.rejects(other.engine.loadImages(fs.createReadStream(notTar)), /invalid archive/);

      assert.deepEqual(await other.engine.listImages(), []);
      assert.deepEqual(await other.engine.check(), []);
      assert.deepEqual(fs.readdirSync(path.join(other.root, 'blobs/sha256')), [], 'nothing from the failed loads stays');
      assert.deepEqual(fs.readdirSync(path.join(other.root, 'layers')), []);
    } finally {
      await other.cleanup();
    }
  });
});
