// The same Dockerfile built by strata and by `podman build` (buildah) over the same busybox
// rootfs gives the same files and the same runtime config. Podman runs in a throw-away
// --root/--runroot with runc and chroot isolation, and is reset afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { busyboxRootfsTar } from '../../../source/engine/demo.js';
import { MergedLayers } from '../../../source/engine/layers/merged-view.js';

let t: TestEngine;
let podmanRoot: string;
let ctx: string;

function podman(...args: string[]): string {
  return execFileSync('podman', ['--root', path.join(podmanRoot, 'root'), '--runroot', path.join(podmanRoot, 'run'), '--runtime', 'runc', '--storage-driver', 'overlay', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

before(async () => {
  t = await makeTestEngine();
  podmanRoot = path.join(t.base, 'podman');
  ctx = path.join(t.base, 'ctx');
  fs.mkdirSync(path.join(ctx, 'src/lib'), { recursive: true });
  fs.writeFileSync(path.join(ctx, 'src/main.sh'), '#!/bin/sh\necho main\n');
  fs.writeFileSync(path.join(ctx, 'src/lib/util.sh'), 'util() { :; }\n');
  fs.writeFileSync(path.join(ctx, 'README'), 'readme\n');
  fs.writeFileSync(path.join(ctx, '.dockerignore'), 'README\n');
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), [
    'FROM localhost/interop/busybox:latest',
    'ARG VERSION=1.2',
    'ENV APP=/srv/app LEVEL="very high"',
    'LABEL org.example.version=$VERSION maintainer="someone"',
    'WORKDIR $APP',
    'COPY src/ ./',
    'COPY --chmod=755 src/main.sh /usr/local/bin/app',
    'RUN mkdir -p /var/data && echo "$VERSION" > /var/data/version && rm -rf /home && chmod 700 /var/data',
    'USER 1000:1000',
    'EXPOSE 8080 9090/udp',
    'ENTRYPOINT ["/usr/local/bin/app"]',
    'CMD ["--serve"]',
    '',
  ].join('\n'));
  const tar = path.join(t.base, 'busybox.tar');
  await pipeline(busyboxRootfsTar(), fs.createWriteStream(tar));
  podman('import', tar, 'localhost/interop/busybox:latest');
  await t.engine.tagImage('test/busybox:latest', 'localhost/interop/busybox:latest');
});

after(async () => {
  try { podman('system', 'reset', '--force'); } catch { /* nothing was created */ }
  await t.cleanup();
});

/** path → "type mode uid:gid size" for every entry of a tree, with a file's bytes hashed in. */
function listing(stat: (rel: string) => fs.Stats | undefined, list: (rel: string) => string[], read: (rel: string) => Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of list(rel)) {
      const child = rel === '' ? name : `${rel}/${name}`;
      const st = stat(child)!;
      const kind = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : st.isFile() ? 'file' : 'other';
      out.set(`/${child}`, `${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}${kind === 'file' ? ` ${read(child).toString('base64').slice(0, 40)}` : ''}`);
      if (st.isDirectory()) walk(child);
    }
  };
  walk('');
  return out;
}

test('podman build and strata build of one Dockerfile agree on files and config', async () => {
  const ours = await t.engine.build({ context: ctx, tags: ['interop/app:strata'] });
  podman('build', '--isolation', 'chroot', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--format', 'docker', '-q', '-t', 'localhost/interop/app:podman', ctx);

  const theirs = JSON.parse(podman('image', 'inspect', 'localhost/interop/app:podman'))[0].Config;
  const mine = (await t.engine.inspectImage(ours.imageId)).config;
  const labels = { ...theirs.Labels };
  delete labels['io.buildah.version'];
  assert.deepEqual(mine.Cmd, theirs.Cmd);
  assert.deepEqual(mine.Entrypoint, theirs.Entrypoint);
  assert.deepEqual(mine.Env?.filter((e) => !e.startsWith('PATH=')), theirs.Env.filter((e: string) => !e.startsWith('PATH=')));
  assert.equal(mine.WorkingDir, theirs.WorkingDir);
  assert.equal(mine.User, theirs.User);
  assert.deepEqual(mine.ExposedPorts, theirs.ExposedPorts);
  assert.deepEqual(mine.Labels, labels);

  const image = await t.engine.inspectImage(ours.imageId);
  const merged = new MergedLayers(t.engine.images.layerDirs(image));
  const strataFiles = listing((r) => merged.stat(r), (r) => merged.list(r), (r) => fs.readFileSync(merged.hostPath(r)));
  const mount = podman('image', 'mount', 'localhost/interop/app:podman').trim();
  try {
    const podmanFiles = listing((r) => fs.lstatSync(path.join(mount, r), { throwIfNoEntry: false }), (r) => fs.readdirSync(path.join(mount, r)).sort(), (r) => fs.readFileSync(path.join(mount, r)));
    // buildah's chroot isolation leaves the empty file it bind-mounted resolv.conf onto during RUN
    if (podmanFiles.get('/etc/resolv.conf')?.endsWith(' ') && !strataFiles.has('/etc/resolv.conf')) podmanFiles.delete('/etc/resolv.conf');
    const differ = [...new Set([...strataFiles.keys(), ...podmanFiles.keys()])].filter((p) => strataFiles.get(p) !== podmanFiles.get(p));
    assert.deepEqual(differ.map((p) => `${p}: strata ${strataFiles.get(p)} / podman ${podmanFiles.get(p)}`), []);
    assert.ok(strataFiles.has('/srv/app/lib/util.sh') && strataFiles.has('/var/data/version') && !strataFiles.has('/home') && !strataFiles.has('/srv/app/README'));
  } finally {
    podman('image', 'unmount', 'localhost/interop/app:podman');
  }
});

test('a strata-built image, saved and loaded into podman, runs there', async () => {
  await t.engine.build({ context: ctx, tags: ['localhost/interop/app:saved'] });
  const file = path.join(t.base, 'app-saved.tar');
  const out = fs.createWriteStream(file);
  await t.engine.saveImages(['localhost/interop/app:saved'], out);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  assert.match(podman('load', '-i', file), /localhost\/interop\/app:saved/);
  // ENTRYPOINT app (the COPY --chmod'ed script), USER 1000:1000, WORKDIR from ENV
  const ran = podman('run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', 'localhost/interop/app:saved');
  assert.equal(ran, 'main\n');
  const who = podman('run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--entrypoint', 'sh', 'localhost/interop/app:saved', '-c', 'id -u; pwd; ls /usr/local/bin/app');
  assert.equal(who, '1000\n/srv/app\n/usr/local/bin/app\n');
});
