// The registry client's small rules: where a registry is reached and how, WWW-Authenticate
// challenges, platform choice in an index, media types, and where credentials are filed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlibModule from 'node:zlib';
import { describe, it } from 'node:test';
import { parseChallenge } from '../../../source/engine/registry/auth.js';
import { CredentialStore, credentialKey } from '../../../source/engine/registry/credentials.js';
import { endpointFor, isLoopback } from '../../../source/engine/registry/endpoint.js';
import { layerCompression, manifestKind, parsePlatform, selectPlatform, type ImageIndex } from '../../../source/engine/registry/formats.js';
import { registryDomain } from '../../../source/engine/registry/registry-service.js';
import { tempDir } from '../layers/tar-fixtures.js';

describe('registry endpoints', () => {
  it('reaches Docker Hub at registry-1.docker.io over HTTPS, loopback and insecure ones over HTTP', () => {
    assert.equal(endpointFor('docker.io', []).base.href, 'https://registry-1.docker.io/');
    assert.equal(endpointFor('ghcr.io', []).base.href, 'https://ghcr.io/');
    assert.equal(endpointFor('127.0.0.1:5000', []).base.href, 'http://127.0.0.1:5000/');
    assert.equal(endpointFor('127.8.9.10:5000', []).base.protocol, 'http:');
    assert.equal(endpointFor('localhost:5000', []).base.protocol, 'http:');
    assert.equal(endpointFor('[::1]:5000', []).base.href, 'http://[::1]:5000/');
    assert.equal(endpointFor('10.0.0.5:5000', []).base.protocol, 'https:');
    assert.equal(endpointFor('10.0.0.5:5000', ['10.0.0.5:5000']).base.protocol, 'http:');
    assert.equal(endpointFor('registry.lan', ['registry.lan']).base.protocol, 'http:');
    assert.equal(isLoopback('128.0.0.1:5000'), false);
  });

  it('names the registry a login is for like docker does', () => {
    assert.equal(registryDomain(undefined), 'docker.io');
    assert.equal(registryDomain('https://index.docker.io/v1/'), 'docker.io');
    assert.equal(registryDomain('127.0.0.1:5000'), '127.0.0.1:5000');
    assert.equal(registryDomain('http://localhost:5000/'), 'localhost:5000');
    assert.equal(credentialKey('docker.io'), 'https://index.docker.io/v1/');
  });
});

describe('WWW-Authenticate challenges', () => {
  it('parses Bearer with realm, service and scope, and Basic', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
    });
    assert.deepEqual(parseChallenge('Basic realm="strata-test"'), { scheme: 'basic', params: { realm: 'strata-test' } });
    assert.equal(parseChallenge('Negotiate abc'), undefined);
    assert.equal(parseChallenge(undefined), undefined);
  });
});

describe('formats', () => {
  const index: ImageIndex = {
    schemaVersion: 2,
    manifests: [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:a', size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:b', size: 1, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:c', size: 1, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:d', size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
    ],
  };

  it('chooses the platform entry of an index', () => {
    assert.equal(selectPlatform(index, parsePlatform('linux/amd64'))?.digest, 'sha256:c');
    assert.equal(selectPlatform(index, parsePlatform('linux/arm64'))?.digest, 'sha256:b');
    assert.equal(selectPlatform(index, parsePlatform('linux/arm/v7'))?.digest, 'sha256:a');
    assert.equal(selectPlatform(index, parsePlatform('linux/x86_64'))?.digest, 'sha256:c');
    assert.equal(selectPlatform(index, parsePlatform('linux/arm/v6')), undefined);
    assert.throws(() => parsePlatform('linux'), /invalid platform "linux"/);
  });

  it('knows manifests from indexes and refuses what it cannot pull', () => {
    assert.equal(manifestKind('application/vnd.docker.distribution.manifest.list.v2+json', {}), 'index');
    assert.equal(manifestKind(undefined, { mediaType: 'application/vnd.oci.image.manifest.v1+json' }), 'manifest');
    assert.equal(manifestKind('application/json', { manifests: [] }), 'index');
    assert.throws(() => manifestKind('application/vnd.docker.distribution.manifest.v1+prettyjws', {}), /schema 1/);
    assert.equal(layerCompression('application/vnd.docker.image.rootfs.diff.tar.gzip'), 'gzip');
    assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar'), 'none');
    assert.throws(() => layerCompression('application/x-lz4'), /unknown layer media type "application\/x-lz4"/);
    if (typeof (zlibModule as { createZstdDecompress?: unknown }).createZstdDecompress !== 'function') {
      assert.throws(() => layerCompression('application/vnd.oci.image.layer.v1.tar+zstd'), /needs zstd, which this Node's zlib lacks/);
    } else {
      assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar+zstd'), 'zstd');
    }
  });
});

describe('credential files', () => {
  it("reads docker's config.json and its own file first; writes only its own, 0600", () => {
    const tmp = tempDir('strata-creds-');
    try {
      const docker = path.join(tmp.dir, 'docker.json');
      fs.writeFileSync(docker, JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('hub:pw').toString('base64') }, 'reg.example:5000': { username: 'u', password: 'p' } } }));
      const store = new CredentialStore(path.join(tmp.dir, 'strata', 'auth.json'), docker);
      assert.deepEqual(store.get('docker.io'), { username: 'hub', password: 'pw' });
      assert.deepEqual(store.get('reg.example:5000'), { username: 'u', password: 'p' });
      assert.equal(store.get('other.example'), undefined);
      store.save('reg.example:5000', { username: 'mine', password: 'x:y' });
      assert.deepEqual(store.get('reg.example:5000'), { username: 'mine', password: 'x:y' });
      assert.equal(fs.statSync(path.join(tmp.dir, 'strata', 'auth.json')).mode & 0o777, 0o600);
      assert.equal(store.remove('reg.example:5000'), true);
      assert.deepEqual(store.get('reg.example:5000'), { username: 'u', password: 'p' }, "docker's entry is untouched");
      assert.equal(store.remove('reg.example:5000'), false);
    } finally {
      tmp.remove();
    }
  });
});
