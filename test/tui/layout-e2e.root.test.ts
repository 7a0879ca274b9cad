// The TUI at 80x24 in a real pty (issue 24, defects 6, 7, 8, 9, 12): errors readable whole and
// kept in a history, the tab bar and columns laid out by priority, widths that do not jump,
// times that stay fresh, and the build pane.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui } from './strata-tui.js';

const SIZE = { cols: 80, rows: 24 };

describe('the TUI at 80x24', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;

  before(async () => {
    t = await makeTestEngine();
  });
  afterEach(() => {
    screen?.kill();
    screen = undefined;
  });
  after(async () => {
    await t.cleanup();
  });

  it('an error is shown whole, kept beside its command, listed by ! and expires', async () => {
    const { record } = await t.engine.runContainer({ image: IMAGE, name: 'exited-3', cmd: ['sh', '-c', 'exit 3'] });
    await t.engine.waitContainer(record.id);
    screen = openStrataTui(t.root, t.runtimeDir, SIZE);
    const s = screen;
    await s.waitFor(/exited-3\s+test\/busy/, 20_000);
    await s.press('p');
    // the whole sentence, however it wraps
    const shown = await s.waitFor((text) => /is\s+not\s+running/.test(text.replace(/\n/g, ' ')));
    assert.match(shown.replace(/\s+/g, ' '), new RegExp(`Container ${record.id.slice(0, 20)}`));
    assert.match(shown, /✗ strata pause exited-3 {2}→ Container [0-9a-f]+/);
    await s.press('!');
    const history = await s.waitFor('Messages, newest first');
    // every character of it, across however many lines it takes
    assert.ok(history.replace(/[\s│]+/g, '').includes(`✗Container${record.id}isnotrunning`), history);
    await s.press('\x1b');
    await s.waitFor((text) => !text.includes('Messages, newest first'));
    // it expires: the key hints come back
    await s.waitFor((text) => /\? help/.test(text) && !/error:/.test(text), 40_000);
    await s.press('q');
    await s.exited;
  });
});
