// --build-context name=DIR as a FROM: the directory's files are the stage's root filesystem (its
// .dockerignore honoured, its links kept as links), and the same files give the same image, so
// the steps after it are cache hits.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildHelpers } from '../../support/build-helpers.js';
import { makeTestEngine, type TestEngine } from '../../support/test-engine.js';

let t: TestEngine;
before(async () => { t = await makeTestEngine(); });
after(async () => { await t.cleanup(); });
const { context, build, run } = buildHelpers(() => t);

test('FROM a directory build context: its files as the stage\'s root, ignored ones left out, rebuilt from the cache', async () => {
  const rootfs = context('rootfs', { 'app/config.txt': 'from the rootfs context\n', 'drop.txt': 'ignored\n', '.dockerignore': 'drop.txt\n' });
  fs.symlinkSync('/etc/hostname', path.join(rootfs, 'app/host-link'));
  const dir = context('from-dir', {
    'Dockerfile': 'FROM rootfs AS files\nFROM test/busybox:latest\nCOPY --from=files /app /app\nRUN cat /app/config.txt > /seen\n',
  });
  const first = await build({ context: dir, tags: ['named/from-dir:1'], buildContexts: { rootfs } });
  assert.equal(await run('named/from-dir:1', 'cat /seen; readlink /app/host-link'), 'from the rootfs context\n/etc/hostname\n');
  const again = await build({ context: dir, buildContexts: { rootfs } });
  assert.equal(again.result.imageId, first.result.imageId);
  assert.equal(again.result.cached, 2);
  await assert.rejects(build({ context: dir, dockerfileText: 'FROM rootfs\nFROM test/busybox:latest\nCOPY --from=0 /drop.txt /d\n', buildContexts: { rootfs } }), /COPY failed: \/drop.txt: not found/);
});
