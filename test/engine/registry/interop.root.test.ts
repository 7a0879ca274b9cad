// strata against real peers: images built and pushed by podman (OCI and Docker v2 schema 2,
// a two-platform index) pull into strata and run; what strata pushes skopeo reads back with
// the same digests. The registry is Debian's docker-registry on 127.0.0.1.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineEvent } from '../../../source/engine/api.js';
import { makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { makePodman, skopeo, type Podman } from './peers.js';
import { startRegistry, type RegistryServer } from './registry-server.js';

describe('registry interop with podman and skopeo', () => {
  let registry: RegistryServer;
  let podman: Podman;
  let t: TestEngine;
  const events: EngineEvent[] = [];

  before(async () => {
    registry = await startRegistry();
    podman = await makePodman();
    t = await makeTestEngine();
    t.engine.on((e) => events.push(e));
    podman.run(['import', podman.rootfsTar, 'localhost/base:1']);
    podman.build('localhost/app:1', 'FROM localhost/base:1\nCOPY hello.txt /hello.txt\nCMD ["cat", "/hello.txt"]\n', { 'hello.txt': 'hello from podman\n' });
  });

  after(async () => {
    await t?.cleanup();
    podman?.cleanup();
    await registry?.stop();
  });

  it('pulls an OCI image pushed by podman, and it runs', async () => {
    podman.run(['push', '--tls-verify=false', '--format', 'oci', 'localhost/app:1', `docker://${registry.host}/team/app:oci`]);
    const result = await t.engine.pullImage(`${registry.host}/team/app:oci`);
    assert.equal(result.status, 'downloaded');
    assert.equal(result.reference, `${registry.host}/team/app:oci`);
    const remote = JSON.parse(skopeo(['inspect', '--tls-verify=false', `docker://${registry.host}/team/app:oci`])) as { Digest: string; Layers: string[] };
    assert.equal(result.digest, remote.Digest);
    const image = await t.engine.inspectImage(`${registry.host}/team/app:oci`);
    assert.equal(image.diffIds.length, 2);
    assert.deepEqual(image.repoDigests, [`${registry.host}/team/app@${remote.Digest}`]);
    const run = await runToEnd(t.engine, [], { image: `${registry.host}/team/app:oci` });
    assert.equal(run.exitCode, 0);
    assert.equal(run.stdout, 'hello from podman\n');
    assert.ok(events.some((e) => e.type === 'progress' && e.action === 'Pull complete'), 'progress events were emitted');
    assert.deepEqual(await t.engine.check(), []);
  });

  it('pulls the same image as Docker v2 schema 2 by digest, sharing its layers', async () => {
    podman.run(['push', '--tls-verify=false', '--format', 'v2s2', 'localhost/app:1', `docker://${registry.host}/team/app:docker`]);
    const raw = JSON.parse(skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/team/app:docker`])) as { mediaType: string };
    assert.equal(raw.mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
    const digest = JSON.parse(skopeo(['inspect', '--tls-verify=false', `docker://${registry.host}/team/app:docker`])).Digest as string;
    const layersBefore = fs.readdirSync(path.join(t.root, 'layers')).length;
    const result = await t.engine.pullImage(`${registry.host}/team/app@${digest}`);
    assert.equal(result.digest, digest);
    assert.equal(result.reference, `${registry.host}/team/app@${digest}`);
    assert.equal(fs.readdirSync(path.join(t.root, 'layers')).length, layersBefore, 'no layer extracted a second time');
    const run = await runToEnd(t.engine, ['cat', '/hello.txt'], { image: `${registry.host}/team/app@${digest}` });
    assert.equal(run.stdout, 'hello from podman\n');
    const again = await t.engine.pullImage(`${registry.host}/team/app@${digest}`);
    assert.equal(again.status, 'up-to-date');
    assert.deepEqual(await t.engine.check(), []);
  });

  it('picks the platform from an index: linux/amd64 by default, --platform linux/arm64 on request', async () => {
    podman.build('localhost/multi:amd64', 'FROM scratch\nADD rootfs.tar /\nCOPY arch.txt /arch.txt\n', { 'arch.txt': 'amd64\n' }, 'linux/amd64');
    podman.build('localhost/multi:arm64', 'FROM scratch\nADD rootfs.tar /\nCOPY arch.txt /arch.txt\n', { 'arch.txt': 'arm64\n' }, 'linux/arm64');
    podman.run(['manifest', 'create', 'localhost/multi:list']);
    podman.run(['manifest', 'add', 'localhost/multi:list', 'containers-storage:localhost/multi:amd64']);
    podman.run(['manifest', 'add', 'localhost/multi:list', 'containers-storage:localhost/multi:arm64']);
    podman.run(['manifest', 'push', '--all', '--tls-verify=false', 'localhost/multi:list', `docker://${registry.host}/team/multi:1`]);
    const index = JSON.parse(skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/team/multi:1`])) as { manifests: unknown[] };
    assert.equal(index.manifests.length, 2);

    const host = await t.engine.pullImage(`${registry.host}/team/multi:1`);
    assert.equal((await t.engine.inspectImage(host.id)).architecture, 'amd64');
    const run = await runToEnd(t.engine, ['cat', '/arch.txt'], { image: host.id });
    assert.equal(run.stdout, 'amd64\n');

    const arm = await t.engine.pullImage(`${registry.host}/team/multi:1`, { platform: 'linux/arm64' });
    assert.notEqual(arm.id, host.id);
    assert.equal(arm.digest, host.digest, 'both name the index they came from');
    const armImage = await t.engine.inspectImage(arm.id);
    assert.equal(armImage.architecture, 'arm64');
    await assert.rejects(t.engine.pullImage(`${registry.host}/team/multi:1`, { platform: 'linux/s390x' }), /no matching manifest for linux\/s390x/);
    assert.deepEqual(await t.engine.check(), []);
  });

  it('pushes an imported image that skopeo reads back with the same digests', async () => {
    const ref = `${registry.host}/strata/busybox:1.0`;
    await t.engine.tagImage('test/busybox:latest', ref);
    const pushed = await t.engine.pushImage(ref);
    const remote = JSON.parse(skopeo(['inspect', '--tls-verify=false', `docker://${ref}`])) as { Digest: string; Layers: string[] };
    assert.equal(remote.Digest, pushed.digest);
    const raw = JSON.parse(skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${ref}`])) as { config: { digest: string }; layers: Array<{ digest: string; mediaType: string }> };
    const image = await t.engine.inspectImage(ref);
    assert.equal(raw.config.digest, image.id);
    assert.equal(raw.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip', 'the layer went up compressed');
    assert.ok(image.repoDigests.includes(`${registry.host}/strata/busybox@${pushed.digest}`));
    // skopeo copies every blob and checks each against its digest
    const oci = path.join(t.base, 'oci-copy');
    skopeo(['copy', '--src-tls-verify=false', `docker://${ref}`, `oci:${oci}:x`]);
    const index = JSON.parse(fs.readFileSync(path.join(oci, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    assert.equal(index.manifests[0].digest, pushed.digest);
    // podman pulls and runs it
    podman.run(['pull', '-q', '--tls-verify=false', `docker://${ref}`]);
    assert.equal(podman.run(['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', ref, 'sh', '-c', 'echo ran $(ls /bin/busybox)']), 'ran /bin/busybox');

    // the gzip blob was kept: a second push compresses nothing and finds everything there
    events.length = 0;
    const again = await t.engine.pushImage(ref);
    assert.equal(again.digest, pushed.digest);
    assert.ok(!events.some((e) => e.type === 'progress' && e.action === 'Compressing'));
    assert.ok(events.filter((e) => e.type === 'progress' && e.action === 'Layer already exists').length === 2);
    assert.deepEqual(await t.engine.check(), []);
  });

  it('mounts blobs from another repository of the same registry, and uploads in chunks', async () => {
    events.length = 0;
    const other = `${registry.host}/strata/copy:1.0`;
    await t.engine.tagImage(`${registry.host}/strata/busybox:1.0`, other);
    await t.engine.pushImage(other);
    const actions = events.flatMap((e) => (e.type === 'progress' ? [e.action] : []));
    assert.equal(actions.filter((a) => a === 'Mounted from strata/busybox').length, 2, actions.join(', '));
    assert.ok(!actions.includes('Pushed'));

    // a store that knows no other repository holding these blobs uploads them, here in chunks
    const fresh = await makeTestEngine();
    try {
      const chunkedRef = `${registry.host}/chunked/busybox:1`;
      await fresh.engine.tagImage('test/busybox:latest', chunkedRef);
      const seen: string[] = [];
      fresh.engine.on((e) => { if (e.type === 'progress') seen.push(e.action); });
      const pushed = await fresh.engine.pushImage(chunkedRef, { chunkSize: 64 * 1024 });
      assert.equal(seen.filter((a) => a === 'Pushed').length, 2, seen.join(', '));
      const remote = JSON.parse(skopeo(['inspect', '--tls-verify=false', `docker://${chunkedRef}`])) as { Digest: string };
      assert.equal(remote.Digest, pushed.digest);
      skopeo(['copy', '--src-tls-verify=false', `docker://${chunkedRef}`, `oci:${path.join(t.base, 'oci-chunked')}:x`]);
    } finally {
      await fresh.cleanup();
    }
  });
});
