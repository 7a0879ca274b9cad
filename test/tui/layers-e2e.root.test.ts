// `strata` in a real pseudo-terminal: open the layer explorer on a three-layer image, step
// into the second layer and see the file it added and the one it removed, then quit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { importLayered, threeLayerSpecs } from '../engine/layers/trees/layered-image.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui } from './strata-tui.js';

describe('the layer explorer end to end', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;

  before(async () => {
    t = await makeTestEngine();
    await importLayered(t.engine, 'test/three:1', threeLayerSpecs());
  });
  after(async () => {
    screen?.kill();
    await t.cleanup();
  });

  it('steps into the second layer to see what it added and removed', async () => {
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
    const s = screen;
    await s.waitFor('no containers', 20_000);
    await s.press('5');
    const picker = await s.waitFor('test/three:1');
    // Images are listed newest first: the cursor starts on the one imported last.
    const rows = picker.split('\n');
    assert.match(rows[rows.findIndex((l) => /KIND\s+NAME/.test(l)) + 1], /image\s+test\/three:1\s+3 layers/);
    await s.press('\r');
    await s.waitFor(/ 2 +230B +RUN opaque/);
    await s.waitFor(/A\s+\S+\s+\S+\s+▾?\s*fresh/);
    await s.press('f', 'k', 'f'); // f: focus on the layer list, up a layer, back to the tree
    const second = await s.waitFor('layer 1 changes only');
    assert.match(second, / 1 +190B +RUN change/);
    const tree = await s.waitFor(/A -rw-r--r-- +40B +new/);
    assert.match(tree, /D -rw-r--r-- +1000B +big/);
    assert.match(tree, /D drwxr-xr-x +1\.0KiB +▾ data/);
    assert.match(tree, /M -rw-r--r-- +150B +config/);
    await s.press('q');
    const code = await Promise.race([s.exited, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('did not quit')), 5000))]);
    assert.equal(code, 0);
  });
});
