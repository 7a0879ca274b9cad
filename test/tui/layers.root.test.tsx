// The layer explorer pane in the real app on a real engine: a three-layer image built in the
// test, picked, its layers and trees, folds, filters, views, previews, saving, waste, a
// comparison, NO_COLOR, and a running container's live upper layer.
import './force-color.js';
import { after, afterEach, before, describe, it } from 'node:test';
import { cleanup } from 'ink-testing-library';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { importLayered, threeLayerSpecs } from '../engine/layers/trees/layered-image.js';
import { KEYS, plain, renderApp, tick } from './render-helpers.js';

const LEFT = '\x1b[D';

/** The tree row (right column) naming `name`, as `letter name`, or undefined when not shown. */
function treeRow(screen: string, name: string): string | undefined {
  for (const line of screen.split('\n')) {
    const m = new RegExp(`([AMD ]) (?:[-dl?][-rwxsStT]{9} )?\\s*\\S+\\s+[▸▾ ]*(?:[▸▾] )?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\s|$)`).exec(line.slice(line.indexOf('│') + 1));
    if (m) return `${m[1]} ${name}`;
  }
  return undefined;
}

/** The app on the layers pane, waiting up to 15 s for a screen: this machine is shared and busy. */
function openExplorer(engine: Parameters<typeof renderApp>[0], options: Parameters<typeof renderApp>[1] = {}) {
  const app = renderApp(engine, { initialPane: 'layers', ...options });
  const waitFor = app.waitFor;
  app.waitFor = (test, timeoutMs = 15_000) => waitFor(test, timeoutMs);
  return app;
}

async function pick(app: ReturnType<typeof renderApp>, name: string): Promise<void> {
  await app.waitFor(name);
  for (let i = 0; i < 20; i++) {
    const selected = app.raw().split('\n').slice(1).find((l) => l.includes('\x1b[7m'));
    if (selected && plain(selected).includes(name)) return;
    await app.type(KEYS.down);
  }
  throw new Error(`cannot select ${name}:\n${app.screen()}`);
}

describe('the layer explorer', () => {
  let t: TestEngine;

  before(async () => {
    t = await makeTestEngine();
    await importLayered(t.engine, 'test/three:1', threeLayerSpecs());
    await importLayered(t.engine, 'test/two:1', threeLayerSpecs().slice(0, 3));
  });
  afterEach(() => cleanup());
  after(() => t.cleanup());

  it('Tab is the next pane here too; f moves the focus between layers and file tree', async () => {
    const app = openExplorer(t.engine);
    await app.waitFor('test/three:1');
    await app.type(KEYS.enter); // whichever image is first: the keys are the same in all
    await app.waitFor('efficiency');
    await app.type('?');
    await app.waitFor(/\bf\s+layers ⇄ file tree/);
    await app.type(KEYS.esc, KEYS.tab);
    await app.waitFor('build an image');
    await app.type(KEYS.shiftTab);
    await app.waitFor('efficiency');
  });

  it('opens an image: layers with instructions, the top layer marked A/M/D, efficiency', async () => {
    const app = openExplorer(t.engine);
    await pick(app, 'test/three:1');
    await app.type(KEYS.enter);
    // The tree comes first, the layers and waste figures right after.
    const screen = await app.waitFor((s) => treeRow(s, 'opq') !== undefined && s.includes('efficiency'));
    assert.match(screen, / 0 +1\.4KiB +ADD base\.tar \//);
    assert.match(screen, / 1 +190B +RUN change/);
    assert.match(screen, / 2 +230B +RUN opaque/);
    assert.match(screen, /efficiency 13\.9%\s+wasted 1\.5KiB of 1\.8KiB/);
    assert.equal(treeRow(screen, 'opq'), 'M opq');
    assert.equal(treeRow(screen, 'fresh'), 'A fresh');
    assert.equal(treeRow(screen, 'old2'), 'D old2');
    assert.equal(treeRow(screen, 'keep'), undefined, 'this layer only: an untouched file is not listed');
  });

  it('steps to another layer, switches to the merged view, filters and folds', async () => {
    const app = openExplorer(t.engine);
    await pick(app, 'test/three:1');
    await app.type(KEYS.enter);
    await app.waitFor((s) => s.includes('fresh') && s.includes('efficiency'));
    await app.type('f', KEYS.up, 'f');
    let screen = await app.waitFor((s) => treeRow(s, 'new') !== undefined);
    assert.equal(treeRow(screen, 'new'), 'A new');
    assert.equal(treeRow(screen, 'config'), 'M config');
    assert.equal(treeRow(screen, 'data'), 'D data');
    assert.equal(treeRow(screen, 'big'), 'D big');
    assert.equal(treeRow(screen, 'tool'), 'D tool');
    assert.match(screen, /layer 1 changes only/);

    await app.type('v');
    screen = await app.waitFor((s) => s.includes('merged up to layer 1') && treeRow(s, 'keep') !== undefined);
    assert.equal(treeRow(screen, 'keep'), '  keep');
    assert.equal(treeRow(screen, 'old2'), '  old2');

    await app.type('r');
    screen = await app.waitFor((s) => treeRow(s, 'big') === undefined);
    assert.equal(treeRow(screen, 'data'), undefined, 'removed entries hidden');
    assert.match(screen, /show AM-U/);
    await app.type('u');
    screen = await app.waitFor((s) => treeRow(s, 'keep') === undefined);
    assert.equal(treeRow(screen, 'new'), 'A new');
    assert.equal(treeRow(screen, 'opq'), undefined, 'a directory with nothing shown inside goes too');
    await app.type('r', 'u');
    await app.waitFor((s) => treeRow(s, 'keep') !== undefined);

    // The cursor starts on the first row, bin/: fold it, unfold it, fold everything.
    await app.type(KEYS.down);
    assert.ok(treeRow(app.screen(), 'tool'));
    await app.type(KEYS.up, ' ');
    screen = await app.waitFor((s) => treeRow(s, 'tool') === undefined);
    assert.match(screen, /▸ bin/);
    await app.type(' ');
    await app.waitFor((s) => treeRow(s, 'tool') !== undefined);
    // h on a file goes to its directory, h again folds it; l unfolds.
    await app.type(KEYS.down, 'h', 'h');
    await app.waitFor((s) => treeRow(s, 'tool') === undefined);
    await app.type('l');
    await app.waitFor((s) => treeRow(s, 'tool') !== undefined);
    await app.type('z');
    screen = await app.waitFor((s) => treeRow(s, 'keep') === undefined && treeRow(s, 'config') === undefined);
    assert.match(screen, /▸ etc/);
    await app.type('z');
    await app.waitFor((s) => treeRow(s, 'keep') !== undefined);
  });

  it('previews a file at the layer (text and hex) and saves it to the host', async () => {
    const app = openExplorer(t.engine);
    await pick(app, 'test/three:1');
    await app.type(KEYS.enter);
    await app.waitFor((s) => s.includes('fresh') && s.includes('efficiency'));
    await app.type('f', KEYS.up, KEYS.up, 'f'); // layer 0: bin/ tool first
    await app.waitFor((s) => /layer 0 changes only/.test(s) && treeRow(s, 'big') === 'A big');
    await app.type(KEYS.down, KEYS.enter);
    let screen = await app.waitFor('/bin/tool at layer 0');
    assert.match(screen, /00000000 +7f 45 4c 46 00 00 00 00 +\|\.ELF\.\.\.\.\|/);
    await app.type(KEYS.esc);
    await app.waitFor((s) => !s.includes('/bin/tool at layer 0'));
    await app.type('f', KEYS.down, 'f'); // layer 1: bin/ tool(D) data/… etc/ config
    await app.waitFor((s) => /layer 1 changes only/.test(s) && treeRow(s, 'new') === 'A new');
    // The cursor stays on /bin/tool (removed in this layer); six rows down is /etc/config.
    for (let i = 0; i < 6; i++) await app.type(KEYS.down);
    await app.type(KEYS.enter);
    screen = await app.waitFor('/etc/config at layer 1');
    assert.ok(screen.includes('c'.repeat(60)));

    const out = path.join(t.base, 'config-from-layer-1');
    await app.type('s');
    await app.waitFor('save /etc/config (layer 1) to:');
    // Clear the suggested path (ctrl-u) and type ours.
    await app.type('\x15', out, KEYS.enter);
    await app.waitFor('saved /etc/config from layer 1');
    assert.equal(fs.readFileSync(out, 'utf8'), 'c'.repeat(150));
  });

  it('lists the biggest wasted files with their layers', async () => {
    const app = openExplorer(t.engine);
    await pick(app, 'test/three:1');
    await app.type(KEYS.enter);
    await app.waitFor((s) => s.includes('fresh') && s.includes('efficiency'));
    await app.type('w');
    const screen = await app.waitFor('WASTED SAVEABLE');
    assert.match(screen, /1000B +1000B +\/data\/big +\(L0 1000B; removed in L1\)/);
    assert.match(screen, /270B +250B +\/etc\/config +\(L0 100B, L1 150B, L2 120B\)/);
    assert.match(screen, /L0 1000B: ADD base\.tar \//);
  });

  it('compares two images', async () => {
    const app = openExplorer(t.engine);
    await pick(app, 'test/two:1');
    await app.type('c');
    await app.waitFor('Compare test/two:1 with');
    await pick(app, 'test/three:1');
    await app.type(KEYS.enter);
    const screen = await app.waitFor('added 2 (75B)');
    assert.match(screen, /modified 2 +removed 1 \(20B\)/);
    assert.equal(treeRow(screen, 'fresh'), 'A fresh');
    assert.equal(treeRow(screen, 'old2'), 'D old2');
    assert.equal(treeRow(screen, 'config'), 'M config');
    // The last row, removed by the other image, previews as the base image holds it.
    await app.type('G', KEYS.enter);
    const preview = await app.waitFor('/opq/old2 at layer 0');
    assert.ok(preview.includes('p'.repeat(20)));
  });

  it('works without colour: letters, no colour codes (NO_COLOR)', async () => {
    const app = openExplorer(t.engine, { env: { NO_COLOR: '1' } });
    await pick(app, 'test/three:1');
    await app.type(KEYS.enter);
    await app.waitFor('fresh');
    const raw = app.raw();
    assert.equal(treeRow(plain(raw), 'fresh'), 'A fresh');
    assert.doesNotMatch(raw, /\x1b\[3[1-7]m/, 'no foreground colours');
  });

  it("follows a running container's live upper layer", async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'writer', cmd: ['sh', '-c', 'echo one > /first.txt; while [ ! -e /go ]; do sleep 0.1; done; echo two > /second.txt; sleep 60'] });
    try {
      const app = openExplorer(t.engine, { refreshMs: 250 });
      await pick(app, 'writer');
      await app.type(KEYS.enter);
      let screen = await app.waitFor((s) => treeRow(s, 'first.txt') !== undefined && s.includes('(live)'));
      assert.match(screen, / 1 +\S+ +container writer \(live\) ●/);
      assert.equal(treeRow(screen, 'first.txt'), 'A first.txt');
      fs.writeFileSync(path.join(t.root, 'containers', record.id, 'merged', 'go'), '');
      screen = await app.waitFor((s) => treeRow(s, 'second.txt') !== undefined, 8000);
      assert.equal(treeRow(screen, 'second.txt'), 'A second.txt');
    } finally {
      await t.engine.removeContainer(record.id, true);
      await tick();
    }
  });
});
