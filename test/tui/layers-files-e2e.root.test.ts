// The layer explorer's file tree in a real terminal: sorted biggest first, filtered by a path
// pattern as dive does (Esc clears it), and a file saved over an existing one only once the
// user confirms, the command log showing what was done.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { makeTestEngine, type TestEngine } from '../support/test-engine.js';
import { importLayered, threeLayerSpecs } from '../engine/layers/trees/layered-image.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui } from './strata-tui.js';

describe('the layer explorer file tree end to end', () => {
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

  it('sorts by size, filters by path, and asks before saving over a file', async () => {
    const existing = path.join(t.base, 'existing-config');
    fs.writeFileSync(existing, 'mine\n');
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 120, rows: 32 });
    const s = screen;
    await s.waitFor('no containers', 20_000);
    await s.press('5');
    await s.waitFor('test/three:1');
    await s.press('\r');
    await s.waitFor(/A\s+\S+\s+\S+\s+▾?\s*fresh/);
    const order = (text: string) => ['bin', 'etc', 'opq'].map((d) => text.search(new RegExp(`▾ ${d}`))).join(',');
    const byName = order(s.text());
    await s.press('o');
    const bySize = await s.waitFor('biggest first');
    const [bin, etc, opq] = order(bySize).split(',').map(Number);
    assert.ok(etc < bin && bin < opq, `etc (120B) before bin (70B) before opq (40B):\n${bySize}`);
    assert.notEqual(order(bySize), byName);

    await s.press('/', 'conf', '\r');
    const filtered = await s.waitFor('·  /conf');
    assert.match(filtered, /M -rw-r--r-- +120B +config/);
    assert.doesNotMatch(filtered, /fresh|70B +tool/, 'only matching paths and their parents');

    await s.press('G', 's');
    await s.waitFor('save /etc/config');
    await s.press('\x15', existing, '\r');
    await s.waitFor(`${existing} exists. Overwrite it?`);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'mine\n', 'nothing written before the answer');
    await s.press('y');
    await s.waitFor(`saved /etc/config`);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'C'.repeat(120));
    // the command log (shown from the start)
    await s.waitFor(`strata cp "$id":/etc/config ${existing}`);

    await s.press('\x1b');
    await s.waitFor((text) => /fresh/.test(text) && !text.includes('·  /conf'));
    await s.press('q');
    assert.equal(await s.exited, 0);
  });
});
