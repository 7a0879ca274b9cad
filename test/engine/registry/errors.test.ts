// What goes wrong on the way from a registry: a damaged blob, a config that is not what its
// digest says, a connection cut mid-layer, a layer type strata does not know, a tag that is not
// there, a registry that is not there. Each is one clear error, and the store stays clean: no
// image, no layer, no blob, no temp file left behind.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { makeTar } from '../layers/tar-fixtures.js';
import { blobDataPath, freePort, startRegistry, type RegistryServer } from './registry-server.js';

describe('pull failures leave the store clean', () => {
  let registry: RegistryServer;
  let source: TestEngine; // pushes the images
  let t: TestEngine; // pulls them
  let proxy: net.Server | undefined;

  /** A one-layer image with ~size random bytes, unique to this test, pushed as name. */
  async function pushUnique(name: string, size = 4096): Promise<{ ref: string; layer: string; config: string }> {
    const tar = await makeTar([{ name: 'data.bin', data: crypto.randomBytes(size) }, { name: 'etc/name', data: `${name}\n` }]);
    const ref = `${registry.host}/${name}:1`;
    await source.engine.importImage(Readable.from([tar]), ref);
    await source.engine.pushImage(ref);
    const manifest = JSON.parse(await (await fetch(`http://${registry.host}/v2/${name}/manifests/1`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } })).text());
    return { ref, layer: manifest.layers[0].digest, config: manifest.config.digest };
  }

  async function rejectsWith(promise: Promise<unknown>, message: RegExp): Promise<void> {
    await assert.rejects(promise, (err: Error) => {
      assert.equal(err.name, 'EngineError');
      assert.match(err.message, message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
  }

  async function assertClean(ref: string): Promise<void> {
    await assert.rejects(t.engine.inspectImage(ref), /No such image/);
    assert.deepEqual(await t.engine.check(), []);
    assert.deepEqual(fs.readdirSync(path.join(t.root, 'tmp')), [], 'no temp blob');
    const layers = fs.readdirSync(path.join(t.root, 'layers'));
    assert.equal(layers.length, 1, `only busybox's layer: ${layers.join(' ')}`);
    const images = (await t.engine.listImages()).flatMap((i) => i.repoTags);
    assert.deepEqual(images, ['test/busybox:latest']);
  }

  before(async () => {
    registry = await startRegistry();
    source = await makeTestEngine();
    t = await makeTestEngine();
  });
  after(async () => {
    proxy?.close();
    await t?.cleanup();
    await source?.cleanup();
    await registry?.stop();
  });

  it('a tag that is not there', async () => {
    await pushUnique('err/missing');
    await rejectsWith(t.engine.pullImage(`${registry.host}/err/missing:nope`), /^manifest for 127\.0\.0\.1:\d+\/err\/missing:nope not found: manifest unknown/);
    await assertClean(`${registry.host}/err/missing:nope`);
  });

  it('a layer blob damaged in the registry (same size, other bytes)', async () => {
    const { ref, layer } = await pushUnique('err/corrupt', 256 * 1024);
    const file = blobDataPath(registry, layer);
    const data = fs.readFileSync(file);
    for (let i = 1000; i < data.length - 1000; i += 997) data[i] ^= 0x5a;
    fs.writeFileSync(file, data);
    await rejectsWith(t.engine.pullImage(ref), new RegExp(`^layer ${layer} failed verification: its content hashes to sha256:[0-9a-f]{64}$`));
    await assertClean(ref);
  });

  it('a config whose bytes do not match its digest', async () => {
    const { ref, config } = await pushUnique('err/config');
    const file = blobDataPath(registry, config);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"os":"linux"', '"os":"linuz"'));
    await rejectsWith(t.engine.pullImage(ref), new RegExp(`^image config ${config} failed verification: its content hashes to sha256:`));
    await assertClean(ref);
  });

  it('a download cut off in the middle of a layer', async () => {
    const { ref } = await pushUnique('err/cut', 2 << 20);
    const port = await freePort();
    // forwards to the registry but closes any connection after 512 KiB of answers
    proxy = net.createServer((client) => {
      const upstream = net.connect(Number(registry.host.split(':')[1]), '127.0.0.1');
      let sent = 0;
      client.pipe(upstream);
      upstream.on('data', (d: Buffer) => {
        sent += d.length;
        if (sent > 512 * 1024) {
          client.destroy();
          upstream.destroy();
        } else client.write(d);
      });
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy!.listen(port, '127.0.0.1', resolve));
    const viaProxy = ref.replace(registry.host, `127.0.0.1:${port}`);
    await rejectsWith(t.engine.pullImage(viaProxy), /^layer sha256:[0-9a-f]{64}: (download failed after \d+ of \d+ bytes|truncated download, got \d+ of \d+ bytes)/);
    await assertClean(viaProxy);
  });

  it('a layer media type strata does not know', async () => {
    const { layer, config } = await pushUnique('err/media');
    const manifest = JSON.parse(await (await fetch(`http://${registry.host}/v2/err/media/manifests/1`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } })).text());
    manifest.layers[0].mediaType = 'application/vnd.example.layer.v1.tar+lz4';
    const put = await fetch(`http://${registry.host}/v2/err/media/manifests/odd`, { method: 'PUT', headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' }, body: JSON.stringify(manifest) });
    assert.equal(put.status, 201, await put.text());
    assert.ok(layer && config);
    await rejectsWith(t.engine.pullImage(`${registry.host}/err/media:odd`), /^unknown layer media type "application\/vnd\.example\.layer\.v1\.tar\+lz4"$/);
    await assertClean(`${registry.host}/err/media:odd`);
  });

  it('a registry that is not there', async () => {
    const port = await freePort();
    await rejectsWith(t.engine.pullImage(`127.0.0.1:${port}/nobody/home:1`), new RegExp(`^Get "http://127\\.0\\.0\\.1:${port}/v2/nobody/home/manifests/1": connection refused$`));
    await assertClean(`127.0.0.1:${port}/nobody/home:1`);
  });
});
