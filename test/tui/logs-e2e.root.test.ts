// Issue 24, defect 14, in a real terminal: a container's coloured log is drawn in its colours
// (16, 256 and true colour, read back from the terminal's cells), which stop at the line's end;
// c strips them; a 12,600-character line is cut with a marker and scrolls sideways with l/→ and
// back with ←/h, h at the first column going back to the containers; / takes a regular
// expression with smart case and an invalid one says so in one line; R reads back a typed range.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IBufferCell } from '@xterm/headless';
import { IMAGE, makeTestEngine, type TestEngine } from '../support/test-engine.js';
import type { PtyScreen } from './pty-screen.js';
import { openStrataTui } from './strata-tui.js';

/** The terminal's cell at the first place `text` shows on screen. */
function cellAt(s: PtyScreen, text: string, offset = 0): IBufferCell {
  const buffer = s.term.buffer.active;
  for (let y = 0; y < s.term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    const x = line?.translateToString(false).indexOf(text) ?? -1;
    if (line && x >= 0) return line.getCell(x + offset)!;
  }
  throw new Error(`${text} is not on screen:\n${s.text()}`);
}

const isDefault = (cell: IBufferCell) => cell.isFgDefault() && !cell.isBold();

describe('the logs pane in a real terminal', () => {
  let t: TestEngine;
  let screen: PtyScreen | undefined;

  before(async () => {
    t = await makeTestEngine();
    const long = `i=0; while [ $i -lt 1400 ]; do printf 'col%05d.' $i; i=$((i+1)); done; echo`;
    const colours = String.raw`printf '\033[31mRED-LINE\033[0m plain\n\033[1;38;5;208mORANGE-256 left open\nafter-open\n\033[38;2;0;128;255mTRUE-BLUE\033[m\n'`;
    await t.engine.runContainer({ image: IMAGE, name: 'colours', cmd: ['sh', '-c', `${colours}; ${long}; echo last-line; sleep 600`] });
  });
  afterEach(() => {
    screen?.kill();
    screen = undefined;
  });
  after(async () => {
    await t.cleanup();
  });

  it('draws the log in its colours, reset at each line end; c strips them', async () => {
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 100, rows: 24, env: { COLORTERM: 'truecolor' } });
    const s = screen;
    await s.waitFor(/colours\s+test\/busybox/, 20_000);
    await s.press('\r');
    await s.waitFor('last-line');
    const red = cellAt(s, 'RED-LINE');
    assert.ok(red.isFgPalette() && red.getFgColor() === 1, 'RED-LINE in red (palette 1)');
    assert.ok(isDefault(cellAt(s, 'RED-LINE plain', 9)), 'the reset within the line is kept');
    const orange = cellAt(s, 'ORANGE-256');
    assert.ok(orange.isFgPalette() && orange.getFgColor() === 208 && orange.isBold(), '256-colour 208, bold');
    assert.ok(isDefault(cellAt(s, 'after-open')), 'a colour left open stops at its line end');
    const blue = cellAt(s, 'TRUE-BLUE');
    assert.ok(blue.isFgRGB() && blue.getFgColor() === 0x0080ff, `true colour 0080ff, got ${blue.getFgColor().toString(16)}`);
    const gutter = cellAt(s, 'after-open', -2);
    assert.ok(isDefault(gutter), 'the gutter is not coloured either');

    await s.press('c');
    await s.waitFor('colours off');
    await s.waitFor(() => cellAt(s, 'RED-LINE').isFgDefault());
    assert.ok(cellAt(s, 'TRUE-BLUE').isFgDefault());
    await s.press('c');
    await s.waitFor(() => !s.text().includes('colours off') && cellAt(s, 'RED-LINE').isFgPalette());
  });

  it('cuts a long line with a marker and scrolls it sideways; h at the first column goes back', async () => {
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 100, rows: 24 });
    const s = screen;
    await s.waitFor(/colours\s+test\/busybox/, 20_000);
    await s.press('\r');
    await s.waitFor('last-line');
    const longRow = () => s.text().split('\n').find((l) => /col0000[0-9]|«.*col\d{5}/.test(l)) ?? '';
    assert.match(longRow(), /^ {2}col00000\.col00001\..*»$/, 'cut at the right edge, marked');
    await s.press('l');
    await s.waitFor(/col 50/);
    assert.match(longRow(), /^ {2}«.*col0000[5-9].*»$/, 'half a screen on, marked at both edges');
    await s.press('\x1b[C', '\x1b[C');
    await s.waitFor(/col 148/);
    assert.match(longRow(), /col0001[5-8]/);
    await s.press('\x1b[D', 'h', 'h');
    await s.waitFor(() => /^ {2}col00000\./m.test(s.text()) && !s.text().includes('  col '));
    await s.press('h');
    await s.waitFor('NAME', 5000); // back on the containers
  });

  it('searches with a regular expression and smart case; an invalid one is one line', async () => {
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 100, rows: 24 });
    const s = screen;
    await s.waitFor(/colours\s+test\/busybox/, 20_000);
    await s.press('\r');
    await s.waitFor('last-line');
    await s.press('/', 'red-l.ne|true', '\r');
    await s.waitFor('/red-l.ne|true (2)');
    await s.press('/', '\x15', 'Red', '\r');
    await s.waitFor('/Red (0)');
    await s.press('/', '\x15', 'foo(', '\r');
    await s.waitFor('invalid pattern foo(: unterminated group');
    assert.match(s.text(), /\/Red \(0\)/, 'the search before stays');
  });

  it('reads back a typed range: a line count, a span, or says what it takes', async () => {
    screen = openStrataTui(t.root, t.runtimeDir, { cols: 100, rows: 24 });
    const s = screen;
    await s.waitFor(/colours\s+test\/busybox/, 20_000);
    await s.press('\r');
    await s.waitFor('last-line');
    await s.press('R');
    await s.waitFor('read back (500, 10m');
    await s.press('2', '\r');
    const two = await s.waitFor((text) => text.includes('line 2/2 of last 2') && text.includes('last-line'));
    assert.doesNotMatch(two, /RED-LINE/, 'only the last two lines read back');
    await s.press('R', '1h', '\r');
    // the whole log is younger than an hour: read back again, all of it
    await s.waitFor((text) => text.includes('of since 1h') && text.includes('RED-LINE'));
    await s.press('R', 'ten minutes', '\r');
    await s.waitFor('read back "ten minutes": expected a line count (500), a span (10m, 1h30m)');
  });
});
