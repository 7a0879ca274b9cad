// The layer explorer's engine API on real images in a real store: per-layer changes, merged
// trees, opaque directories, waste worked out by hand, comparisons, contents, and a running
// container's live upper layer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FileNode } from '../../../../source/engine/api.js';
import { EngineError } from '../../../../source/engine/api.js';
import { Engine } from '../../../../source/engine/engine.js';
import { execCollect, IMAGE, makeTestEngine, type TestEngine } from '../../../support/test-engine.js';
import { importLayered, threeLayerSpecs } from './layered-image.js';

/** path → change letter of every node below the root, in display order. */
function changes(tree: FileNode): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (n: FileNode) => {
    for (const c of n.children ?? []) {
      out[c.path] = c.change;
      walk(c);
    }
  };
  walk(tree);
  return out;
}

function find(tree: FileNode, p: string): FileNode | undefined {
  let node: FileNode | undefined = tree;
  for (const part of p.split('/').filter(Boolean)) node = node?.children?.find((c) => c.name === part);
  return node;
}

describe('layer trees', () => {
  let t: TestEngine;
  const target = { image: 'test/three:1' };

  before(async () => {
    t = await makeTestEngine();
    await importLayered(t.engine, 'test/three:1', threeLayerSpecs());
    await importLayered(t.engine, 'test/two:1', threeLayerSpecs().slice(0, 3));
  });
  after(async () => { await t.cleanup(); });

  it('lists each layer with its instruction (empty_layer history skipped), size and counts', async () => {
    const a = await t.engine.analyseLayers(target);
    assert.deepEqual(a.layers.map((l) => l.instruction), ['ADD base.tar /', 'RUN change', 'RUN opaque']);
    assert.deepEqual(a.layers.map((l) => l.size), [100 + 10 + 1000 + 50 + 30 + 20 + 200, 150 + 40, 35 + 5 + 120 + 70]);
    assert.deepEqual(a.layers.map((l) => [l.added, l.modified, l.removed]), [[12, 0, 0], [1, 1, 5], [2, 3, 1]]);
    assert.equal(a.layers[0].id, (await t.engine.inspectImage('test/three:1')).chainIds[0]);
  });

  it('shows what one layer adds, modifies and removes', async () => {
    const second = await t.engine.layerTree(target, 1, 'layer');
    assert.deepEqual(changes(second), {
      '/bin': 'unchanged', '/bin/tool': 'removed',
      '/data': 'removed', '/data/big': 'removed', '/data/sub': 'removed', '/data/sub/x': 'removed',
      '/etc': 'unchanged', '/etc/config': 'modified', '/etc/new': 'added',
    });
    assert.equal(find(second, '/data')!.size, 1050, 'a removed directory shows what it held');
    assert.equal(find(second, '/etc')!.size, 190);
  });

  it('an opaque directory hides the lower copies except what the layer writes back', async () => {
    const third = await t.engine.layerTree(target, 2, 'layer');
    assert.equal(find(third, '/opq')!.change, 'modified');
    assert.equal(find(third, '/opq/old1')!.change, 'modified');
    assert.equal(find(third, '/opq/fresh')!.change, 'added');
    assert.equal(find(third, '/opq/old2')!.change, 'removed');
    assert.equal(find(third, '/bin/tool')!.change, 'added', 'written back after an earlier layer removed it');
  });

  it('gives the merged tree at any layer', async () => {
    const merged1 = await t.engine.layerTree(target, 1, 'merged');
    const c = changes(merged1);
    assert.equal(c['/etc/keep'], 'unchanged');
    assert.equal(c['/etc/config'], 'modified');
    assert.equal(find(merged1, '/etc/config')!.size, 150);
    assert.equal(c['/data'], 'removed');
    assert.equal(c['/opq/old2'], 'unchanged');
    const merged2 = await t.engine.layerTree(target, 2, 'merged');
    assert.equal(find(merged2, '/data'), undefined, 'removed two layers ago: gone');
    assert.equal(find(merged2, '/etc/config')!.size, 120);
    assert.equal(find(merged2, '/etc/config')!.layer, 2);
    assert.equal(merged2.size, 10 + 40 + 120 + 35 + 5 + 70);
    assert.equal(await t.engine.layerTree(target, -1, 'merged'), merged2, '-1 is the top layer');
  });

  it('measures waste and efficiency as worked out by hand', async () => {
    const a = await t.engine.analyseLayers(target);
    assert.equal(a.totalBytes, 1830);
    // config 370-100, data/big 1000, data/sub/x 50, old1 65-30, old2 20, tool 270-70
    assert.equal(a.wastedBytes, 270 + 1000 + 50 + 35 + 20 + 200);
    assert.ok(Math.abs(a.efficiency - 255 / 1830) < 1e-9, `efficiency ${a.efficiency}`);
    assert.deepEqual(a.wasted.map((w) => [w.path, w.wasted, w.saveable, w.removedIn]), [
      ['/data/big', 1000, 1000, 1],
      ['/etc/config', 270, 250, undefined],
      ['/bin/tool', 200, 200, undefined],
      ['/data/sub/x', 50, 50, 1],
      ['/opq/old1', 35, 30, undefined],
      ['/opq/old2', 20, 20, 2],
    ]);
    assert.deepEqual(a.wasted[1].copies, [
      { layer: 0, instruction: 'ADD base.tar /', size: 100 },
      { layer: 1, instruction: 'RUN change', size: 150 },
      { layer: 2, instruction: 'RUN opaque', size: 120 },
    ]);
  });

  it('compares two images', async () => {
    const cmp = await t.engine.compareImages('test/two:1', 'test/three:1');
    const c = changes(cmp.tree);
    assert.equal(c['/opq/fresh'], 'added');
    assert.equal(c['/bin/tool'], 'added');
    assert.equal(c['/etc/config'], 'modified');
    assert.equal(c['/opq/old1'], 'modified');
    assert.equal(c['/opq/old2'], 'removed');
    assert.equal(c['/etc/keep'], 'unchanged');
    assert.deepEqual([cmp.added, cmp.modified, cmp.removed, cmp.addedBytes, cmp.removedBytes], [2, 2, 1, 75, 20]);
    const back = await t.engine.compareImages('test/three:1', 'test/two:1');
    assert.deepEqual([back.added, back.removed], [1, 2]);
  });

  it('reads and saves a file as a given layer holds it', async () => {
    assert.equal((await t.engine.readLayerFile(target, 0, '/etc/config')).data.toString(), 'a'.repeat(100));
    const at1 = await t.engine.readLayerFile(target, 1, '/etc/config');
    assert.deepEqual([at1.data.toString(), at1.layer, at1.binary], ['c'.repeat(150), 1, false]);
    const removed = await t.engine.readLayerFile(target, 1, '/data/big');
    assert.equal(removed.layer, 0, 'a removed file previews as the copy the layer removed');
    const tool = await t.engine.readLayerFile(target, 0, '/bin/tool', 16);
    assert.deepEqual([tool.binary, tool.truncated, tool.size, tool.data.length], [true, true, 200, 16]);
    const out = path.join(t.base, 'saved-config');
    assert.equal(await t.engine.saveLayerFile(target, 2, '/etc/config', out), out);
    assert.equal(fs.readFileSync(out, 'utf8'), 'C'.repeat(120));
    // An existing file is replaced only when asked (the TUI asks first).
    await assert.rejects(t.engine.saveLayerFile(target, 0, '/etc/config', out), (e: EngineError) => e.code === 'conflict' && e.message === `${out} already exists`);
    assert.equal(fs.readFileSync(out, 'utf8'), 'C'.repeat(120), 'left as it was');
    assert.equal(await t.engine.saveLayerFile(target, 0, '/etc/config', out, { overwrite: true }), out);
    assert.equal(fs.readFileSync(out, 'utf8'), 'a'.repeat(100));
    assert.deepEqual(fs.readdirSync(t.base).filter((n) => n.includes('saved-config')), ['saved-config'], 'no temporary file left');
    await assert.rejects(t.engine.readLayerFile(target, 2, '/../../etc/shadow'), (e: EngineError) => e.code === 'not-found');
    await assert.rejects(t.engine.readLayerFile(target, 5, '/etc/config'), /layer 5 does not exist: test\/three:1 has 3 layers/);
    await assert.rejects(t.engine.readLayerFile(target, 0, '/etc'), /is a directory/);
  });

  it('knows device files, fifos and their numbers, also from the cache a next engine reads', async () => {
    await importLayered(t.engine, 'test/devices:1', [{ instruction: 'ADD dev.tar /', entries: [
      { name: 'dev/', type: 'directory' },
      { name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 },
      { name: 'dev/loop0', type: 'block-device', mode: 0o660, devmajor: 7, devminor: 0 },
      { name: 'dev/initctl', type: 'fifo', mode: 0o600 },
    ] }]);
    const kinds = (tree: FileNode) => ['null', 'loop0', 'initctl'].map((n) => { const f = find(tree, `/dev/${n}`)!; return [f.kind, f.device?.major, f.device?.minor]; });
    const expected = [['char', 1, 3], ['block', 7, 0], ['fifo', undefined, undefined]];
    assert.deepEqual(kinds(await t.engine.layerTree({ image: 'test/devices:1' }, 0, 'merged')), expected);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the cache is written after the answer
    const fresh = new Engine({ root: t.root, runtimeDir: t.runtimeDir });
    assert.deepEqual(kinds(await fresh.layerTree({ image: 'test/devices:1' }, 0, 'merged')), expected);
  });

  it('caches each layer on disk by chainID for the next engine', async () => {
    const image = await t.engine.inspectImage('test/three:1');
    const cache = path.join(t.root, 'layers', image.chainIds[1].slice('sha256:'.length), 'tree.json');
    await new Promise((resolve) => setTimeout(resolve, 500)); // the cache is written after the answer
    assert.ok(fs.existsSync(cache));
    const fresh = new Engine({ root: t.root, runtimeDir: t.runtimeDir });
    const a = await fresh.analyseLayers(target);
    assert.equal(a.wastedBytes, 1575);
    await fresh.close();
    // A damaged cache file is rebuilt from the layer, not trusted.
    fs.writeFileSync(cache, '{"version":1,"entries":[["etc",42]]}');
    const repaired = new Engine({ root: t.root, runtimeDir: t.runtimeDir });
    assert.equal((await repaired.analyseLayers(target)).wastedBytes, 1575);
    await new Promise((resolve) => setTimeout(resolve, 500)); // the cache is written after the answer
    assert.match(fs.readFileSync(cache, 'utf8'), /"etc\/config",0,150/);
    await repaired.close();
  });

  it("shows a running container's upper layer live on top of its image", async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, cmd: ['sh', '-c', 'echo hello > /hello.txt; rm /etc/os-release; echo x >> /etc/profile; rm -rf /home/user; mkdir /home/user; echo n > /home/user/note; sleep 60'] });
    try {
      const ctr = { container: record.id };
      let a = await t.engine.analyseLayers(ctr);
      for (let i = 0; i < 50 && !(await t.engine.layerTree(ctr, a.layers.length - 1, 'layer').then((tr) => find(tr, '/home/user/note'))); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      a = await t.engine.analyseLayers(ctr);
      const top = a.layers[a.layers.length - 1];
      assert.equal(top.live, true);
      assert.equal(a.layers.length, 2);
      const upper = await t.engine.layerTree(ctr, top.index, 'layer');
      assert.equal(find(upper, '/hello.txt')?.change, 'added');
      assert.equal(find(upper, '/etc/os-release')?.change, 'removed');
      assert.equal(find(upper, '/etc/profile')?.change, 'modified');
      assert.equal(find(upper, '/home/user')?.change, 'modified', 'recreated: an opaque directory');
      assert.equal(find(upper, '/home/user/note')?.change, 'added');
      assert.equal((await t.engine.readLayerFile(ctr, top.index, '/hello.txt')).data.toString(), 'hello\n');

      const wrote = await execCollect(t.engine, record.id, ['sh', '-c', 'echo later > /later.txt']);
      assert.equal(wrote.exitCode, 0);
      const again = await t.engine.layerTree(ctr, top.index, 'merged');
      assert.equal(find(again, '/later.txt')?.change, 'added', 'the upper layer is read live, not cached');
    } finally {
      await t.engine.removeContainer(record.id, true);
    }
  });
});
