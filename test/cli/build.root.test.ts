// `strata build`, `builder prune`, `commit` and `diff` as a user runs them: the built CLI
// (dist/strata.js, `node scripts/build.mjs` first) against a throw-away store.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { makeTestEngine, type TestEngine } from '../support/test-engine.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/strata.js');
let t: TestEngine;
let ctx: string;

before(async () => {
  t = await makeTestEngine();
  ctx = path.join(t.base, 'ctx');
  fs.mkdirSync(ctx);
  fs.writeFileSync(path.join(ctx, 'msg.txt'), 'from the context\n');
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM test/busybox:latest\nCOPY msg.txt /msg.txt\nRUN echo "step output"; cp /msg.txt /copied\nCMD ["cat", "/copied"]\n');
});
after(async () => { await t.cleanup(); });

function strata(args: string[], input = '') {
  const r = spawnSync(process.execPath, [cli, '--root', t.root, '--runtime-dir', t.runtimeDir, ...args], { encoding: 'utf8', input, timeout: 120_000 });
  if (r.error) throw r.error;
  return r;
}

test('build prints docker\'s plain steps, tags, and a rebuild uses the cache', () => {
  const first = strata(['build', '-t', 'cli/app:1', '-t', 'cli/app', ctx]);
  assert.equal(first.status, 0, first.stderr);
  const lines = first.stdout.split('\n');
  assert.deepEqual(lines.filter((l) => l.startsWith('Step ')), ['Step 1/4 : FROM test/busybox:latest', 'Step 2/4 : COPY msg.txt /msg.txt', 'Step 3/4 : RUN echo "step output"; cp /msg.txt /copied', 'Step 4/4 : CMD ["cat", "/copied"]']);
  assert.ok(lines.includes('step output'));
  assert.ok(lines.some((l) => /^ ---> Running in [0-9a-f]{12}$/.test(l)));
  assert.match(first.stdout, /\nSuccessfully built [0-9a-f]{12}\nSuccessfully tagged cli\/app:1\nSuccessfully tagged cli\/app:latest\n$/, first.stdout);

  const again = strata(['build', '-t', 'cli/app:1', ctx]);
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout.split('\n').filter((l) => l === ' ---> Using cache').length, 3);
  assert.ok(!again.stdout.split('\n').includes('step output'), again.stdout);

  const run = strata(['run', '--rm', 'cli/app:1']);
  assert.equal(run.stdout, 'from the context\n');

  const quiet = strata(['build', '-q', '-f', path.join(ctx, 'Dockerfile'), ctx]);
  assert.equal(quiet.status, 0, quiet.stderr);
  assert.match(quiet.stdout, /^sha256:[0-9a-f]{64}\n$/);
});

test('a failing RUN exits 1 with the step and code; a bad Dockerfile names its line', () => {
  const failing = strata(['build', '-f', '-', ctx], 'FROM test/busybox:latest\nRUN echo last words; exit 7\n');
  assert.equal(failing.status, 1);
  assert.match(failing.stdout, /last words/);
  assert.match(failing.stderr, /^strata: Dockerfile:2: step 2: the command '\/bin\/sh -c echo last words; exit 7' returned a non-zero code: 7\n$/);

  const bad = strata(['build', '-f', '-', ctx], 'FROM test/busybox:latest\nCOPY nothing-here /x\n');
  assert.equal(bad.status, 1); // docker build exits 1 for any failure of the build
  assert.match(bad.stderr, /^strata: Dockerfile:2: COPY failed: nothing-here: not found/);
});

test('build takes the flags CI scripts pass: --label, --iidfile, --secret, --add-host, --network default, --platform of the host, --rm, --force-rm, --ulimit, --shm-size', () => {
  const iid = path.join(t.base, 'iid.txt');
  const secret = path.join(t.base, 'secret.txt');
  fs.writeFileSync(secret, 'hush\n');
  const dockerfile = 'FROM test/busybox:latest\nRUN --mount=type=secret,id=s cp /run/secrets/s /got && grep -q "h.example" /etc/hosts\n';
  const r = strata(['build', '-f', '-', '--label', 'ci.build=42', '--iidfile', iid, '--secret', `id=s,src=${secret}`, '--add-host', 'h.example:10.1.2.3',
    '--network', 'default', '--platform', 'linux/amd64', '--rm', '--force-rm', '--ulimit', 'nofile=1024:2048', '--shm-size', '128m', '-t', 'cli/flags:1', ctx], dockerfile);
  assert.equal(r.status, 0, r.stderr);
  const id = fs.readFileSync(iid, 'utf8');
  assert.match(id, /^sha256:[0-9a-f]{64}$/);
  const inspect = strata(['image', 'inspect', '-f', '{{.Id}} {{json .Config.Labels}}', 'cli/flags:1']);
  assert.equal(inspect.stdout, `${id} {"ci.build":"42"}\n`);
  assert.equal(strata(['run', '--rm', 'cli/flags:1', 'cat', '/got']).stdout, 'hush\n');

  const other = strata(['build', '--platform', 'linux/riscv64', ctx]);
  assert.equal(other.status, 1);
  assert.match(other.stderr, /--platform linux\/riscv64: strata builds only for this host's platform/);
});

test('builder prune drops the cache', () => {
  assert.equal(strata(['build', ctx]).status, 0);
  const pruned = strata(['builder', 'prune', '-f']);
  assert.equal(pruned.status, 0, pruned.stderr);
  assert.match(pruned.stdout, /^Deleted build cache objects:\n([0-9a-f]{25}\n)+\nTotal reclaimed space: \S+\n$/);
  const rebuilt = strata(['build', ctx]);
  assert.ok(!rebuilt.stdout.includes('Using cache'), rebuilt.stdout);
  assert.equal(strata(['builder', 'prune'], 'n\n').status, 0);
});

test('diff lists a container\'s changes and commit makes an image of them', () => {
  const ran = strata(['run', '--name', 'cli-commit', 'test/busybox:latest', 'sh', '-c', 'echo new > /new.txt && rm -rf /home && touch /etc/touched']);
  assert.equal(ran.status, 0, ran.stderr);
  const diff = strata(['diff', 'cli-commit']);
  assert.equal(diff.stdout, 'C /etc\nA /etc/touched\nD /home\nA /new.txt\n');
  const commit = strata(['commit', '-m', 'from the cli', '-c', 'CMD ["cat", "/new.txt"]', 'cli-commit', 'cli/committed:1']);
  assert.equal(commit.status, 0, commit.stderr);
  assert.match(commit.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(strata(['run', '--rm', 'cli/committed:1']).stdout, 'new\n');
  assert.equal(strata(['run', '--rm', 'cli/committed:1', 'sh', '-c', 'test -e /home || echo gone']).stdout, 'gone\n');
  const missing = strata(['commit', 'no-such-container']);
  assert.equal(missing.status, 1); // the daemon's "No such container": docker exits 1
  assert.match(missing.stderr, /No such container/i);
});
