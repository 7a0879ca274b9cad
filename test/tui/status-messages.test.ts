// The status bar's messages (issue 24, defect 6): an error is readable whole at 80 columns,
// messages expire after a reading time, the history keeps every one in full, and the command
// log keeps the engine's reason beside the failed command. Also the key hints that fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandLogText, messageHistoryLines, messageLifetimeMs, STATUS_MAX_LINES, statusLines, wrapText } from '../../source/tui/model/messages.js';
import { fitHints } from '../../source/tui/model/key-hints.js';
import { DEFAULT_KEYMAP, PANE_LIST, statusHints } from '../../source/tui/keymap.js';

const ERROR = 'Container 2caf21f0a1b2c3d4e5f60718293a4b5c6d7e8f9011223344556677889900aabb is not running  (strata pause exited-3)';

test('an error is wrapped whole at 80 columns: its meaning is on screen', () => {
  const lines = statusLines({ text: ERROR, kind: 'error' }, 80);
  assert.ok(lines.length > 1 && lines.length <= STATUS_MAX_LINES, lines.join('\n'));
  for (const line of lines) assert.ok(line.length <= 80, `${line.length}: ${line}`);
  assert.equal(lines.join(' ').replace(/\s+/g, ' '), `error: ${ERROR}`.replace(/\s+/g, ' '));
  assert.match(lines.join(' '), /is not running/);
});

test('a message longer than the status bar allows points to the history', () => {
  const lines = statusLines({ text: 'word '.repeat(100), kind: 'error' }, 80);
  assert.equal(lines.length, STATUS_MAX_LINES);
  assert.match(lines[STATUS_MAX_LINES - 1], /! shows it all\)$/);
  assert.ok(lines.every((l) => l.length <= 80));
});

test('wrapping cuts a word wider than the line and keeps every character', () => {
  const text = `a ${'x'.repeat(25)} b`;
  const lines = wrapText(text, 10);
  assert.ok(lines.every((l) => l.length <= 10), lines.join('|'));
  assert.equal(lines.join('').replace(/ /g, ''), text.replace(/ /g, ''));
});

test('messages expire: short ones soon, errors later, none never', () => {
  const short = messageLifetimeMs({ text: 'tagged', kind: 'ok' });
  const error = messageLifetimeMs({ text: ERROR, kind: 'error' });
  assert.ok(short >= 3000 && short <= 6000, `${short}`);
  assert.ok(error > short && error <= 30_000, `${error}`);
  assert.ok(Number.isFinite(messageLifetimeMs({ text: 'x'.repeat(10_000), kind: 'error' })));
});

test('the history shows every message whole, newest first, wrapped to the width', () => {
  const lines = messageHistoryLines([
    { text: 'first', kind: 'ok', at: Date.parse('2024-01-01T10:00:00') },
    { text: 'short', kind: 'error', at: Date.parse('2024-01-01T10:00:05'), detail: `${ERROR}\nsecond line of the error` },
  ], 60);
  assert.match(lines[0], /^10:00:05 ✗ /);
  assert.ok(lines.every((l) => l.length <= 60), lines.join('\n'));
  const text = lines.join(' ').replace(/\s+/g, ' ');
  assert.ok(text.includes('is not running'));
  assert.ok(text.includes('second line of the error'));
  assert.match(lines[lines.length - 1], /^10:00:00 ✓ first$/);
});

test('the command log keeps the reason beside a failed command', () => {
  assert.equal(commandLogText({ at: 0, command: 'strata pause exited-3', outcome: 'error', error: 'Container 2caf21f0 is not running' }), 'strata pause exited-3  → Container 2caf21f0 is not running');
  assert.equal(commandLogText({ at: 0, command: 'strata start a', outcome: 'ok' }), 'strata start a');
});

test('every pane\'s key hints fit 80 columns, with ? help kept', () => {
  for (const { id } of PANE_LIST) {
    const hints = fitHints(statusHints(DEFAULT_KEYMAP, id), 80);
    const text = hints.map((h) => `${h.keys} ${h.help}`).join('  ');
    assert.ok(text.length <= 80, `${id}: ${text.length} ${text}`);
    assert.ok(hints.some((h) => h.keys === '?'), `${id}: ${text}`);
  }
  // wide enough: as written
  const all = statusHints(DEFAULT_KEYMAP, 'containers');
  assert.deepEqual(fitHints(all, 500), all);
  // very narrow: still ? help
  assert.deepEqual(fitHints(all, 8).map((h) => h.keys), ['?']);
});
