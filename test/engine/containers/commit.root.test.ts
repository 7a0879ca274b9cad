import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestEngine, runToEnd, IMAGE, type TestEngine } from '../../support/test-engine.js';
import type { OciImageConfig } from '../../../source/engine/images/oci.js';

let t: TestEngine;
before(async () => { t = await makeTestEngine(); });
after(async () => { await t.cleanup(); });

/** Runs cmd in a container of image, waits, and leaves the container for commit/diff. */
async function ran(image: string, script: string): Promise<string> {
  const { record } = await t.engine.runContainer({ image, cmd: ['sh', '-c', script], network: 'none' });
  assert.equal(await t.engine.waitContainer(record.id), 0);
  return record.id;
}

async function output(image: string, script: string): Promise<string> {
  const r = await runToEnd(t.engine, ['sh', '-c', script], { image });
  assert.equal(r.exitCode, 0, r.stderr);
  return r.stdout;
}

test('commit keeps files, links, modes and owners; deletions and opaque directories carry into the next run', async () => {
  const base = await ran(IMAGE, [
    'mkdir -p /data/sub /data/old && echo a > /data/a && echo b > /data/sub/b && echo o > /data/old/o && echo keep > /keep',
    'ln /keep /data/hard && ln -s ../keep /data/soft && chmod 4750 /data/a && chown 12:34 /data/sub/b && mkfifo /data/fifo',
  ].join(' && '));
  await t.engine.commitContainer(base, 'commit/base:1');
  assert.equal(await output('commit/base:1', 'cat /data/a /data/sub/b /data/soft; stat -c "%a %u:%g" /data/a /data/sub/b; stat -c %h /keep; [ "$(stat -c %i /keep)" = "$(stat -c %i /data/hard)" ] && echo same-inode; test -p /data/fifo && echo fifo'),
    'a\nb\nkeep\n4750 0:0\n644 12:34\n2\nsame-inode\nfifo\n');

  const child = await ran('commit/base:1', 'rm /data/a && rm -rf /data/sub && rm -rf /data/old && mkdir /data/old && echo fresh > /data/old/fresh && echo new > /new && echo changed > /keep');
  assert.deepEqual((await t.engine.diffContainer(child)).map((c) => `${c.kind} ${c.path}`), [
    'C /data', 'D /data/a', 'C /data/old', 'A /data/old/fresh', 'D /data/sub', 'C /keep', 'A /new',
  ]);
  const image = await t.engine.commitContainer(child, 'commit/child:1', { message: 'prune data', author: 'Tester <t@example.com>', changes: ['ENV X=1', 'CMD ["cat", "/new"]'] });
  assert.equal(image.diffIds.length, 3);
  assert.equal(await output('commit/child:1', 'ls -A /data | tr "\\n" " "; ls -A /data/old; cat /keep /new'), 'fifo hard old soft fresh\nchanged\nnew\n');

  // The stopped container now runs on its commit: same files, same diff, and its writes stay its own.
  assert.deepEqual((await t.engine.diffContainer(child)).map((c) => `${c.kind} ${c.path}`), [
    'C /data', 'D /data/a', 'C /data/old', 'A /data/old/fresh', 'D /data/sub', 'C /keep', 'A /new',
  ]);
  await t.engine.startContainer(child);
  assert.equal(await t.engine.waitContainer(child), 1, 'its command fails the second time: /data/a is still gone');
  await t.engine.removeContainer(child, true);
  const writer = await ran('commit/child:1', 'echo overwritten >> /new && echo more > /more');
  assert.deepEqual((await t.engine.diffContainer(writer)).map((c) => `${c.kind} ${c.path}`), ['A /more', 'C /new']);
  const second = await t.engine.commitContainer(writer, 'commit/child:2');
  assert.equal(second.diffIds.length, 4);
  assert.equal(await output('commit/child:1', 'cat /new; test -e /more || echo no-more'), 'new\nno-more\n');
  assert.equal(await output('commit/child:2', 'cat /new /more'), 'new\noverwritten\nmore\n');
  await t.engine.removeContainer(writer, true);
  assert.equal(await output('commit/child:2', 'cat /new'), 'new\noverwritten\n');

  assert.ok(image.config.Env?.includes('X=1'));
  assert.deepEqual(image.config.Cmd, ['cat', '/new']);
  const config = await t.engine.images.content.getJson<OciImageConfig>(image.id);
  const last = config.history!.at(-1)!;
  assert.equal(last.comment, 'prune data');
  assert.equal(last.author, 'Tester <t@example.com>');
  assert.match(last.created_by!, /^sh -c rm \/data\/a/);
  assert.equal(last.empty_layer, undefined);
  assert.equal(config.author, 'Tester <t@example.com>');
  assert.equal(config.history!.length, 3);
  const r = await runToEnd(t.engine, [], { image: 'commit/child:1' });
  assert.equal(r.stdout, 'new\n');
});

test('a running container is frozen for the commit and runs on afterwards', async () => {
  const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sh', '-c', 'echo live > /live; while :; do sleep 0.1; done'] });
  for (let i = 0; i < 50 && (await t.engine.diffContainer(record.id)).every((c) => c.path !== '/live'); i++) await new Promise((r) => setTimeout(r, 20));
  const seen: string[] = [];
  const off = t.engine.on((e) => { if (e.type === 'container' && e.id === record.id) seen.push(e.action); });
  await t.engine.commitContainer(record.id, 'commit/live:1');
  off();
  assert.deepEqual(seen, ['pause', 'unpause']);
  assert.equal((await t.engine.inspectContainer(record.id)).state.status, 'running');
  assert.equal(await output('commit/live:1', 'cat /live'), 'live\n');
  await t.engine.removeContainer(record.id, true);
});

test('diff and commit name what was wrong', async () => {
  await assert.rejects(t.engine.diffContainer('no-such-container'), /No such container/i);
  const id = await ran(IMAGE, 'true');
  await assert.rejects(t.engine.commitContainer(id, 'Bad:Ref:x'), /invalid reference|invalid/i);
});
