// Dockerfiles that build under docker (BuildKit) build the same here: the forms, heredocs,
// context rules and flags where strata used to refuse or differ.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildHelpers } from '../../support/build-helpers.js';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';
import { MergedLayers } from '../../../source/engine/layers/merged-view.js';
import { goArch } from '../../../source/engine/images/oci.js';

let t: TestEngine;
before(async () => { t = await makeTestEngine(); });
after(async () => { await t.cleanup(); });
const { context, build, run } = buildHelpers(() => t);

test('LABEL and ENV in the legacy `KEY value` form: the value is the rest of the line, spaces kept', async () => {
  const dir = context('legacy-pairs', {
    'Dockerfile': 'FROM test/busybox:latest\nLABEL maintainer "Jane Doe <jane@example.com>"\nLABEL version 1.0\nENV GREETING hello with  two spaces\nENV NAME=$GREETING\n',
  });
  await build({ context: dir, tags: ['parity/legacy:1'] });
  const c = (await t.engine.inspectImage('parity/legacy:1')).config;
  assert.deepEqual(c.Labels, { maintainer: 'Jane Doe <jane@example.com>', version: '1.0' });
  assert.ok(c.Env?.includes('GREETING=hello with  two spaces'), String(c.Env));
  assert.ok(c.Env?.includes('NAME=hello with  two spaces'), String(c.Env));
});

test('heredocs: RUN with a #! line runs under that interpreter; COPY expands only an unquoted heredoc, where \\$X gives $X', async () => {
  const dir = context('heredocs', {
    'Dockerfile': [
      'FROM test/busybox:latest',
      'ARG WHO=world',
      'RUN printf \'#!/bin/sh\\necho "interpreter ran $1"\\nexec /bin/sh "$1"\\n\' > /interp && chmod 755 /interp',
      'RUN <<EOF',
      '#!/interp',
      'echo "script says hi" > /ran-by-interp',
      'EOF',
      'COPY <<EOF /expanded',
      'price \\$X for $WHO "quoted" \'$WHO\'',
      'EOF',
      'COPY <<\'EOF\' /verbatim',
      'keep \\$X and $WHO',
      'EOF',
      '',
    ].join('\n'),
  });
  const { output } = await build({ context: dir, tags: ['parity/heredocs:1'] });
  assert.match(output, /interpreter ran \/dev\/pipes\/EOF\n/);
  assert.equal(await run('parity/heredocs:1', 'cat /ran-by-interp /expanded /verbatim; ls /dev/pipes 2>&1 >/dev/null | wc -l'),
    'script says hi\nprice $X for world "quoted" \'world\'\nkeep \\$X and $WHO\n1\n');
});

test('COPY of a symlink copies its target; links inside a copied directory stay links; every link resolves inside the context', async () => {
  const dir = context('symlinks', {
    'Dockerfile': [
      'FROM test/busybox:latest AS one',
      'RUN mkdir /data && echo "stage data" > /data/real && ln -s /data/real /data/link',
      'FROM test/busybox:latest',
      'COPY link.txt /dest/',
      'COPY tree /tree/',
      'COPY etc-link/passwd /from-context-etc',
      'COPY --from=one /data/link /from-stage',
      '',
    ].join('\n'),
    'real.txt': 'target content\n', 'tree/file': 'f\n', 'etc/passwd': 'the context\'s etc/passwd\n',
  });
  fs.symlinkSync('real.txt', path.join(dir, 'link.txt'));
  fs.symlinkSync('../real.txt', path.join(dir, 'tree/inner-link'));
  fs.symlinkSync('/etc', path.join(dir, 'etc-link')); // /etc of the context, never the host's
  await build({ context: dir, tags: ['parity/symlinks:1'] });
  assert.equal(await run('parity/symlinks:1', 'cat /dest/link.txt; test -L /dest/link.txt && echo link || echo file; readlink /tree/inner-link; cat /from-context-etc /from-stage'),
    'target content\nfile\n../real.txt\nthe context\'s etc/passwd\nstage data\n');

  const outside = context('symlinks-outside', { 'Dockerfile': 'FROM test/busybox:latest\nCOPY hostname /h\n' });
  fs.symlinkSync('../../../../../../etc/hostname', path.join(outside, 'hostname'));
  await assert.rejects(build({ context: outside }), /COPY failed: hostname: hostname is a symbolic link to nothing in the build context/);
});

test('an image\'s tree (COPY --from) never reads the host through a lower layer\'s symlink under an upper directory', () => {
  const lower = path.join(t.base, 'layers/lower');
  const upper = path.join(t.base, 'layers/upper');
  fs.mkdirSync(lower, { recursive: true });
  fs.mkdirSync(path.join(upper, 'a'), { recursive: true });
  fs.symlinkSync('/etc', path.join(lower, 'a'));
  fs.writeFileSync(path.join(upper, 'a/own'), 'mine\n');
  const view = new MergedLayers([upper, lower]);
  assert.equal(view.stat('a/passwd'), undefined);
  assert.ok(view.stat('a/own')?.isFile());
  assert.equal(new MergedLayers([lower]).stat('a/passwd'), undefined);
});

test('the COPY cache key is content, mode and owner: a touched source still hits the cache, a chmod misses it', async () => {
  const dir = context('cache-key', { 'Dockerfile': 'FROM test/busybox:latest\nCOPY app.sh /app.sh\n', 'app.sh': 'echo app\n' });
  const file = path.join(dir, 'app.sh');
  fs.chmodSync(file, 0o644);
  const first = await build({ context: dir });
  const later = new Date(Date.now() + 3600_000);
  fs.utimesSync(file, later, later);
  const touched = await build({ context: dir });
  assert.equal(touched.result.cached, 1);
  assert.equal(touched.result.imageId, first.result.imageId);
  fs.chmodSync(file, 0o755);
  const chmodded = await build({ context: dir, tags: ['parity/cache-key:1'] });
  assert.equal(chmodded.result.cached, 0);
  assert.equal(await run('parity/cache-key:1', 'stat -c %a /app.sh'), '755\n');
});

test('.dockerignore: an exception inside an ignored directory keeps that file; <Dockerfile>.dockerignore beside -f wins over the context\'s', async () => {
  const dir = context('ignore-exceptions', {
    'Dockerfile': 'FROM test/busybox:latest\nCOPY . /ctx/\n',
    '.dockerignore': 'docs\n!docs/README.md\npublic.txt\n',
    'docs/README.md': 'keep\n', 'docs/other.md': 'drop\n', 'docs/deep/x.md': 'drop\n', 'public.txt': 'p\n', 'secret.txt': 's\n',
    'build/app.Dockerfile': 'FROM test/busybox:latest\nCOPY . /ctx/\n',
    'build/app.Dockerfile.dockerignore': 'secret.txt\nbuild\n',
  });
  await build({ context: dir, tags: ['parity/ignore:1'] });
  assert.equal(await run('parity/ignore:1', 'cd /ctx && find . -type f | sort'),
    './.dockerignore\n./Dockerfile\n./build/app.Dockerfile\n./build/app.Dockerfile.dockerignore\n./docs/README.md\n./secret.txt\n');
  await build({ context: dir, dockerfile: path.join(dir, 'build/app.Dockerfile'), tags: ['parity/ignore:2'] });
  assert.equal(await run('parity/ignore:2', 'cd /ctx && find . -type f | sort'),
    './.dockerignore\n./Dockerfile\n./docs/README.md\n./docs/deep/x.md\n./docs/other.md\n./public.txt\n');
});

test('ADD extracts local .tar.gz, .tar.bz2, .tar.xz and .tar.zst archives, told by their bytes, not their names', async () => {
  const dir = context('archives', {
    'Dockerfile': 'FROM test/busybox:latest\nADD a.tgz /gz/\nADD a.tar.bz2 /bz2/\nADD a.tar.xz /xz/\nADD a.tar.zst /zst/\nADD misnamed.txt /misnamed/\n',
    'tree/pkg/data': 'from the archive\n',
  });
  execFileSync('tar', ['-C', path.join(dir, 'tree'), '-cf', path.join(dir, 'a.tar'), 'pkg']);
  execFileSync('sh', ['-c', 'gzip -c a.tar > a.tgz && bzip2 -c a.tar > a.tar.bz2 && xz -c a.tar > a.tar.xz && zstd -q -c a.tar > a.tar.zst && xz -c a.tar > misnamed.txt'], { cwd: dir });
  await build({ context: dir, tags: ['parity/archives:1'] });
  assert.equal(await run('parity/archives:1', 'cat /gz/pkg/data /bz2/pkg/data /xz/pkg/data /zst/pkg/data /misnamed/pkg/data'), 'from the archive\n'.repeat(5));
});

test('WORKDIR after USER u:g creates the directory owned by u:g, so the user can write in it', async () => {
  const dir = context('workdir-owner', { 'Dockerfile': 'FROM test/busybox:latest\nUSER 1000:100\nWORKDIR app\nRUN touch made-by-user\n' });
  await build({ context: dir, tags: ['parity/workdir-owner:1'] });
  assert.equal(await run('parity/workdir-owner:1', 'stat -c "%u:%g %n" /app /app/made-by-user'), '1000:100 /app\n1000:100 /app/made-by-user\n');
});

test('COPY with a wildcard that matches nothing succeeds when another source matched; `# escape=`` keeps backslashes in values', async () => {
  const dir = context('sources-escape', {
    'Dockerfile': [
      '# escape=`',
      'FROM test/busybox:latest',
      'COPY present.md nomatch* /d/',
      'ENV WINPATH=C:\\tools\\bin OTHER="D:\\data"',
      'LABEL path C:\\temp\\x',
      'RUN printf "%s\\n" "$WINPATH" `',
      '    "$OTHER" > /paths',
      '',
    ].join('\n'),
    'present.md': 'here\n',
  });
  await build({ context: dir, tags: ['parity/sources-escape:1'] });
  const c = (await t.engine.inspectImage('parity/sources-escape:1')).config;
  assert.ok(c.Env?.includes('WINPATH=C:\\tools\\bin') && c.Env?.includes('OTHER=D:\\data'), String(c.Env));
  assert.deepEqual(c.Labels, { path: 'C:\\temp\\x' });
  assert.equal(await run('parity/sources-escape:1', 'ls /d; cat /paths'), 'present.md\nC:\\tools\\bin\nD:\\data\n');
  await assert.rejects(build({ context: dir, dockerfileText: 'FROM test/busybox:latest\nCOPY nomatch* none* /d/\n' }), /COPY failed: no source files were specified/);
});

test('build options CI scripts pass: labels on the image, --add-host, RUN --network, secrets only while their RUN runs, the host platform', async () => {
  const secretFile = path.join(t.base, 'token.txt');
  fs.writeFileSync(secretFile, 's3cret\n');
  const dir = context('options', {
    'Dockerfile': [
      'FROM test/busybox:latest',
      'RUN --mount=type=secret,id=token cat /run/secrets/token > /seen-secret',
      'RUN --mount=type=secret,id=token,target=/etc/app/token cat /etc/app/token >> /seen-secret',
      'RUN --mount=type=secret,id=absent ls /run/secrets/absent 2>/dev/null || echo absent > /no-secret',
      'RUN grep -c "10.9.8.7.*db.internal" /etc/hosts > /hosts-count',
      'RUN --network=none ip -o link | grep -vc " lo:" > /links || true',
      '',
    ].join('\n'),
  });
  await build({
    context: dir, tags: ['parity/options:1'], labels: { 'org.opencontainers.image.revision': 'abc$1 "q"' },
    extraHosts: ['db.internal:10.9.8.7'], secrets: { token: secretFile }, platform: 'linux/amd64',
  });
  const image = await t.engine.inspectImage('parity/options:1');
  assert.deepEqual(image.config.Labels, { 'org.opencontainers.image.revision': 'abc$1 "q"' });
  assert.equal(await run('parity/options:1', 'cat /seen-secret /no-secret /hosts-count /links; ls -A /run/secrets /etc/app 2>&1 | grep -c "No such file"'),
    's3cret\ns3cret\nabsent\n1\n0\n2\n');
  const layers = await t.engine.images.content.getJson<{ history?: Array<{ created_by?: string }> }>(image.id);
  assert.ok(!JSON.stringify(layers).includes('s3cret'));
  await assert.rejects(build({ context: dir, platform: 'linux/s390x' }), /--platform linux\/s390x: strata builds only for this host's platform, linux\/amd64/);
});

test('the automatic platform ARGs: FROM --platform=$BUILDPLATFORM, and ARG TARGETARCH/TARGETPLATFORM in a stage get the host\'s', async () => {
  const dir = context('platform-args', {
    'Dockerfile': 'FROM --platform=$BUILDPLATFORM test/busybox:latest\nARG TARGETPLATFORM\nARG TARGETARCH\nARG TARGETOS\nRUN echo "$TARGETPLATFORM $TARGETOS $TARGETARCH" > /platform\n',
  });
  await build({ context: dir, tags: ['parity/platform-args:1'] });
  assert.equal(await run('parity/platform-args:1', 'cat /platform'), `linux/${goArch()} linux ${goArch()}\n`);
});
