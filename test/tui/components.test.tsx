import './force-color.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import { WindowedTable, type Column } from '../../source/tui/components/WindowedTable.js';
import { StatusBar } from '../../source/tui/components/StatusBar.js';
import { HelpOverlay } from '../../source/tui/components/HelpOverlay.js';
import { LogLines, sourceWidthFor } from '../../source/tui/components/LogLines.js';
import { ProgressBars } from '../../source/tui/components/ProgressBars.js';
import { historyLines } from '../../source/tui/model/history-lines.js';
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
  const text = plain(render(<StatusBar hints={hints} width={200} theme={MONO_THEME} />).lastFrame());
  for (const part of ['s start', 'x stop', 'p pause/unpause', 'd remove', 'e shell', '/ filter', '? help', 'q quit']) assert.ok(text.includes(part), part);
  const logs = plain(render(<StatusBar hints={statusHints(DEFAULT_KEYMAP, 'logs')} width={200} theme={MONO_THEME} />).lastFrame());
  assert.match(logs, /f follow/);
  assert.match(logs, /& show only matching lines/);
  const error = plain(render(<StatusBar hints={hints} message={{ text: 'No such container: x', kind: 'error', at: 0 }} width={200} theme={COLOR_THEME} />).lastFrame());
  assert.match(error, /error: No such container: x/);
});

test('the help overlay lists every key of the pane, its list keys and the global ones', () => {
  for (const pane of ['containers', 'images', 'logs', 'stats'] as const) {
    const sections = helpSections(DEFAULT_KEYMAP, pane);
    // However many pages it takes at 80×24.
    let text = '';
    for (let page = 0; page < 10; page++) text += plain(render(<HelpOverlay sections={sections} width={80} height={20} page={page} />).lastFrame());
    for (const binding of sections.flatMap((s) => s.bindings)) assert.ok(text.includes(binding.help), `${pane}: ${binding.help}`);
  }
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

test('a merged log marks each line with its container; the names get one column', () => {
  const buffer = new LogBuffer(10);
  buffer.push({ stream: 'stdout', time: '2024-05-01T10:20:30.456Z', line: 'from web\n' }, 'web');
  buffer.push({ stream: 'stderr', time: '2024-05-01T10:20:31.000Z', line: 'from db\n' }, 'database-primary-1');
  const width = sourceWidthFor(['web', 'database-primary-1']);
  const text = plain(render(<LogLines lines={[...buffer]} timestamps={false} wrap={false} width={60} height={4} theme={MONO_THEME} sourceWidth={width} />).lastFrame());
  assert.match(text, /^ {2}web {14}from web$/m);
  assert.match(text, /^E database-primar… from db$/m);
  assert.equal(sourceWidthFor(['only']), 0);
});

test('pull progress: one bar per layer, filled by bytes done', () => {
  const layers = [
    { id: 'aaaaaaaaaaaa', action: 'Downloading', current: 512 * 1024, total: 1024 * 1024 },
    { id: 'bbbbbbbbbbbb', action: 'Pull complete', current: 2048, total: 2048 },
  ];
  const text = plain(render(<ProgressBars title="pulling x:1" layers={layers} width={80} />).lastFrame());
  assert.match(text, /^pulling x:1$/m);
  assert.match(text, /aaaaaaaaaaaa Downloading\s+█{10}░{10} 512KiB\/1\.0MiB/);
  assert.match(text, /bbbbbbbbbbbb Pull complete\s+█{20} 2\.0KiB\/2\.0KiB/);
});

test('history lines: docker history columns, ids cut to 12', () => {
  const lines = historyLines([
    { id: 'sha256:' + 'c'.repeat(64), created: new Date(Date.now() - 90_000).toISOString(), createdBy: '/bin/sh -c #(nop) CMD ["sh"]', size: 0, comment: '', emptyLayer: true, tags: [] },
    { id: '<missing>', created: '', createdBy: 'import', size: 2_000_000, comment: '', emptyLayer: false, tags: [] },
  ], 80, Date.now());
  assert.match(lines[0], /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE$/);
  assert.match(lines[1], /^c{12} About a minute ago\s+\/bin\/sh -c #\(nop\) CMD \["sh"\]\s+0B$/);
  assert.match(lines[2], /^<missing>\s+-\s+import\s+1\.9MiB$/);
});

test('the help overlay pages when the keys do not fit the height', () => {
  const sections = helpSections(DEFAULT_KEYMAP, 'containers');
  const first = plain(render(<HelpOverlay sections={sections} width={80} height={12} />).lastFrame());
  assert.match(first, /page 1\/\d/);
  const second = plain(render(<HelpOverlay sections={sections} width={80} height={12} page={1} />).lastFrame());
  assert.match(second, /page 2\/\d/);
  assert.notEqual(first, second);
});
