// The shell dock's parts without Ink: keys as a terminal sends them, an emulator's screen as
// styled rows, and a real shell on a pseudo-terminal typed into and read back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import xterm from '@xterm/headless';
import { keyBytes } from '../../source/tui/terminal/key-bytes.js';
import { KeyParser } from '../../source/tui/terminal/key-parser.js';
import { ShellSession } from '../../source/tui/terminal/shell-session.js';
import { visibleRows, type TerminalRow } from '../../source/tui/model/terminal-rows.js';
import { until } from '../support/until.js';

const NORMAL = { applicationCursorKeys: false, bracketedPaste: false };
const rowText = (row: TerminalRow) => row.map((s) => s.text).join('');
const write = (term: xterm.Terminal, data: string) => new Promise<void>((resolve) => term.write(data, resolve));

describe('keys typed into a shell', () => {
  it('gives back the bytes the key parser read, for every kind of key', () => {
    const sent = ['a', 'Z', '\r', '\t', '\x7f', '\x03', '\x04', '\x1b[A', '\x1b[1;5C', '\x1b[5~', '\x1b[3~', '\x1bOP', '\x1b[15~', '\x1bb', '\x1b[Z', 'é', '-', ' '];
    for (const bytes of sent) {
      const parser = new KeyParser();
      const presses = parser.push(bytes, 0);
      assert.equal(presses.length, 1, `one key for ${JSON.stringify(bytes)}`);
      assert.equal(keyBytes(presses[0], NORMAL), bytes, `round trip of ${JSON.stringify(bytes)} (${presses[0].name})`);
    }
  });

  it('sends cursor keys in application mode when the program asked for it, and brackets a paste it asked for', () => {
    assert.equal(keyBytes({ name: 'up', input: '' }, { applicationCursorKeys: true, bracketedPaste: false }), '\x1bOA');
    assert.equal(keyBytes({ name: 'paste', input: 'ls\n' }, { applicationCursorKeys: false, bracketedPaste: true }), '\x1b[200~ls\n\x1b[201~');
    assert.equal(keyBytes({ name: 'paste', input: 'ls\n' }, NORMAL), 'ls\n');
  });
});

describe('an emulator screen as rows', () => {
  it('keeps colours, bold and the cursor, and merges cells of one style', async () => {
    const term = new xterm.Terminal({ cols: 30, rows: 3, allowProposedApi: true });
    await write(term, '\x1b[31mred\x1b[0m plain \x1b[1;38;5;208mbold\x1b[0m\r\n\x1b[38;2;1;2;3mrgb\x1b[0m$ ');
    const rows = visibleRows(term, true);
    assert.deepEqual(rows[0], [{ text: 'red', fg: 'red' }, { text: ' plain ' }, { text: 'bold', fg: 'ansi256(208)', bold: true }]);
    assert.deepEqual(rows[1], [{ text: 'rgb', fg: '#010203' }, { text: '$ ' }, { text: ' ', inverse: true }]);
    assert.deepEqual(rows[2], []);
    assert.equal(rowText(visibleRows(term, false)[1]), 'rgb$', 'no cursor drawn when the shell does not have the keys');
    term.dispose();
  });
});

describe('a shell on a pseudo-terminal', () => {
  it('runs what is typed and draws its output', async () => {
    let changes = 0;
    let exitCode: number | undefined;
    const shell = new ShellSession({ file: '/bin/sh', args: [], cols: 40, rows: 8, onOutput: () => changes++, onExit: (code) => (exitCode = code) });
    try {
      for (const ch of 'echo $((6*7))') shell.type({ name: ch === ' ' ? 'space' : ch, input: ch });
      shell.type({ name: 'enter', input: '' });
      await until('the shell printed 42', 10_000, async () => (visibleRows(shell.term, true).some((row) => rowText(row) === '42') ? true : undefined));
      assert.ok(changes > 0);
      shell.resize(60, 10);
      assert.equal(shell.term.cols, 60);
      shell.type({ name: 'ctrl-d', input: '' });
      await until('the shell exited on Ctrl-D', 10_000, async () => exitCode);
      assert.equal(exitCode, 0);
      assert.equal(shell.running, false);
    } finally {
      shell.close();
    }
  });
});
