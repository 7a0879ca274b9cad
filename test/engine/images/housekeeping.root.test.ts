// Image housekeeping on a real store: history as docker shows it (empty layers, <missing> rows,
// comments), prune of dangling and of unused images with the space it frees, rmi's refusal to
// delete what a container uses, and `system df` counting shared layers once.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { busyboxRootfsTar } from '../../../source/engine/demo.js';
import { tarStream } from '../../../source/engine/layers/tar-stream.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../../support/test-engine.js';

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

/** A docker-save archive made by hand: one layer, a history with an empty CMD entry like a Dockerfile build writes. */
async function builtLikeDockerfile(layer: Buffer): Promise<Readable> {
  const diffId = `sha256:${crypto.createHash('sha256').update(layer).digest('hex')}`;
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', created: '2024-01-02T03:04:05Z',
    config: { Cmd: ['sh'], Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [
      { created: '2024-01-02T03:04:00Z', created_by: '/bin/sh -c #(nop) ADD file:0123456789abcdef in / ' },
      { created: '2024-01-02T03:04:05Z', created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true },
    ],
  }));
  const configHex = crypto.createHash('sha256').update(config).digest('hex');
  const pack = tarStream().pack();
  pack.entry({ name: 'layer/layer.tar', size: layer.length }, layer);
  pack.entry({ name: `${configHex}.json`, size: config.length }, config);
  const manifest = JSON.stringify([{ Config: `${configHex}.json`, RepoTags: ['test/built:1'], Layers: ['layer/layer.tar'] }]);
  pack.entry({ name: 'manifest.json' }, manifest);
  pack.finalize();
  return Readable.from(pack as unknown as AsyncIterable<Buffer>);
}

describe('image housekeeping', { timeout: 120_000 }, () => {
  let t: TestEngine;
  before(async () => {
    t = await makeTestEngine();
  });
  after(async () => {
    await t?.cleanup();
  });

  it('history shows the import comment, and empty layers and <missing> rows like docker', async () => {
    const base = await t.engine.inspectImage(IMAGE);
    const [row] = await t.engine.imageHistory(IMAGE);
    assert.equal(row.id, base.id);
    assert.equal(row.comment, 'Imported from -');
    assert.equal(row.createdBy, '');
    assert.equal(row.size, base.size);
    assert.deepEqual(row.tags, ['test/busybox:latest']);

    const noted = await t.engine.importImage(busyboxRootfsTar(), 'test/noted:1', { message: 'from the host busybox', changes: ['ONBUILD RUN echo child'] });
    assert.equal((await t.engine.imageHistory('test/noted:1'))[0].comment, 'from the host busybox');
    assert.deepEqual(noted.config.OnBuild, ['RUN echo child']);
    assert.equal((await t.engine.inspectImage('test/noted:1')).comment, 'from the host busybox');

    const layer = await bytesOf(busyboxRootfsTar());
    const loaded = await t.engine.loadImages(await builtLikeDockerfile(layer));
    const history = await t.engine.imageHistory('test/built:1');
    assert.deepEqual(history.map((h) => [h.id, h.createdBy, h.emptyLayer, h.size]), [
      [loaded.images[0].id, '/bin/sh -c #(nop)  CMD ["sh"]', true, 0],
      ['<missing>', '/bin/sh -c #(nop) ADD file:0123456789abcdef in / ', false, base.size],
    ]);
    await t.engine.removeImage('test/built:1');
    await t.engine.removeImage('test/noted:1');
  });

  it('a build\'s step images are build cache: not listed, not pruned as dangling, counted apart by df', async () => {
    const context = fs.mkdtempSync(`${t.base}/ctx-`);
    const built = await t.engine.build({ context, dockerfileText: `FROM ${IMAGE}\nRUN echo cached > /step\nCMD ["cat", "/step"]\n`, tags: ['test/built-here:1'] });
    const listed = (await t.engine.listImages()).map((i) => i.id);
    const df = await t.engine.diskUsage();
    assert.ok(df.buildCache.length > 0, 'the RUN step is cached');
    for (const step of df.buildCache) assert.ok(!listed.includes(`sha256:${step.id}`));
    const withSteps = (await t.engine.listImages(true)).map((i) => i.id);
    for (const step of df.buildCache) assert.ok(withSteps.includes(`sha256:${step.id}`), 'images -a lists them');
    const runStep = df.buildCache.find((b) => b.size > 0)!;
    assert.equal(runStep.shared, true, 'its layer is also the built image\'s');
    // history names the local images each row is (the base, the RUN step), like docker after a build
    const rows = await t.engine.imageHistory('test/built-here:1');
    const base = await t.engine.inspectImage(IMAGE);
    assert.equal(rows.length, 3);
    assert.equal(rows[0].id, built.imageId);
    assert.match(rows[0].createdBy, /CMD \["cat","\/step"\]|CMD \["cat", "\/step"\]/);
    assert.equal(rows[1].id, `sha256:${runStep.id}`);
    assert.equal(rows[2].id, base.id);
    const pruned = await t.engine.pruneImages(false);
    assert.deepEqual(pruned.deleted, []);
    assert.equal((await t.engine.diskUsage()).buildCache.length, df.buildCache.length);
    await t.engine.removeImage('test/built-here:1');
    await t.engine.pruneBuildCache();
    assert.deepEqual((await t.engine.diskUsage()).buildCache, []);
    assert.ok(!(await t.engine.listImages()).some((i) => i.id === built.imageId));
  });

  it('prune removes dangling images, -a every unused one; rmi refuses an image a container uses', async () => {
    const used = await t.engine.importImage(busyboxRootfsTar(), 'test/used:1', { changes: ['CMD ["true"]'] });
    const unused = await t.engine.importImage(busyboxRootfsTar(), 'test/unused:1', { changes: ['CMD ["false"]'] });
    const dangling = await t.engine.importImage(busyboxRootfsTar(), undefined, { changes: ['ENV DANGLING=1'] });
    const ctr = await t.engine.createContainer({ image: 'test/used:1' });

    // every image shares the one busybox layer: df counts it once
    const df = await t.engine.diskUsage();
    assert.equal(df.layersSize, used.size);
    const row = df.images.find((i) => i.id === used.id)!;
    assert.deepEqual([row.sharedSize, row.uniqueSize, row.containers], [used.size, 0, 1]);
    assert.equal(df.imagesReclaimable, 0, 'the layer is in use');
    assert.ok(df.containers.some((c) => c.id === ctr.id && !c.running));

    await assert.rejects(t.engine.removeImage(used.id), /image is being used by a container/);
    await assert.rejects(t.engine.removeImage('test/used:1'), /must force/);

    const first = await t.engine.pruneImages(false);
    assert.deepEqual(first.deleted, [dangling.id], 'only the untagged image, and no layer (still shared)');
    assert.ok(first.spaceReclaimed > 0 && first.spaceReclaimed < 4096, `its config and manifest: ${first.spaceReclaimed}`);

    const base = await t.engine.inspectImage(IMAGE);
    const second = await t.engine.pruneImages(true);
    assert.deepEqual(second.untagged.sort(), ['test/busybox:latest', 'test/unused:1']);
    assert.deepEqual(second.deleted.sort(), [base.id, unused.id].sort(), 'no layer: the used image still needs it');
    assert.deepEqual((await t.engine.listImages()).map((i) => i.id), [used.id]);

    await t.engine.removeContainer(ctr.id, true);
    const last = await t.engine.pruneImages(true);
    assert.ok(last.deleted.includes(used.id) && last.deleted.includes(used.chainIds[0]), last.deleted.join(' '));
    assert.ok(last.spaceReclaimed >= used.size);
    assert.deepEqual(fs.readdirSync(`${t.root}/layers`), []);
    assert.deepEqual(await t.engine.check(), []);
    assert.deepEqual((await t.engine.diskUsage()).layersSize, 0);
  });
});
