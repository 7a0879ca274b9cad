// pull, push, login and logout through the built CLI, against docker-registry on 127.0.0.1:
// docker's output lines, progress bars on a terminal, exit 1 with one line on failure (docker's code), and
// 20 pulls killed with SIGKILL at random moments that never leave a partial image behind.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../source/engine/engine.js';
import { busyboxRootfsTar } from '../../source/engine/demo.js';
import { makeTar } from '../engine/layers/tar-fixtures.js';
import { skopeo } from '../engine/registry/peers.js';
import { pushRawImage } from '../engine/registry/raw-image.js';
import { startRegistry, type RegistryServer } from '../engine/registry/registry-server.js';
import { releaseNetworksUnder } from '../support/test-engine.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = process.env.STRATA_CLI ?? path.join(repo, 'dist/strata.js');

let work = '';
let root = '';
let runtimeDir = '';

function strata(args: string[], opts: { input?: string; root?: string } = {}): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [cli, '--root', opts.root ?? root, '--runtime-dir', runtimeDir, ...args], {
    encoding: 'utf8',
    input: opts.input ?? '',
    timeout: 120_000,
    env: { ...process.env, XDG_CONFIG_HOME: path.join(work, 'config'), DOCKER_CONFIG: path.join(work, 'docker') },
  });
  if (result.error) throw result.error;
  return result;
}

function explain(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
}

describe('strata pull / push / login / logout', { timeout: 300_000 }, () => {
  let registry: RegistryServer;
  let secured: RegistryServer;

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-cli-registry-'));
    root = path.join(work, 'root');
    runtimeDir = path.join(work, 'run');
    registry = await startRegistry();
    secured = await startRegistry({ htpasswd: [['alice', 's3cret']] });
    const engine = new Engine({ root, runtimeDir });
    await engine.importImage(busyboxRootfsTar(), 'cli/busybox:latest', { changes: ['CMD ["sh"]'] });
    await engine.close();
  });

  after(async () => {
    await registry?.stop();
    await secured?.stop();
    if (work) await releaseNetworksUnder(work);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('pushes with docker\'s lines, and skopeo sees the digest it printed', () => {
    const ref = `${registry.host}/team/app:1.2`;
    assert.equal(strata(['tag', 'cli/busybox', ref]).status, 0);
    const r = strata(['push', ref]);
    assert.equal(r.status, 0, explain(r));
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `The push refers to repository [${registry.host}/team/app]`);
    assert.ok(lines.some((l) => /^[0-9a-f]{12}: Pushed$/.test(l)), r.stdout);
    const last = /^1\.2: digest: (sha256:[0-9a-f]{64}) size: \d+$/.exec(lines.at(-1)!);
    assert.ok(last, r.stdout);
    const remote = JSON.parse(skopeo(['inspect', '--tls-verify=false', `docker://${ref}`])) as { Digest: string };
    assert.equal(remote.Digest, last[1]);
  });

  it('pulls with docker\'s lines into another store, and the image runs', () => {
    const ref = `${registry.host}/team/app:1.2`;
    const other = path.join(work, 'root2');
    const r = strata(['pull', ref], { root: other });
    assert.equal(r.status, 0, explain(r));
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], '1.2: Pulling from team/app');
    assert.ok(lines.some((l) => /^[0-9a-f]{12}: Pull complete$/.test(l)), r.stdout);
    assert.match(lines.at(-3)!, /^Digest: sha256:[0-9a-f]{64}$/);
    assert.equal(lines.at(-2), `Status: Downloaded newer image for ${ref}`);
    assert.equal(lines.at(-1), ref);
    const run = strata(['run', '--rm', ref, 'sh', '-c', 'echo ran $(ls /bin/busybox)'], { root: other });
    assert.equal(run.stdout, 'ran /bin/busybox\n', explain(run));
    const again = strata(['pull', '-q', ref], { root: other });
    assert.equal(again.stdout, `${ref}\n`);
    assert.equal(strata(['pull', ref], { root: other }).stdout.trimEnd().split('\n').at(-2), `Status: Image is up to date for ${ref}`);
    // like docker, untagging the last tag of a repository drops its digest reference and the image
    const rmi = strata(['rmi', ref], { root: other });
    assert.equal(rmi.status, 0, explain(rmi));
    const rmiLines = rmi.stdout.trimEnd().split('\n');
    assert.deepEqual(rmiLines.slice(0, 2), [`Untagged: ${ref}`, `Untagged: ${registry.host}/team/app@${lines.at(-3)!.slice('Digest: '.length)}`]);
    assert.match(rmiLines[2], /^Deleted: sha256:[0-9a-f]{64}$/);
    assert.equal(strata(['images', '-q'], { root: other }).stdout, '');
  });

  it('draws per-layer progress bars on a terminal', () => {
    const ref = `${registry.host}/team/app:1.2`;
    const other = path.join(work, 'root-tty');
    const command = [process.execPath, cli, '--root', other, '--runtime-dir', runtimeDir, 'pull', ref].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, explain(r));
    assert.match(r.stdout, /\x1b\[2K[0-9a-f]{12}: (Downloading|Pull complete)/);
    assert.match(r.stdout, /\x1b\[\d+A/, 'lines are redrawn in place');
    assert.match(r.stdout, /Status: Downloaded newer image/);
  });

  it('fails with one line and exit 1: missing tag, unknown image, no registry', () => {
    for (const [args, message] of [
      [['pull', `${registry.host}/team/app:nope`], /^strata: manifest for 127\.0\.0\.1:\d+\/team\/app:nope not found: manifest unknown/],
      [['push', `${registry.host}/team/none:1`], /^strata: An image does not exist locally with the tag: 127\.0\.0\.1:\d+\/team\/none$/],
      [['pull', '--platform', 'linux', `${registry.host}/team/app:1.2`], /^strata: invalid platform "linux"/],
      [['pull', 'Bad Name'], /^strata: invalid reference format/],
    ] as Array<[string[], RegExp]>) {
      const r = strata(args);
      assert.equal(r.status, 1, explain(r)); // the daemon's errors and pull's own checks: docker exits 1
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr.trimEnd(), message);
    }
    assert.equal(strata(['system', 'check']).status, 0);
  });

  it('logs in with --password-stdin and -p, saves the credentials 0600, logs out', () => {
    const ref = `${secured.host}/team/app:1`;
    assert.equal(strata(['tag', 'cli/busybox', ref]).status, 0);
    const denied = strata(['push', ref]);
    assert.equal(denied.status, 1);
    assert.match(denied.stderr, /^strata: unauthorized: authentication required by 127\.0\.0\.1:\d+ \(run `strata login 127\.0\.0\.1:\d+`\)\n$/);

    const wrong = strata(['login', secured.host, '-u', 'alice', '--password-stdin'], { input: 'nope\n' });
    assert.equal(wrong.status, 1); // docker login's failed auth exits 1
    assert.match(wrong.stderr, /^strata: unauthorized: incorrect username or password for 127\.0\.0\.1:\d+\n$/);

    const ok = strata(['login', secured.host, '-u', 'alice', '--password-stdin'], { input: 's3cret\n' });
    assert.equal(ok.status, 0, explain(ok));
    assert.equal(ok.stdout, 'Login Succeeded\n');
    const file = path.join(work, 'config', 'strata-nodejs', 'auth.json');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(strata(['push', ref]).status, 0);

    const flag = strata(['login', secured.host, '-u', 'alice', '-p', 's3cret']);
    assert.equal(flag.status, 0);
    assert.match(flag.stderr, /WARNING! Using --password via the CLI is insecure/);

    const out = strata(['logout', secured.host]);
    assert.equal(out.stdout, `Removing login credentials for ${secured.host}\n`);
    assert.equal(strata(['logout', secured.host]).stdout, `Not logged in to ${secured.host}\n`);
    assert.equal(strata(['pull', ref]).status, 1);
  });

  it('never leaves a partial image when a pull is killed with SIGKILL at random moments (20 trials)', async () => {
    // an image that takes a while: three layers of many small files and some random data
    const tars = [];
    for (let l = 0; l < 3; l++) {
      const entries = Array.from({ length: 1000 }, (_, i) => ({ name: `l${l}/d${i % 30}/f${i}`, data: crypto.randomBytes(1024) }));
      entries.push({ name: `l${l}/blob`, data: crypto.randomBytes(1 << 20) });
      tars.push(await makeTar(entries));
    }
    const target = `${registry.host}/kill/big:1`;
    await pushRawImage(registry.host, 'kill/big', '1', tars);
    const killRoot = path.join(work, 'root-kill');
    const started = Date.now();
    assert.equal(strata(['pull', '-q', target], { root: killRoot }).status, 0);
    const full = Date.now() - started;
    assert.equal(strata(['rmi', target], { root: killRoot }).status, 0);

    let killedMidway = 0;
    for (let trial = 0; trial < 20; trial++) {
      const child = spawn(process.execPath, [cli, '--root', killRoot, '--runtime-dir', runtimeDir, 'pull', '-q', target], { stdio: 'ignore' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await sleep(Math.random() * full);
      const wasRunning = child.exitCode === null;
      if (wasRunning) child.kill('SIGKILL');
      const code = await exited;
      if (wasRunning && code === null) killedMidway++;
      // a fresh engine, as the next strata command would open the store
      const engine = new Engine({ root: killRoot, runtimeDir });
      try {
        assert.deepEqual(await engine.check(), [], `trial ${trial}`);
        const listed = (await engine.listImages()).flatMap((i) => (i.repoTags.length ? i.repoTags : ['<none>']));
        if (listed.length > 0) {
          assert.deepEqual(listed, [target], `trial ${trial}: only the whole image can be there`);
          const image = await engine.inspectImage(target);
          assert.equal(image.chainIds.length, 3);
          await engine.removeImage(target);
        }
      } finally {
        await engine.close();
      }
    }
    assert.ok(killedMidway >= 5, `only ${killedMidway} of 20 kills landed during a pull`);
    const last = strata(['pull', '-q', target], { root: killRoot });
    assert.equal(last.status, 0, explain(last));
    assert.equal(strata(['system', 'check'], { root: killRoot }).status, 0);
  });
});
