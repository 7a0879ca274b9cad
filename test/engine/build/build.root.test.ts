import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildHelpers } from '../../support/build-helpers.js';
import { makeTestEngine, runToEnd, type TestEngine } from '../../support/test-engine.js';
import { Engine } from '../../../source/engine/engine.js';
import type { BuildOptions } from '../../../source/engine/build/types.js';
import type { OciImageConfig } from '../../../source/engine/images/oci.js';

let t: TestEngine;
before(async () => { t = await makeTestEngine(); });
after(async () => { await t.cleanup(); });
const { context, build, run } = buildHelpers(() => t);

const EVERYTHING = `# syntax=docker/dockerfile:1
# escape=\\
ARG BASE=test/busybox:latest
FROM \${BASE} AS base
ARG GREETING=hi
ARG UNSET
ENV APP_HOME=/app \\
    MODE="prod mode"
LABEL org.example.name="demo app" version=1
WORKDIR $APP_HOME
COPY hello.txt ./
COPY --chmod=750 --chown=1000:100 src/*.c ./src/
ADD archive.tar /opt/
RUN echo "$GREETING from $MODE \${UNSET:-none}" > greeting && echo building
RUN ["/bin/sh", "-c", "echo exec-form > /app/exec.txt"]
RUN <<EOF
echo heredoc > /app/heredoc.txt
EOF
COPY <<EOT /app/notes.txt
notes for \${MODE}
EOT
USER 1000:1000
EXPOSE 8080/tcp 53/udp
VOLUME ["/data"]
STOPSIGNAL SIGQUIT
HEALTHCHECK --interval=30s --timeout=3s --retries=2 CMD wget -q -O- http://localhost:8080/ || exit 1
ONBUILD RUN echo triggered
SHELL ["/bin/sh", "-c"]
ENTRYPOINT ["/bin/sh", "-c"]
CMD ["cat /app/greeting"]
`;

test('a Dockerfile with every instruction builds, runs, and records config and history as docker does', async () => {
  const dir = context('every', { 'Dockerfile': EVERYTHING, 'hello.txt': 'hello\n', 'src/a.c': 'int main(){}\n', 'src/b.h': 'no\n' });
  fs.mkdirSync(path.join(dir, 'tree/pkg'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tree/pkg/data'), 'from the archive\n');
  execFileSync('tar', ['-C', path.join(dir, 'tree'), '-cf', path.join(dir, 'archive.tar'), 'pkg']);
  const { result, events, output } = await build({ context: dir, tags: ['built/every:1', 'built/every:latest'], buildArgs: { GREETING: 'hello' } });
  assert.equal(result.steps, 22);
  assert.equal(result.cached, 0);
  assert.match(output, /building/);
  assert.equal(events.filter((e) => e.type === 'step').length, 22);

  const image = await t.engine.inspectImage('built/every:1');
  assert.deepEqual(image.repoTags.sort(), ['built/every:1', 'built/every:latest']);
  const c = image.config;
  assert.deepEqual(c.Cmd, ['cat /app/greeting']);
  assert.deepEqual(c.Entrypoint, ['/bin/sh', '-c']);
  assert.ok(c.Env?.includes('APP_HOME=/app') && c.Env?.includes('MODE=prod mode'), String(c.Env));
  assert.equal(c.WorkingDir, '/app');
  assert.equal(c.User, '1000:1000');
  assert.deepEqual(c.Labels, { 'org.example.name': 'demo app', version: '1' });
  assert.deepEqual(c.ExposedPorts, { '8080/tcp': {}, '53/udp': {} });
  assert.deepEqual(c.Volumes, { '/data': {} });
  assert.equal(c.StopSignal, 'SIGQUIT');
  assert.deepEqual(c.Healthcheck, { Test: ['CMD-SHELL', 'wget -q -O- http://localhost:8080/ || exit 1'], Interval: 30e9, Timeout: 3e9, Retries: 2 });
  assert.deepEqual(c.OnBuild, ['RUN echo triggered']);
  assert.deepEqual(c.Shell, ['/bin/sh', '-c']);

  const r = await runToEnd(t.engine, [], { image: 'built/every:1' });
  assert.equal(r.stdout, 'hello from prod mode none\n');
  assert.equal(await run('built/every:1', 'id -u; pwd; cat hello.txt exec.txt heredoc.txt notes.txt /opt/pkg/data; stat -c "%a %u:%g %n" src/*; ls src'),
    '1000\n/app\nhello\nexec-form\nheredoc\nnotes for prod mode\nfrom the archive\n750 1000:100 src/a.c\na.c\n');

  // history: one row per instruction after FROM, layers only for filesystem steps
  const config = await t.engine.images.content.getJson<OciImageConfig>(image.id);
  const base = await t.engine.images.content.getJson<OciImageConfig>((await t.engine.inspectImage('test/busybox:latest')).id);
  const rows = config.history!.slice(base.history!.length);
  assert.equal(rows.length, 21);
  const layered = rows.filter((h) => !h.empty_layer).map((h) => h.created_by!);
  assert.equal(layered.length, image.diffIds.length - base.rootfs.diff_ids.length);
  assert.equal(layered.length, 8); // WORKDIR (new dir), COPY ×2, ADD, RUN ×3, COPY heredoc
  assert.match(rows[0].created_by!, /^\/bin\/sh -c #\(nop\)  ARG GREETING=hi$/);
  assert.match(rows[3].created_by!, /^\/bin\/sh -c #\(nop\)  LABEL org.example.name="demo app" version=1$/);
  assert.match(rows[8].created_by!, /^\|1 GREETING=hello \/bin\/sh -c echo "\$GREETING from \$MODE \$\{UNSET:-none\}" > greeting && echo building$/);
  assert.match(rows.at(-1)!.created_by!, /^\/bin\/sh -c #\(nop\)  CMD \["cat \/app\/greeting"\]$/);
  for (const h of rows) assert.ok(h.created, 'every row has a time');
});

test('ONBUILD triggers run in the image built FROM it, and are not inherited further', async () => {
  const dir = context('onbuild', { 'Dockerfile': 'FROM built/every:1\nUSER 0\n' });
  const { output } = await build({ context: dir, tags: ['built/onbuild:1'] });
  assert.match(output, /triggered/);
  assert.equal((await t.engine.inspectImage('built/onbuild:1')).config.OnBuild, undefined);
});

test('an unchanged rebuild is all cache hits, across restarts; a changed COPY source rebuilds from that step on; prune empties the cache', async () => {
  const dir = context('cache', {
    'Dockerfile': 'FROM test/busybox:latest\nRUN echo one > /one\nCOPY a.txt /a.txt\nRUN cat /a.txt > /copy\nCOPY b.txt /b.txt\nENV X=1\n',
    'a.txt': 'a1\n', 'b.txt': 'b1\n',
  });
  const first = await build({ context: dir, tags: ['built/cache:1'] });
  assert.equal(first.result.cached, 0);
  const again = await build({ context: dir, tags: ['built/cache:1'] });
  assert.equal(again.result.cached, 5);
  assert.equal(again.result.imageId, first.result.imageId);

  const restarted = new Engine(t.engine.options);
  const afterRestart = await build({ context: dir, engine: restarted });
  assert.equal(afterRestart.result.cached, 5);
  await restarted.close();

  fs.writeFileSync(path.join(dir, 'a.txt'), 'a2\n');
  const changed = await build({ context: dir, tags: ['built/cache:2'] });
  const cachedSteps = changed.events.filter((e) => e.type === 'cached').map((e) => (e as { step: number }).step);
  assert.deepEqual(cachedSteps, [2]);
  assert.notEqual(changed.result.imageId, first.result.imageId);
  assert.equal(await run('built/cache:2', 'cat /copy /b.txt'), 'a2\nb1\n');
  assert.equal(await run('built/cache:1', 'cat /copy'), 'a1\n');

  const noCache = await build({ context: dir, noCache: true });
  assert.equal(noCache.result.cached, 0);

  const pruned = await t.engine.pruneBuildCache();
  assert.ok(pruned.entries >= 5 && pruned.images.length > 0, JSON.stringify(pruned));
  assert.equal((await build({ context: dir })).result.cached, 0);
  assert.equal(await run('built/cache:1', 'cat /copy'), 'a1\n'); // tagged images survive a prune
});

test('a two-stage build copies the binary from the first stage and nothing else; --target builds only that stage', async () => {
  const dir = context('multi', {
    'Dockerfile': [
      'FROM test/busybox:latest AS builder',
      'RUN mkdir -p /out /junk && echo scratch > /junk/file && printf "#!/bin/sh\\necho built by stage one\\n" > /out/tool && chmod 755 /out/tool',
      'FROM test/busybox:latest AS unused',
      'RUN exit 9',
      'FROM test/busybox:latest',
      'COPY --from=builder /out/tool /usr/local/bin/tool',
      'CMD ["tool"]',
    ].join('\n'),
  });
  const { result } = await build({ context: dir, tags: ['built/multi:1'] });
  assert.equal(result.steps, 5); // the unused stage is skipped
  const r = await runToEnd(t.engine, [], { image: 'built/multi:1' });
  assert.equal(r.stdout, 'built by stage one\n');
  assert.equal(await run('built/multi:1', 'test -e /junk && echo present || echo absent; test -e /out && echo present || echo absent; stat -c %a /usr/local/bin/tool'), 'absent\nabsent\n755\n');

  const stage = await build({ context: dir, target: 'builder', tags: ['built/multi:builder'] });
  assert.equal(stage.result.steps, 2);
  assert.equal(await run('built/multi:builder', 'cat /junk/file'), 'scratch\n');
});

test('FROM scratch takes COPY layers and rebuilds from the cache', async () => {
  const dir = context('scratch', { 'Dockerfile': 'FROM scratch\nCOPY a.txt /a.txt\nCMD ["/a.txt"]\n', 'a.txt': 'alone\n' });
  const first = await build({ context: dir, tags: ['built/scratch:1'] });
  const image = await t.engine.inspectImage('built/scratch:1');
  assert.equal(image.diffIds.length, 1);
  assert.equal(image.size, 6);
  const again = await build({ context: dir });
  assert.equal(again.result.cached, 2);
  assert.equal(again.result.imageId, first.result.imageId);
});

test('a failing RUN stops the build with its step, exit code and output, and tags nothing', async () => {
  const dir = context('fail', { 'Dockerfile': 'FROM test/busybox:latest\nRUN echo before\nRUN echo doomed; echo on-stderr >&2; exit 3\nRUN echo never\n' });
  const before = await t.engine.listContainers(true);
  await assert.rejects(build({ context: dir, tags: ['built/fail:1'] }), (err: unknown) => {
    const e = err as { message: string; exitCode: number; commandExitCode: number; step: number; tail: string };
    assert.match(e.message, /^Dockerfile:3: step 3: the command '\/bin\/sh -c echo doomed; echo on-stderr >&2; exit 3' returned a non-zero code: 3$/);
    assert.equal(e.exitCode, 1);
    assert.equal(e.commandExitCode, 3);
    assert.equal(e.step, 3);
    assert.match(e.tail, /doomed\n/);
    assert.match(e.tail, /on-stderr\n/);
    return true;
  });
  await assert.rejects(t.engine.inspectImage('built/fail:1'), /No such image/);
  assert.equal((await t.engine.listContainers(true)).length, before.length, 'the step container is removed');
});

test('.dockerignore keeps files out of COPY', async () => {
  const dir = context('ignore', {
    'Dockerfile': 'FROM test/busybox:latest\nCOPY . /ctx/\n',
    '.dockerignore': '# comments are fine\nsecret.txt\n**/*.log\n!keep.log\n',
    'secret.txt': 'no', 'app.txt': 'yes', 'logs/x.log': 'no', 'keep.log': 'yes',
  });
  await build({ context: dir, tags: ['built/ignore:1'] });
  assert.equal(await run('built/ignore:1', 'cd /ctx && find . -type f | sort'), './.dockerignore\n./Dockerfile\n./app.txt\n./keep.log\n');
});

test('ADD downloads a URL (a local server here) and extracts local archives', async () => {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT', 'Content-Type': 'text/plain' });
    res.end(`served ${req.url}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const dir = context('add', { 'Dockerfile': `FROM test/busybox:latest\nADD http://127.0.0.1:${port}/files/data.txt /downloads/\nADD --chmod=644 http://127.0.0.1:${port}/other /renamed.txt\n` });
    await build({ context: dir, tags: ['built/add:1'] });
    assert.equal(await run('built/add:1', 'cat /downloads/data.txt /renamed.txt; stat -c "%a %Y" /downloads/data.txt /renamed.txt'),
      'served /files/data.txt\nserved /other\n600 1445412480\n644 1445412480\n');
  } finally {
    server.close();
  }
});

test('Dockerfile errors name the line and what was wrong', async () => {
  const cases: Array<[string, RegExp, Partial<BuildOptions>?]> = [
    ['FROM test/busybox:latest\nFROBNICATE x\n', /^Dockerfile:2: unknown instruction: FROBNICATE$/],
    ['FROM test/busybox:latest\nCMD ["sh", "-c"\n', /^Dockerfile:2: CMD: invalid JSON array/],
    ['FROM test/busybox:latest\nCOPY --from=nope /x /y\n', /^Dockerfile:2: COPY failed: --from=nope: no stage or image of that name/],
    ['FROM test/busybox:latest\nCOPY ../outside /x\n', /^Dockerfile:2: COPY failed: forbidden path outside the build context: \.\.\/outside$/],
    ['FROM test/busybox:latest\n\nCOPY missing.txt /x\n', /^Dockerfile:3: COPY failed: missing.txt: not found/],
    ['FROM test/busybox:latest\nCOPY *.nothing /x/\n', /^Dockerfile:2: COPY failed: no source files were specified/],
    // pulled when missing: a loopback registry nobody serves, so no traffic leaves the machine
    ['FROM 127.0.0.1:9/no/such:image\n', /^Dockerfile:1: FROM 127\.0\.0\.1:9\/no\/such:image: .*(refused|connect)/i],
    ['RUN true\n', /^Dockerfile:1: RUN before the first FROM/],
    ['FROM test/busybox:latest\n', /target stage "nope" could not be found/, { target: 'nope' }],
  ];
  for (const [text, expected, extra] of cases) {
    await assert.rejects(t.engine.build({ context: context('errors', {}), dockerfileText: text, ...extra }), (e: Error) => expected.test(e.message), text);
  }
});
