// RUN --mount=type=cache|bind|tmpfs as BuildKit has them, and the context rule they share with
// COPY: a path in the build context resolves inside it, so no link there reaches host files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { buildHelpers } from '../../support/build-helpers.js';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { until } from '../../support/until.js';

let t: TestEngine;
before(async () => { t = await makeTestEngine(); });
after(async () => { await t.cleanup(); });
const { context, build, run } = buildHelpers(() => t);

test('a cache mount keeps its content between builds (--no-cache too), is not in the image, and builder prune empties it', async () => {
  const dir = context('cache-mount', {
    'Dockerfile': [
      'FROM test/busybox:latest',
      'RUN --mount=type=cache,target=/var/cache/app echo run >> /var/cache/app/log && wc -l < /var/cache/app/log > /seen',
      'RUN --mount=type=cache,id=owned,target=/owned,uid=1000,gid=1001,mode=0700,sharing=locked stat -c "%u %g %a" /owned > /owned-stat',
      'RUN --mount=type=cache,id=owned,target=/again,sharing=private ls -a /again | wc -l > /private-seen',
      '',
    ].join('\n'),
  });
  await build({ context: dir, tags: ['mounts/cache:1'] });
  assert.equal(await run('mounts/cache:1', 'cat /seen /owned-stat; ls /var/cache/app /owned /again 2>&1 | grep -c "No such file"'), '1\n1000 1001 700\n3\n');
  await build({ context: dir, tags: ['mounts/cache:2'], noCache: true });
  assert.equal(await run('mounts/cache:2', 'cat /seen'), '2\n');

  const df = (await t.engine.diskUsage()).buildCache.filter((b) => b.description.startsWith('cache mount '));
  assert.deepEqual(df.map((b) => [b.description, b.size]).sort(), [['cache mount /var/cache/app', 8], ['cache mount owned', 0]]); // "run\nrun\n"

  const pruned = await t.engine.pruneBuildCache();
  assert.equal(pruned.cacheMounts, 2);
  assert.deepEqual(fs.readdirSync(path.join(t.root, 'build-cache-mounts')).filter((n) => !n.endsWith('.lock')), []);
  assert.equal((await t.engine.diskUsage()).buildCache.filter((b) => b.description.startsWith('cache mount ')).length, 0);
  await build({ context: dir, tags: ['mounts/cache:3'], noCache: true });
  assert.equal(await run('mounts/cache:3', 'cat /seen'), '1\n');
});

test('a cache mount from= a stage starts with that stage\'s files', async () => {
  const dir = context('cache-from', {
    'Dockerfile': 'FROM test/busybox:latest AS seed\nRUN mkdir /s && echo seeded > /s/first\nFROM test/busybox:latest\nRUN --mount=type=cache,id=seeded,target=/c,from=seed,source=/s cat /c/first > /got\n',
  });
  await build({ context: dir, tags: ['mounts/cache-from:1'] });
  assert.equal(await run('mounts/cache-from:1', 'cat /got'), 'seeded\n');
});

test('a bind mount shows the context read-only, rw writes are dropped, from= a stage; its content is in the step\'s cache key', async () => {
  const dir = context('bind-mount', {
    'Dockerfile': [
      'FROM test/busybox:latest AS tools',
      'RUN mkdir /tools && echo "tool v1" > /tools/version',
      'FROM test/busybox:latest',
      'RUN --mount=type=bind,target=/src cat /src/data/input.txt > /copied; touch /src/x 2>/dev/null && echo writable > /ro || echo read-only > /ro',
      'RUN --mount=type=bind,source=data,target=/data,rw echo scribble > /data/input.txt && cat /data/input.txt > /rw',
      'WORKDIR /work',
      'RUN --mount=type=bind,from=tools,source=/tools,target=t cat /work/t/version > /tool', // a relative target is in the WORKDIR
      '',
    ].join('\n'),
    'data/input.txt': 'original\n',
  });
  const first = await build({ context: dir, tags: ['mounts/bind:1'] });
  assert.equal(await run('mounts/bind:1', 'cat /copied /ro /rw /tool; ls /src /data /work/t 2>&1 | grep -c "No such file"'), 'original\nread-only\nscribble\ntool v1\n3\n');
  assert.equal(fs.readFileSync(path.join(dir, 'data/input.txt'), 'utf8'), 'original\n');
  const again = await build({ context: dir });
  assert.equal(again.result.imageId, first.result.imageId);
  fs.writeFileSync(path.join(dir, 'data/input.txt'), 'changed\n');
  await build({ context: dir, tags: ['mounts/bind:2'] });
  assert.equal(await run('mounts/bind:2', 'cat /copied'), 'changed\n');
  await assert.rejects(build({ context: dir, dockerfileText: 'FROM test/busybox:latest\nRUN --mount=type=bind,source=absent,target=/a true\n' }), /Dockerfile:2: failed to compute cache key: "\/absent": not found/);
});

test('context links never reach the host: COPY, ADD, bind mounts and .dockerignore resolve inside the context, as BuildKit', async () => {
  const hostSecret = path.join(t.base, 'host-secret.txt'); // outside the context
  fs.writeFileSync(hostSecret, 'HOST ONLY\n');
  const dir = context('escapes', {
    'Dockerfile': 'FROM test/busybox:latest\n',
    '.dockerignore': 'private\n',
    'private/key': 'ignored key\n',
  });
  fs.symlinkSync('/etc', path.join(dir, 'etc'));
  fs.symlinkSync('../..', path.join(dir, 'up')); // <ctx>/up/host-secret.txt is hostSecret on the host
  fs.symlinkSync('private', path.join(dir, 'pub'));
  const refused: Array<[string, RegExp]> = [
    ['COPY etc/shadow /s', /Dockerfile:2: COPY failed: etc\/shadow: too many levels of symbolic links/], // ctx/etc → <ctx>/etc: a loop
    ['ADD etc/passwd /p', /Dockerfile:2: ADD failed: etc\/passwd: too many levels of symbolic links/],
    ['COPY up/host-secret.txt /s', /COPY failed: up\/host-secret.txt: not found/],
    ['COPY pub/key /k', /COPY failed: pub\/key: not found/],
    ['RUN --mount=type=bind,source=etc/shadow,target=/s cat /s', /Dockerfile:2: failed to compute cache key: etc\/shadow: too many levels of symbolic links/],
    ['RUN --mount=type=bind,source=up/host-secret.txt,target=/s cat /s', /not found/],
    ['RUN --mount=type=bind,source=pub,target=/s cat /s/key', /not found/],
  ];
  for (const [line, message] of refused) await assert.rejects(build({ context: dir, dockerfileText: `FROM test/busybox:latest\n${line}\n` }), message, line);

  // the whole context, bound or copied: the links stay links, resolved in the container
  await build({
    context: dir, tags: ['mounts/escapes:1'],
    dockerfileText: 'FROM test/busybox:latest\nCOPY . /ctx/\nRUN --mount=type=bind,target=/b (cat /b/up/host-secret.txt /b/pub/key; ls /b/private) > /seen 2>&1 || true\n',
  });
  const seen = await run('mounts/escapes:1', 'cat /seen; readlink /ctx/etc; readlink /ctx/up; ls -A /ctx | tr "\\n" " "');
  assert.doesNotMatch(seen, /HOST ONLY|ignored key/);
  assert.match(seen, /\n\/etc\n\.\.\/\.\.\n\.dockerignore Dockerfile etc pub up $/);
  // and no layer in the store holds the host file's bytes
  const grep = spawnSync('grep', ['-rl', 'HOST ONLY', path.join(t.root, 'layers')], { encoding: 'utf8' });
  assert.equal(grep.stdout, '');
});

test('tmpfs mounts are empty and not kept; an unknown mount type is refused', async () => {
  const dir = context('tmpfs', {
    'Dockerfile': 'FROM test/busybox:latest\nRUN --mount=type=tmpfs,target=/scratch,size=2m grep " /scratch " /proc/mounts | cut -d" " -f3 > /fstype; echo x > /scratch/f\n',
  });
  await build({ context: dir, tags: ['mounts/tmpfs:1'] });
  assert.equal(await run('mounts/tmpfs:1', 'cat /fstype; ls /scratch 2>&1 | grep -c "No such file"'), 'tmpfs\n1\n');
  await assert.rejects(build({ context: dir, dockerfileText: 'FROM test/busybox:latest\nRUN --mount=type=nfs,target=/n true\n' }), /unsupported mount type "nfs"/);
});

test('an ssh mount forwards the agent build --ssh names (SSH_AUTH_SOCK set, the socket bound, not kept); without one it is skipped unless required', async () => {
  const socket = path.join(t.base, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  try {
    await until('the ssh agent\'s socket', 10_000, async () => (fs.existsSync(socket) ? true : undefined));
    const dir = context('ssh', {
      'Dockerfile': [
        'FROM test/busybox:latest',
        'RUN --mount=type=ssh (echo "$SSH_AUTH_SOCK"; test -S "$SSH_AUTH_SOCK" && echo socket || true) > /agent',
        'RUN --mount=type=ssh,id=deploy,target=/tmp/deploy.sock (test -S /tmp/deploy.sock && echo deploy || true) > /deploy',
        '',
      ].join('\n'),
    });
    await build({ context: dir, tags: ['mounts/ssh:1'], ssh: { default: socket, deploy: socket } });
    assert.equal(await run('mounts/ssh:1', 'cat /agent /deploy; ls /run/buildkit /tmp/deploy.sock 2>&1 | grep -c "No such file"'), '/run/buildkit/ssh_agent.0\nsocket\ndeploy\n2\n');
    assert.equal(agent.exitCode, null); // the agent on the host is untouched

    await build({ context: dir, tags: ['mounts/ssh:2'], noCache: true });
    assert.equal(await run('mounts/ssh:2', 'cat /agent'), '\n');
    await assert.rejects(build({ context: dir, dockerfileText: 'FROM test/busybox:latest\nRUN --mount=type=ssh,required true\n' }),
      /Dockerfile:2: no SSH key "default" forwarded from the client/);
  } finally {
    agent.kill();
  }
});
