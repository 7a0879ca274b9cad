// `strata ps` lists from a cached index (list-index.ts) while containers/ is unchanged: what
// it prints must follow every change another strata process makes, at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listContainersReadOnly } from '../../../source/engine/container-list.js';
import { ListIndex } from '../../../source/engine/containers/list-index.js';
import { IMAGE, makeTestEngine, type TestEngine } from '../../support/test-engine.js';

describe('ps listing index', () => {
  let t: TestEngine;
  before(async () => { t = await makeTestEngine(); });
  after(async () => { await t.cleanup(); });

  const names = () => (listContainersReadOnly({ root: t.root, runtimeDir: t.runtimeDir }, true) ?? []).map((c) => c.name).sort();
  const indexFile = () => path.join(t.root, 'ps-index.json');
  // past the index's racy window, so that the next listing trusts the whole index
  const settle = () => sleep(150);

  it('follows creates, renames, starts and removals made after it was written', async () => {
    const a = await t.engine.createContainer({ image: IMAGE, name: 'idx-a', cmd: ['true'] });
    await t.engine.createContainer({ image: IMAGE, name: 'idx-b', cmd: ['true'] });
    await settle();
    assert.deepEqual(names(), ['idx-a', 'idx-b']);
    assert.match(fs.readFileSync(indexFile(), 'utf8'), /"dirKey"/, 'a settled store gets a whole-store index');
    assert.deepEqual(names(), ['idx-a', 'idx-b']);

    await t.engine.renameContainer('idx-a', 'idx-renamed');
    assert.deepEqual(names(), ['idx-b', 'idx-renamed']);
    await settle();
    assert.deepEqual(names(), ['idx-b', 'idx-renamed']);

    await t.engine.startContainer('idx-b');
    await t.engine.waitContainer('idx-b');
    await settle();
    const listed = listContainersReadOnly({ root: t.root, runtimeDir: t.runtimeDir }, true);
    // an exit the record does not know yet sends ps to the engine; once recorded, it is listed
    const b = (listed ?? (await t.engine.listContainers(true))).find((c) => c.name === 'idx-b');
    assert.equal(b?.status, 'exited');
    await settle();
    assert.equal(listContainersReadOnly({ root: t.root, runtimeDir: t.runtimeDir }, true)?.find((c) => c.name === 'idx-b')?.status, 'exited');

    await t.engine.removeContainer(a.id, true);
    assert.deepEqual(names(), ['idx-b']);
    await t.engine.removeContainer('idx-b', true);
    assert.deepEqual(names(), []);
  });

  it('is only a cache: a torn or foreign index is rebuilt from the records', async () => {
    await t.engine.createContainer({ image: IMAGE, name: 'idx-c', cmd: ['true'] });
    await settle();
    fs.writeFileSync(indexFile(), '{"version":3,"root":');
    assert.deepEqual(names(), ['idx-c']);
    const index = JSON.parse(fs.readFileSync(indexFile(), 'utf8'));
    for (const e of Object.values(index.entries) as Array<{ name: string }>) e.name = 'forged';
    index.root = '/elsewhere';
    fs.writeFileSync(indexFile(), JSON.stringify(index));
    assert.deepEqual(names(), ['idx-c']);
    await t.engine.removeContainer('idx-c', true);
  });

  it('does not list as created a container whose start was cut short before its record was written', async () => {
    const c = await t.engine.createContainer({ image: IMAGE, name: 'idx-cut', cmd: ['sleep', '30'] });
    const recordFile = path.join(t.root, 'containers', c.id, 'container.json');
    const asCreated = fs.readFileSync(recordFile, 'utf8');
    await t.engine.startContainer(c.id);
    // what a start killed between spawning the shim and recording it leaves: the record of the
    // created container, the shim running, its pid file in the runtime dir
    const temp = path.join(t.root, 'containers', `.${c.id}.json.tmp-test`);
    fs.writeFileSync(temp, asCreated);
    fs.renameSync(temp, recordFile);
    await settle();
    // the index as a `ps` of that moment writes it (it keeps no boot id for a created container)
    const index = new ListIndex(path.join(t.root, 'ps-index.json'), t.root, fs.statSync(path.join(t.root, 'containers')));
    for (const id of fs.readdirSync(path.join(t.root, 'containers')).filter((n) => /^[0-9a-f]{64}$/.test(n))) index.get(id, path.join(t.root, 'containers', id, 'container.json'));
    index.save();
    assert.equal(listContainersReadOnly({ root: t.root, runtimeDir: t.runtimeDir }, true), undefined, 'the read-only listing hands this one to the engine');
    assert.equal((await t.engine.listContainers(true)).find((x) => x.name === 'idx-cut')?.status, 'running');
    await t.engine.removeContainer(c.id, true);
  });

  it('reports a record temp file left in containers/ by an interrupted write', async () => {
    const stray = path.join(t.root, 'containers', `.${'0'.repeat(64)}.json.tmp-999999-abcd`);
    fs.writeFileSync(stray, '{');
    const problems = await t.engine.check();
    assert.ok(problems.some((p) => p.kind === 'temp-file' && p.path === stray), JSON.stringify(problems));
    fs.rmSync(stray);
  });
});
