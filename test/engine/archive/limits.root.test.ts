// Archives that ask too much or lie: more layers than a container can mount (refused at load
// before any layer is extracted; at build, docker's "max depth exceeded"), OCI descriptors whose
// sizes are negative, absurd or not the blob's, a RepoTag that is not a string. Each is one
// clear line, and the store keeps nothing of it.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { makeTar, sha256, type TarEntry } from '../layers/tar-fixtures.js';

/** One tiny layer per index, each with its own file. */
async function layers(count: number): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => makeTar([{ name: `f${i}`, data: `${i}\n` }])));
}

function config(tars: Buffer[]): Buffer {
  return Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['sh'] }, rootfs: { type: 'layers', diff_ids: tars.map(sha256) } }));
}

async function dockerArchive(tars: Buffer[], repoTags: unknown[]): Promise<Buffer> {
  const cfg = config(tars);
  const cfgName = `${sha256(cfg).slice(7)}.json`;
  const entries: TarEntry[] = [{ name: cfgName, data: cfg }];
  tars.forEach((tar, i) => entries.push({ name: `l${i}/layer.tar`, data: tar }));
  entries.push({ name: 'manifest.json', data: JSON.stringify([{ Config: cfgName, RepoTags: repoTags, Layers: tars.map((_, i) => `l${i}/layer.tar`) }]) });
  return makeTar(entries);
}

/** An OCI layout of the tars; `edit` may change the manifest's descriptors before it is written. */
async function ociLayout(tars: Buffer[], edit: (m: { config: { size: number }; layers: Array<{ size: number }> }) => void): Promise<Buffer> {
  const cfg = config(tars);
  const blobs = [cfg, ...tars];
  const manifest = {
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(cfg), size: cfg.length },
    layers: tars.map((t) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(t), size: t.length })),
  };
  edit(manifest);
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  blobs.push(manifestBytes);
  const index = { schemaVersion: 2, manifests: [{ mediaType: manifest.mediaType, digest: sha256(manifestBytes), size: manifestBytes.length, annotations: { 'org.opencontainers.image.ref.name': 'limits/oci:1' } }] };
  return makeTar([
    { name: 'oci-layout', data: '{"imageLayoutVersion":"1.0.0"}' },
    { name: 'index.json', data: JSON.stringify(index) },
    ...blobs.map((b) => ({ name: `blobs/sha256/${sha256(b).slice(7)}`, data: b })),
  ]);
}

describe('archive limits', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t?.cleanup(); });

  async function refused(archive: Buffer, message: RegExp): Promise<void> {
    await assert.rejects(t.engine.loadImages(Readable.from([archive])), (err: Error) => {
      assert.equal(err.name, 'EngineError');
      assert.match(err.message, message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
    assert.equal(fs.readdirSync(path.join(t.root, 'layers')).length, 1, 'no layer extracted (only busybox\'s)');
    assert.deepEqual(fs.readdirSync(path.join(t.root, 'tmp')), [], 'no temp file');
    assert.deepEqual((await t.engine.listImages()).flatMap((i) => i.repoTags), ['test/busybox:latest']);
    assert.deepEqual(await t.engine.check(), []);
  }

  it('refuses a docker archive of 126 layers before extracting any', async () => {
    await refused(await dockerArchive(await layers(126), ['limits/deep:1']), /^image has 126 layers, more than the 125 a container can mount$/);
  });

  it('refuses an OCI layout of 126 layers before extracting any', async () => {
    await refused(await ociLayout(await layers(126), () => {}), /^image has 126 layers, more than the 125 a container can mount$/);
  });

  it('refuses OCI descriptor sizes that are negative, absurd or not the blob\'s', async () => {
    const tars = await layers(1);
    await refused(await ociLayout(tars, (m) => { m.layers[0].size = -1; }), /^invalid archive: layer blob sha256:[0-9a-f]{64} declares an invalid size -1: not a byte count$/);
    await refused(await ociLayout(tars, (m) => { m.layers[0].size = 1e18; }), /^invalid archive: layer blob sha256:[0-9a-f]{64} declares an invalid size 1000000000000000000: not a byte count$/);
    await refused(await ociLayout(tars, (m) => { m.layers[0].size += 1; }), new RegExp(`^invalid archive: layer blob sha256:[0-9a-f]{64} is ${tars[0].length} bytes, its descriptor says ${tars[0].length + 1}$`));
    await refused(await ociLayout(tars, (m) => { m.config.size = 3; }), /^invalid archive: image config sha256:[0-9a-f]{64} is \d+ bytes, its descriptor says 3$/);
  });

  it('refuses a RepoTag that is not a string', async () => {
    await refused(await dockerArchive(await layers(1), [42]), /^invalid archive: RepoTags of [0-9a-f]{64}\.json: 42 is not a string$/);
  });

  it('loads 125 layers, and a build on them that adds one more fails with max depth exceeded', async () => {
    const tars = await layers(125);
    await t.engine.loadImages(Readable.from([await dockerArchive(tars, ['limits/deep:125'])]));
    const dir = path.join(t.base, 'ctx-deep');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'one'), crypto.randomBytes(8));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM limits/deep:125\nENV A=1\nCOPY one /one\n');
    await assert.rejects(t.engine.build({ context: dir, tags: ['limits/deeper:1'] }), (err: Error) => {
      assert.match(err.message, /max depth exceeded$/);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
    await t.engine.removeImage('limits/deep:125');
  });
});
