// `strata build` flags that reach beyond one context and one image, as a user runs them (the
// built CLI, dist/strata.js): --build-context, --output (local, tar, -o DIR, -o -), and
// --cache-to/--cache-from type=local and type=registry carrying the step cache to a fresh store.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { startRegistry } from '../engine/registry/registry-server.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/strata.js');
let t: TestEngine;
let fresh: TestEngine; // a second store, for --cache-from

before(async () => {
  t = await makeTestEngine();
  fresh = await makeTestEngine({ importBusybox: false });
});
after(async () => {
  await fresh.cleanup();
  await t.cleanup();
});

function strata(args: string[], opts: { store?: TestEngine; input?: string } = {}) {
  const store = opts.store ?? t;
  const r = spawnSync(process.execPath, [cli, '--root', store.root, '--runtime-dir', store.runtimeDir, ...args], { input: opts.input ?? '', timeout: 120_000, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, out: r.stdout.toString('utf8'), err: r.stderr.toString('utf8') };
}

function dir(name: string, files: Record<string, string>): string {
  const d = path.join(t.base, name);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(d, file)), { recursive: true });
    fs.writeFileSync(path.join(d, file), text);
  }
  return d;
}

test('--build-context: a directory for COPY --from and RUN --mount from=, docker-image:// replacing a FROM; its links stay inside it', () => {
  const extra = dir('extra-ctx', { 'lib/extra.txt': 'from the named context\n' });
  fs.symlinkSync('../../../../../etc', path.join(extra, 'hostetc'));
  const main = dir('main-ctx', {
    'Dockerfile': [
      'FROM base',
      'COPY --from=extra lib/extra.txt /copied',
      'RUN --mount=type=bind,from=extra,source=lib,target=/e cat /e/extra.txt > /mounted',
      '',
    ].join('\n'),
  });
  const built = strata(['build', '-q', '-t', 'ctx/app:1', '--build-context', `extra=${extra}`, '--build-context', 'base=docker-image://test/busybox:latest', main]);
  assert.equal(built.status, 0, built.err);
  const ran = strata(['run', '--rm', 'ctx/app:1', 'cat', '/copied', '/mounted']);
  assert.equal(ran.out, 'from the named context\nfrom the named context\n');

  const escape = strata(['build', '-f', '-', '--build-context', `extra=${extra}`, main], { input: 'FROM test/busybox:latest\nCOPY --from=extra hostetc/hostname /h\n' });
  assert.equal(escape.status, 1);
  assert.match(escape.err, /COPY failed: hostetc\/hostname: not found/);
  const keyFile = strata(['build', '--ssh', `deploy=${path.join(extra, 'lib/extra.txt')}`, main]);
  assert.equal(keyFile.status, 125);
  assert.match(keyFile.err, /--ssh deploy: .*extra\.txt is not an SSH agent socket \(strata forwards an agent; key files are not supported\)/);
  const bad = strata(['build', '--build-context', 'novalue', main]);
  assert.equal(bad.status, 125);
  assert.match(bad.err, /invalid context value: novalue, expected key=value/);
});

test('--output exports the final stage\'s files (local dir, -o DIR, a tar file, a tar on stdout) and tags no image', () => {
  const ctx = dir('output-ctx', {
    'Dockerfile': 'FROM test/busybox:latest AS build\nRUN mkdir /out && echo artifact > /out/app.bin\nFROM scratch\nCOPY --from=build /out/ /\n',
  });
  const before = strata(['images', '-q']).out;
  const local = path.join(t.base, 'exported');
  fs.mkdirSync(local);
  fs.writeFileSync(path.join(local, 'already-there'), 'kept\n');
  const r1 = strata(['build', '--output', `type=local,dest=${local}`, ctx]);
  assert.equal(r1.status, 0, r1.err);
  assert.deepEqual(fs.readdirSync(local).sort(), ['already-there', 'app.bin']);
  assert.equal(fs.readFileSync(path.join(local, 'app.bin'), 'utf8'), 'artifact\n');
  assert.equal(strata(['images', '-q']).out, before); // docker loads no image with --output

  const short = path.join(t.base, 'exported-short');
  assert.equal(strata(['build', '-q', '-o', short, ctx]).status, 0);
  assert.equal(fs.readFileSync(path.join(short, 'app.bin'), 'utf8'), 'artifact\n');

  const tarFile = path.join(t.base, 'out.tar');
  assert.equal(strata(['build', '-q', '--output', `type=tar,dest=${tarFile}`, ctx]).status, 0);
  assert.equal(spawnSync('tar', ['-xOf', tarFile, 'app.bin'], { encoding: 'utf8' }).stdout, 'artifact\n');

  const piped = strata(['build', '-o', '-', ctx]);
  assert.equal(piped.status, 0, piped.err);
  assert.match(piped.err, /Step 1\/4 : FROM test\/busybox:latest/); // progress on stderr, the tar alone on stdout
  assert.equal(spawnSync('tar', ['-xO', 'app.bin'], { input: piped.stdout, encoding: 'utf8' }).stdout, 'artifact\n');

  const wrong = strata(['build', '--output', 'type=registry,name=x', ctx]);
  assert.equal(wrong.status, 125);
  assert.match(wrong.err, /invalid --output "type=registry,name=x": strata exports type=local or type=tar/);
});

test('--cache-to type=local then --cache-from in a fresh store: every unchanged step is a cache hit, and the cache images stay hidden', () => {
  const ctx = dir('cache-ctx', {
    'Dockerfile': 'FROM test/busybox:latest\nCOPY app.txt /app.txt\nRUN echo expensive step ran; cp /app.txt /done\nENV MODE=prod\n',
    'app.txt': 'cached app\n',
  });
  const cacheDir = path.join(t.base, 'cache-export');
  const first = strata(['build', '-t', 'cache/app:1', '--cache-to', `type=local,dest=${cacheDir}`, ctx]);
  assert.equal(first.status, 0, first.err);
  assert.ok(first.out.split('\n').includes('expensive step ran'), first.out);
  assert.ok(fs.existsSync(path.join(cacheDir, 'strata-build-cache.json')));

  // the fresh store has the same base image (as a pull of the same digest gives), nothing else
  const archive = path.join(t.base, 'busybox.tar');
  assert.equal(strata(['save', '-o', archive, 'test/busybox:latest']).status, 0);
  assert.equal(strata(['load', '-i', archive], { store: fresh }).status, 0);
  const again = strata(['build', '-t', 'cache/app:1', '--cache-from', `type=local,src=${cacheDir}`, ctx], { store: fresh });
  assert.equal(again.status, 0, again.err);
  assert.equal(again.out.split('\n').filter((l) => l === ' ---> Using cache').length, 3, again.out);
  assert.ok(!again.out.split('\n').includes('expensive step ran'), again.out);
  assert.equal(strata(['run', '--rm', 'cache/app:1', 'cat', '/done'], { store: fresh }).out, 'cached app\n');
  assert.deepEqual(strata(['images', '--format', '{{.Repository}}:{{.Tag}}'], { store: fresh }).out.split('\n').filter(Boolean).sort(), ['cache/app:1', 'test/busybox:latest']);

  fs.writeFileSync(path.join(ctx, 'app.txt'), 'changed app\n');
  const changed = strata(['build', '--cache-from', `type=local,src=${cacheDir}`, ctx], { store: fresh });
  assert.equal(changed.out.split('\n').filter((l) => l === ' ---> Using cache').length, 0, changed.out);
  const other = strata(['build', '--cache-from', 'type=gha', ctx], { store: fresh });
  assert.equal(other.status, 125);
  assert.match(other.err, /--cache-from type=gha is not supported: use type=local,src=DIR or type=registry,ref=REF/);
});

test('--cache-to/--cache-from type=registry: the cache travels as an image in a registry (docker-registry here), nothing of it stays tagged', async () => {
  const registry = await startRegistry();
  const second = await makeTestEngine({ importBusybox: false });
  try {
    const ctx = dir('registry-cache-ctx', {
      'Dockerfile': 'FROM test/busybox:latest\nRUN echo registry step ran; echo built > /built\nCMD ["cat", "/built"]\n',
    });
    const ref = `${registry.host}/rcache/app:buildcache`;
    const first = strata(['build', '-t', 'rc/app:1', '--cache-to', `type=registry,ref=${ref}`, ctx]);
    assert.equal(first.status, 0, first.err);
    assert.ok(first.out.split('\n').includes('registry step ran'), first.out);
    assert.doesNotMatch(strata(['images', '--format', '{{.Repository}}']).out, /rcache/);

    const archive = path.join(t.base, 'busybox-rc.tar');
    assert.equal(strata(['save', '-o', archive, 'test/busybox:latest']).status, 0);
    assert.equal(strata(['load', '-i', archive], { store: second }).status, 0);
    const again = strata(['build', '-t', 'rc/app:1', '--cache-from', ref, ctx], { store: second }); // docker's short form: a bare ref
    assert.equal(again.status, 0, again.err);
    assert.equal(again.out.split('\n').filter((l) => l === ' ---> Using cache').length, 2, again.out);
    assert.equal(strata(['run', '--rm', 'rc/app:1'], { store: second }).out, 'built\n');
    assert.deepEqual(strata(['images', '--format', '{{.Repository}}:{{.Tag}}'], { store: second }).out.split('\n').filter(Boolean).sort(), ['rc/app:1', 'test/busybox:latest']);
  } finally {
    await second.cleanup();
    await registry.stop();
  }
});
