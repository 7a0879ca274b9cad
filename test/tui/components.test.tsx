import './force-color.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import { WindowedTable, type Column } from '../../source/tui/components/WindowedTable.js';
import { StatusBar } from '../../source/tui/components/StatusBar.js';
import { HelpOverlay } from '../../source/tui/components/HelpOverlay.js';
import { Sparkline } from '../../source/tui/components/Sparkline.js';
import { LogLines } from '../../source/tui/components/LogLines.js';
import { DEFAULT_KEYMAP, helpSections, statusHints } from '../../source/tui/keymap.js';
import { COLOR_THEME, MONO_THEME } from '../../source/tui/theme.js';
import { LogBuffer } from '../../source/tui/model/log-buffer.js';
import { textMatcher } from '../../source/tui/model/text-search.js';
import { plain, selectedRow } from './render-helpers.js';

const rows = Array.from({ length: 500 }, (_, i) => ({ id: `c${i}`, name: `container-${String(i).padStart(3, '0')}` }));
const columns: Column<(typeof rows)[number]>[] = [
  { title: 'NAME', width: 'flex', value: (r) => r.name },
  { title: 'ID', width: 6, value: (r) => r.id },
];

test('the windowed table renders only the rows in its window, with the cursor row in inverse', () => {
  const { lastFrame } = render(<WindowedTable columns={columns} rows={rows} rowKey={(r) => r.id} cursor={250} start={240} height={20} width={60} />);
  const text = plain(lastFrame());
  const lines = text.split('\n');
  assert.equal(lines.length, 21); // header + 20 rows
  assert.match(lines[0], /^NAME/);
  assert.match(lines[1], /container-240/);
  assert.match(lines[20], /container-259/);
  assert.ok(!text.includes('container-239') && !text.includes('container-260'));
  assert.match(selectedRow(lastFrame()!)!, /container-250/);
});

test('the windowed table cuts long cells with an ellipsis and says when it is empty', () => {
  const long = [{ id: 'x', name: 'n'.repeat(100) }];
  const cut = plain(render(<WindowedTable columns={columns} rows={long} rowKey={(r) => r.id} cursor={0} start={0} height={3} width={30} />).lastFrame());
  assert.match(cut, /n…/);
  const empty = plain(render(<WindowedTable columns={columns} rows={[]} rowKey={(r) => r.id} cursor={0} start={0} height={3} width={30} empty="no containers" />).lastFrame());
  assert.match(empty, /no containers/);
});

test('the status bar shows the keys that matter in the pane, or the last message', () => {
  const hints = statusHints(DEFAULT_KEYMAP, 'containers');
  const text = plain(render(<StatusBar hints={hints} theme={MONO_THEME} />).lastFrame());
  for (const part of ['s start', 'x stop', 'p pause/unpause', 'd remove', 'e shell', '/ filter', '? help', 'q quit']) assert.ok(text.includes(part), part);
  const logs = plain(render(<StatusBar hints={statusHints(DEFAULT_KEYMAP, 'logs')} theme={MONO_THEME} />).lastFrame());
  assert.match(logs, /f follow/);
  assert.match(logs, /& show only matching lines/);
  const error = plain(render(<StatusBar hints={hints} message={{ text: 'No such container: x', kind: 'error' }} theme={COLOR_THEME} />).lastFrame());
  assert.match(error, /error: No such container: x/);
});

test('the help overlay lists every key of the pane, its list keys and the global ones', () => {
  for (const pane of ['containers', 'images', 'logs', 'stats'] as const) {
    const sections = helpSections(DEFAULT_KEYMAP, pane);
    const { lastFrame } = render(<HelpOverlay sections={sections} width={100} />);
    const text = plain(lastFrame());
    for (const binding of sections.flatMap((s) => s.bindings)) assert.ok(text.includes(binding.help), `${pane}: ${binding.help}`);
  }
});

test('sparklines render in a fixed width', () => {
  assert.equal(plain(render(<Sparkline values={[0, 25, 50, 100]} width={6} max={100} />).lastFrame()), '  ▁▃▅█');
});

test('log lines mark stderr, show timestamps on request and highlight every match', () => {
  const buffer = new LogBuffer(10);
  buffer.push({ stream: 'stdout', time: '2024-05-01T10:20:30.456Z', line: 'hello foo and foo\n' });
  buffer.push({ stream: 'stderr', time: '2024-05-01T10:20:31.000Z', line: 'bad thing\n' });
  const lines = [...buffer];
  const { lastFrame } = render(<LogLines lines={lines} search={textMatcher('foo')} timestamps wrap={false} width={80} height={5} theme={MONO_THEME} />);
  const text = plain(lastFrame());
  assert.match(text, /  10:20:30\.456 hello foo and foo/);
  assert.match(text, /E 10:20:31\.000 bad thing/);
  assert.equal((lastFrame()!.match(/\x1b\[7mfoo/g) ?? []).length, 2);
});
