import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { EngineError } from '../../../source/engine/api.js';
import { digestHex } from '../../../source/engine/content/digest.js';
import { ImageService } from '../../../source/engine/images/image-service.js';
import type { OciImageConfig, OciManifest } from '../../../source/engine/images/oci.js';
import { busyboxRootfsTar, gzip, makeTar, sha256, tempDir } from '../layers/tar-fixtures.js';

function setup(t: { after(fn: () => void): void }): ImageService {
  const tmp = tempDir('strata-images-');
  t.after(tmp.remove);
  return new ImageService(tmp.dir);
}

const notFound = (ref: string) => (e: unknown) => e instanceof EngineError && e.code === 'not-found' && e.message === `No such image: ${ref}`;
const conflict = (why: RegExp) => (e: unknown) => e instanceof EngineError && e.code === 'conflict' && why.test(e.message);

test('import of a busybox rootfs writes an OCI config, manifest, layer blob and a runnable tree', async (t) => {
  const images = setup(t);
  const tar = await busyboxRootfsTar();
  const record = await images.importImage(Readable.from([tar]), 'demo/busybox', { changes: ['CMD ["sh"]'], message: 'from the host' });

  const diffId = sha256(tar);
  assert.deepEqual(record.repoTags, ['demo/busybox:latest']);
  assert.deepEqual(record.repoDigests, []);
  assert.deepEqual(record.diffIds, [diffId]);
  assert.deepEqual(record.chainIds, [diffId]);
  assert.deepEqual(record.config, { Cmd: ['sh'] }, 'import adds no Env of its own, like docker');
  assert.equal(record.os, 'linux');
  assert.equal(record.architecture, process.arch === 'x64' ? 'amd64' : process.arch);
  assert.equal(record.size, fs.statSync('/bin/busybox').size + fs.readFileSync(images.layerDirs(record)[0] + '/etc/passwd').length + 5 * 'busybox'.length);

  const configBytes = await images.content.get(record.id);
  assert.equal(sha256(configBytes), record.id, 'the id is the digest of the config blob');
  const config = JSON.parse(configBytes.toString()) as OciImageConfig;
  assert.equal(config.os, 'linux');
  assert.deepEqual(config.rootfs, { type: 'layers', diff_ids: [diffId] });
  assert.deepEqual(config.config, { Cmd: ['sh'] });
  assert.equal(config.created, record.created);
  assert.deepEqual(config.history, [{ created: record.created, comment: 'from the host' }]);

  const manifestBytes = await images.content.get(record.manifestDigest);
  assert.equal(sha256(manifestBytes), record.manifestDigest);
  const manifest = JSON.parse(manifestBytes.toString()) as OciManifest;
  assert.deepEqual(manifest, {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: record.id, size: configBytes.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: diffId, size: tar.length }],
  });
  assert.ok((await images.content.get(diffId)).equals(tar), 'the layer blob is the uncompressed tar');

  const [diff] = images.layerDirs(record);
  assert.equal(diff, path.join(images.paths.root, 'layers', digestHex(diffId), 'diff'));
  assert.equal(fs.statSync(path.join(diff, 'home/user')).uid, 1000);
  assert.equal(fs.statSync(path.join(diff, 'tmp')).mode & 0o7777, 0o1777);
  assert.equal(execFileSync('chroot', [diff, '/bin/sh', '-c', 'echo hello from $(ls /bin)'], { encoding: 'utf8' }), 'hello from busybox cat echo ls sh true\n');
  assert.deepEqual(await images.check(), []);
});

test('importing the same tar again reuses the layer; gzip input too', async (t) => {
  const images = setup(t);
  const tar = await busyboxRootfsTar();
  const first = await images.importImage(Readable.from([tar]), 'bb:1');
  const diff = images.layerDirs(first)[0];
  const marker = fs.statSync(diff).ino;
  fs.writeFileSync(path.join(diff, '.marker'), 'extracted once');
  const second = await images.importImage(Readable.from([tar]), 'bb:2', { changes: ['ENV X=1'] });
  const third = await images.importImage(Readable.from([gzip(tar)]), 'bb:3');
  assert.notEqual(second.id, first.id);
  assert.deepEqual(second.chainIds, first.chainIds);
  assert.deepEqual(third.chainIds, first.chainIds, 'gzip input has the same diffID');
  assert.equal(fs.statSync(diff).ino, marker);
  assert.equal(fs.readFileSync(path.join(diff, '.marker'), 'utf8'), 'extracted once', 'the layer was not extracted again');
  assert.deepEqual(fs.readdirSync(images.paths.layersDir), [digestHex(first.chainIds[0])]);
  assert.equal((await images.content.list()).length, 1 + 3 * 2, 'one layer blob, a config and a manifest per image');
  const list = await images.list();
  assert.deepEqual(list.map((i) => i.repoTags), [['bb:3'], ['bb:2'], ['bb:1']], 'newest first');
  assert.ok(list.every((i) => i.size === first.size && i.layers === 1));
});

test('tags and resolution by name, id, sha256: prefix and unique short id', async (t) => {
  const images = setup(t);
  const tar = await makeTar([{ name: 'hello', data: 'world' }]);
  const image = await images.importImage(Readable.from([tar]), undefined);
  assert.deepEqual(image.repoTags, [], 'no reference: an untagged image');
  await images.tag(image.id, 'busybox');
  await images.tag('busybox:latest', '127.0.0.1:5000/team/app:1.2');
  await images.tag(image.id.slice(7, 19), 'docker.io/demo/app');
  const hex = image.id.slice(7);
  for (const ref of ['busybox', 'busybox:latest', 'docker.io/library/busybox', '127.0.0.1:5000/team/app:1.2', 'demo/app', image.id, hex, `sha256:${hex.slice(0, 5)}`, hex.slice(0, 12), hex.slice(0, 1)]) {
    const found = await images.resolve(ref);
    assert.equal(found.id, image.id, ref);
  }
  assert.deepEqual((await images.inspect('busybox')).repoTags, ['busybox:latest', '127.0.0.1:5000/team/app:1.2', 'demo/app:latest']);
  assert.ok(images.exists(image.id));
  await assert.rejects(images.resolve('nope'), notFound('nope'));
  await assert.rejects(images.resolve('busybox:other'), notFound('busybox:other'));
  await assert.rejects(images.resolve(`sha256:${'0'.repeat(64)}`), notFound(`sha256:${'0'.repeat(64)}`));
  await assert.rejects(images.tag('nope', 'x'), notFound('nope'));
  await assert.rejects(images.tag(image.id, `x@sha256:${'a'.repeat(64)}`), /digest reference/);
  await assert.rejects(images.tag(image.id, 'Bad'), /must be lowercase/);
  const byManifest = await images.resolve(`busybox@${image.manifestDigest}`);
  assert.equal(byManifest.id, image.id);
});

test('an ambiguous short id is refused, a longer one resolves', async (t) => {
  const images = setup(t);
  const tar = await makeTar([{ name: 'x', data: 'x' }]);
  const ids: string[] = [];
  let clash: [string, string] | undefined;
  while (!clash) {
    const { id } = await images.importImage(Readable.from([tar]), undefined, { changes: [`LABEL n=${ids.length}`] });
    const other = ids.find((o) => o[7] === id[7]);
    if (other) clash = [other, id];
    ids.push(id);
  }
  await assert.rejects(images.resolve(clash[0][7]), (e: unknown) => e instanceof EngineError && /ambiguous/.test(e.message));
  assert.equal((await images.resolve(clash[0].slice(7, 30))).id, clash[0]);
});

test('rmi follows docker: untag, delete, conflicts, force, and garbage collection', async (t) => {
  const images = setup(t);
  const tarA = await makeTar([{ name: 'a', data: 'a' }]);
  const tarB = await makeTar([{ name: 'b', data: 'b' }]);
  const a = await images.importImage(Readable.from([tarA]), 'app:1');
  await images.tag('app:1', 'app:2');
  const b = await images.importImage(Readable.from([tarB]), 'other');
  const used = new Set<string>();
  const isUsed = (id: string) => used.has(id);

  assert.deepEqual(await images.remove('app:2', false, isUsed), ['Untagged: app:2']);
  await images.tag('app:1', 'app:2');
  await assert.rejects(images.remove(a.id.slice(7, 19), false, isUsed), conflict(/must be forced.*multiple repositories/));

  used.add(a.id);
  assert.deepEqual(await images.remove('app:2', false, isUsed), ['Untagged: app:2'], 'another tag remains: untagging is fine while used');
  await assert.rejects(images.remove('app:1', false, isUsed), conflict(/unable to remove repository reference "app:1" \(must force\)/));
  await assert.rejects(images.remove(a.id, false, isUsed), conflict(/must be forced.*being used/));
  assert.deepEqual(await images.remove('app:1', true, isUsed), ['Untagged: app:1'], 'forced: untagged but kept for the container');
  assert.ok(images.exists(a.id));
  assert.ok(images.layers.has(a.chainIds[0]), 'a used image keeps its layers');
  await assert.rejects(images.remove(a.id, true, isUsed), conflict(/cannot be forced/));

  used.clear();
  assert.deepEqual(await images.remove(a.id.slice(7, 11), false, isUsed), [`Deleted: ${a.id}`, `Deleted: ${a.chainIds[0]}`]);
  assert.equal(images.exists(a.id), false);
  assert.equal(images.layers.has(a.chainIds[0]), false);
  assert.equal(await images.content.has(sha256(tarA)), false, 'its blobs went with it');
  await assert.rejects(images.resolve(a.id), notFound(a.id));

  await images.tag('other', 'other:2');
  assert.deepEqual(await images.remove(b.id, true, isUsed), ['Untagged: other:latest', 'Untagged: other:2', `Deleted: ${b.id}`, `Deleted: ${b.chainIds[0]}`]);
  assert.deepEqual(await images.list(), []);
  assert.deepEqual(await images.content.list(), []);
  assert.deepEqual(fs.readdirSync(images.paths.layersDir), []);
  await assert.rejects(images.remove('other', false, isUsed), notFound('other'));
  assert.deepEqual(await images.check(), []);
});

test('a layer shared by two images outlives the first one removed', async (t) => {
  const images = setup(t);
  const tar = await makeTar([{ name: 'shared', data: 's' }]);
  const one = await images.importImage(Readable.from([tar]), 'one');
  const two = await images.importImage(Readable.from([tar]), 'two');
  assert.deepEqual(await images.remove('one', false, () => false), ['Untagged: one:latest', `Deleted: ${one.id}`]);
  assert.ok(images.layers.has(two.chainIds[0]));
  assert.ok(await images.content.has(sha256(tar)));
  assert.ok(fs.existsSync(images.layerDirs(two)[0]));
  assert.deepEqual(await images.check(), []);
});

test('bad arguments are refused before the stream is read; failed imports leave nothing', async (t) => {
  const images = setup(t);
  let read = false;
  const untouched = () => Readable.from((async function* () { read = true; yield Buffer.alloc(0); })());
  await assert.rejects(images.importImage(untouched(), 'Bad:ref'), (e: unknown) => e instanceof EngineError && e.code === 'invalid');
  await assert.rejects(images.importImage(untouched(), 'ok', { changes: ['RUN true'] }), /RUN cannot be applied/);
  await assert.rejects(images.importImage(untouched(), `x@sha256:${'a'.repeat(64)}`), /digest reference/);
  assert.equal(read, false);
  const hostile = await makeTar([{ name: 'l', type: 'symlink', linkname: '/' }, { name: 'l/etc/x', data: 'x' }]);
  await assert.rejects(images.importImage(Readable.from([hostile]), 'evil'), /"l\/etc\/x".*symlink/);
  await assert.rejects(images.importImage(Readable.from([Buffer.from('not a tar at all, just text that is long enough'.repeat(20))]), 'junk'), (e: unknown) => e instanceof EngineError && e.code === 'invalid');
  assert.deepEqual(await images.list(), []);
  assert.deepEqual(await images.content.list(), []);
  assert.deepEqual(fs.readdirSync(images.paths.layersDir), []);
  assert.deepEqual(fs.readdirSync(images.paths.tmpDir), []);
  assert.deepEqual(await images.check(), []);
});

test('check() finds corrupt blobs, missing layers, dangling tags, unreadable records and leftovers', async (t) => {
  const images = setup(t);
  const tar = await makeTar([{ name: 'f', data: 'f' }]);
  const image = await images.importImage(Readable.from([tar]), 'victim');
  assert.deepEqual(await images.check(), []);

  fs.appendFileSync(images.content.path(image.manifestDigest), ' ');
  fs.rmSync(images.layers.diffDir(image.chainIds[0]), { recursive: true });
  fs.rmSync(path.join(images.paths.layersDir, digestHex(image.chainIds[0])), { recursive: true });
  fs.writeFileSync(images.paths.imageRecord('f'.repeat(64)), '{ torn');
  images.tags.update((refs) => { refs.set('docker.io/library/ghost:latest', `sha256:${'e'.repeat(64)}`); });
  fs.writeFileSync(path.join(images.paths.tmpDir, 'blob-1-dead'), 'partial');
  fs.writeFileSync(path.join(images.paths.imagesDir, `.${'a'.repeat(64)}.json.tmp-1-beef`), '{');

  const problems = await images.check();
  const kinds = problems.map((p) => p.kind).sort();
  assert.deepEqual(kinds, ['blob-digest', 'layer-missing', 'record-unreadable', 'tag-dangling', 'temp-file', 'temp-file']);
  assert.ok(problems.find((p) => p.kind === 'blob-digest')!.path.endsWith(digestHex(image.manifestDigest)));
  assert.ok(problems.find((p) => p.kind === 'layer-missing')!.detail.includes(image.chainIds[0]));
  assert.throws(() => images.layerDirs(image), /missing from the store/);

  assert.deepEqual((await images.list()).map((i) => i.id), [image.id], 'an unreadable record is skipped by list');
  const pruned = await images.prune();
  assert.deepEqual(pruned.temps, [path.join(images.paths.tmpDir, 'blob-1-dead')]);
  assert.deepEqual(pruned.blobs, [], 'with an unreadable record nothing can be known unreferenced');
  assert.ok(pruned.skipped);
});
