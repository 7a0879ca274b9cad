// A real apt-based Dockerfile over a Debian bookworm rootfs (debootstrap, cached per machine),
// built by strata and by podman from that same base: the two images hold the same files (path,
// type, mode, owner, size, link target, bytes), apart from the build noise and podman's
// departure from docker listed in test/support/buildpack-deps.ts. The containers fetch from
// the Debian mirror. The full buildpack-deps curl and scm images are compared in
// bench/buildpack-deps.ts (minutes per build).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { debianRootfsTar } from '../../support/debian-rootfs.js';
import { BUILD_NOISE, DEBIAN_BASE, PODMAN_RUN_STUBS, withoutPodmanStubs } from '../../support/buildpack-deps.js';
import { describeDiff, diffTrees, treeOfSavedImage } from '../../support/image-tree.js';
import { makeTestEngine, mountsUnder, type TestEngine } from '../../support/test-engine.js';

// buildpack-deps' way (one RUN: update, install --no-install-recommends, drop the lists) with a
// smaller set: ca-certificates brings openssl and a dpkg trigger that writes /etc/ssl/certs
const DOCKERFILE = `FROM ${DEBIAN_BASE}
RUN set -eux; apt-get update; \\
    apt-get install -y --no-install-recommends ca-certificates netbase; \\
    rm -rf /var/lib/apt/lists/*
`;

let t: TestEngine;
let podmanDir: string;

function podman(...args: string[]): string {
  const global = ['--root', path.join(podmanDir, 'root'), '--runroot', path.join(podmanDir, 'run'), '--runtime', 'runc', '--storage-driver', 'overlay', '--cgroup-manager', 'cgroupfs', '--events-backend', 'none'];
  return execFileSync('podman', [...global, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, env: { ...process.env, TMPDIR: podmanDir } });
}

before(async () => {
  t = await makeTestEngine({ importBusybox: false });
  podmanDir = path.join(t.base, 'podman');
  fs.mkdirSync(podmanDir);
});

after(async () => {
  spawnSync('podman', ['--root', path.join(podmanDir, 'root'), '--runroot', path.join(podmanDir, 'run'), '--storage-driver', 'overlay', 'system', 'reset', '--force'], { stdio: 'ignore' });
  for (const m of mountsUnder(podmanDir).reverse()) spawnSync('umount', ['-l', m]);
  await t.cleanup();
});

test('an apt-get Dockerfile over Debian bookworm: strata and podman build the same files', { timeout: 15 * 60_000 }, async () => {
  const base = debianRootfsTar();
  await t.engine.importImage(fs.createReadStream(base), DEBIAN_BASE);
  podman('import', base, DEBIAN_BASE);
  const ctx = path.join(t.base, 'ctx');
  fs.mkdirSync(ctx);
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), DOCKERFILE);

  const built = await t.engine.build({ context: ctx, tags: ['localhost/debian-test/certs:strata'] });
  podman('build', '--isolation', 'chroot', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--format', 'docker', '-q', '-t', 'localhost/debian-test/certs:podman', ctx);

  // each image as saved (docker-archive), its layers applied in order
  const mineTar = path.join(t.base, 'strata.tar');
  const out = fs.createWriteStream(mineTar);
  await t.engine.saveImages([built.imageId], out);
  out.end(); // the caller's to end
  await finished(out);
  const theirsTar = path.join(t.base, 'podman.tar');
  podman('save', '--format', 'docker-archive', '-o', theirsTar, 'localhost/debian-test/certs:podman');
  const mine = await treeOfSavedImage(mineTar, path.join(t.base, 'strata-image'));
  const theirs = await treeOfSavedImage(theirsTar, path.join(t.base, 'podman-image'));
  // what the user checks first: the packages are there, on both sides
  for (const tree of [mine, theirs]) {
    assert.match(tree.get('/etc/ssl/certs/ca-certificates.crt') ?? '', /^file 0:0 644 \d{5,}/);
    assert.match(tree.get('/etc/services') ?? '', /^file 0:0 644/);
  }
  for (const stub of PODMAN_RUN_STUBS) assert.equal(mine.get(stub), undefined, `${stub}: docker's builder leaves no such stub`);
  const diff = diffTrees(mine, withoutPodmanStubs(theirs), (p) => BUILD_NOISE.some((re) => re.test(p)));
  assert.deepEqual(diff, { onlyLeft: [], onlyRight: [], differ: [] }, describeDiff(diff, 'strata', 'podman'));
  assert.ok(mine.size > 5000, `${mine.size} files: the whole root filesystem was compared`);
});
