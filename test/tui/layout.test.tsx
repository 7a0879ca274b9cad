// Layout at 80 columns and fresh times (issue 24, defects 8, 9, 12): columns by priority with
// widths from the whole list, the tab bar never overwritten by the path, docker's words for times.
import './force-color.js';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { cleanup, render } from 'ink-testing-library';
import { columnWidths, WindowedTable, type Column } from '../../source/tui/components/WindowedTable.js';
import { TabBar } from '../../source/tui/components/TabBar.js';
import { layoutColumns } from '../../source/tui/model/column-layout.js';
import { shortenPath, tabBarLayout } from '../../source/tui/model/tab-bar.js';
import { containerRows, statusTextAt } from '../../source/tui/model/container-rows.js';
import { sourceRows } from '../../source/tui/model/layer-sources.js';
import { PANE_LIST } from '../../source/tui/keymap.js';
import { COLOR_THEME } from '../../source/tui/theme.js';
import type { ContainerSummary } from '../../source/engine/api.js';
import { plain } from './render-helpers.js';

after(() => cleanup());

const NOW = Date.parse('2024-05-01T12:00:00Z');
function container(name: string, extra: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: Buffer.from(name).toString('hex').padEnd(64, '0'), name, image: 'registry.example.com/team/web-frontend:2024.05', imageId: 'sha256:' + 'a'.repeat(64),
    command: 'sh', created: new Date(NOW - 600_000).toISOString(), status: 'running', statusText: 'Up Less than a second', exitCode: 0, pid: 1,
    startedAt: new Date(NOW - 4 * 60_000).toISOString(), finishedAt: '0001-01-01T00:00:00Z', ...extra,
  };
}

type Row = { name: string; image: string; state: string; status: string; ports: string };
const COLUMNS: Column<Row>[] = [
  { title: 'NAME', width: 'flex', min: 12, priority: 0, value: (r) => r.name },
  { title: 'IMAGE', width: 'flex', min: 12, priority: 1, value: (r) => r.image },
  { title: 'STATE', width: 10, min: 7, priority: 6, value: (r) => r.state },
  { title: 'STATUS', width: 24, min: 12, priority: 3, value: (r) => r.status },
  { title: 'CPU %', width: 7, min: 6, priority: 4, align: 'right', value: () => '12.5%' },
  { title: 'MEM', width: 8, min: 7, priority: 5, align: 'right', value: () => '1.2MiB' },
  { title: 'PIDS', width: 5, min: 4, priority: 7, align: 'right', value: () => '3' },
  { title: 'PORTS', width: 'flex', min: 12, priority: 2, optional: true, value: (r) => r.ports },
];
const row = (name: string, ports = ''): Row => ({ name, image: 'test/busybox:latest', state: 'running', status: 'Up 4 minutes', ports });

test('at 80 columns NAME and IMAGE get what they need, STATUS shrinks, and nothing passes the edge', () => {
  const rows = [row('web-frontend-1'), row('db')];
  // with ports, at 100 columns they show whole (the pane's default size in tests)
  const withPorts = [...rows, row('served', '0.0.0.0:39361->8080/tcp')];
  const ports = columnWidths(COLUMNS, withPorts, 100, 'NAME')[7];
  assert.ok(ports >= '0.0.0.0:39361->8080/tcp'.length, `${ports}`);
  const widths = columnWidths(COLUMNS, rows, 80, 'NAME');
  const [name, image, , status] = widths;
  assert.ok(name >= 'web-frontend-1'.length, `${widths}`);
  assert.ok(image >= 'test/busybox:latest'.length, `${widths}`);
  assert.ok(status >= 12, `STATUS keeps a readable width: ${widths}`);
  const shown = widths.filter((w) => w > 0);
  assert.ok(shown.reduce((a, b) => a + b, 0) + shown.length - 1 <= 80, `${widths}`);
  const frame = plain(render(<WindowedTable columns={COLUMNS} rows={rows} rowKey={(r) => r.name} cursor={0} start={0} height={5} width={80} sortColumn="NAME" />).lastFrame());
  for (const line of frame.split('\n')) {
    assert.ok(line.length <= 80, line);
    assert.doesNotMatch(line, /…\s*$/, `no cut column at the edge: ${line}`);
  }
  assert.match(frame, /web-frontend-1\s+test\/busybox:latest\s+running\s+Up 4 minutes/);
});

test('a narrow table drops the least important columns first, keeping NAME and IMAGE', () => {
  const widths = columnWidths(COLUMNS, [row('a-long-container-name')], 40);
  assert.ok(widths[0] > 0 && widths[1] > 0, `${widths}`);
  assert.equal(widths[6], 0, 'PIDS goes before');
  assert.ok(widths.reduce((a, b) => a + b, 0) + widths.filter((w) => w > 0).length - 1 <= 40);
  assert.deepEqual(layoutColumns([{ min: 30, ideal: 50, priority: 0, grow: true }], 20), [20]);
});

test('widths come from the whole list: PORTS does not come and go with the rows on screen', () => {
  const all = [row('a'), row('b'), row('c', '0.0.0.0:8080->80/tcp')];
  const onScreen = all.slice(0, 2);
  const draw = (rows: Row[]) => plain(render(<WindowedTable columns={COLUMNS} rows={rows} measureRows={all} rowKey={(r) => r.name} cursor={0} start={0} height={2} width={120} />).lastFrame()).split('\n')[0];
  assert.equal(draw(onScreen), draw(all));
  assert.match(draw(onScreen), /PORTS/);
  // and without any port in the list the column is left out
  assert.doesNotMatch(plain(render(<WindowedTable columns={COLUMNS} rows={onScreen} rowKey={(r) => r.name} cursor={0} start={0} height={2} width={120} />).lastFrame()), /PORTS/);
});

test('the tab bar keeps every pane and shortens the store path to fit 80 columns', () => {
  const titles = PANE_LIST.map((p) => p.title);
  const layout = tabBarLayout(titles, 0, 80, '/home/someone/.local/share/strata-test-a1KzgE/root', '/home/someone');
  const line = `strata ${layout.labels.join('')}`;
  assert.ok(line.length + (layout.path ? layout.path.length + 1 : 0) <= 80, `${line} ${layout.path}`);
  titles.forEach((_, i) => assert.ok(layout.labels[i].includes(String(i + 1)), layout.labels[i]));
  assert.match(layout.labels[0], /Containers/);
  assert.equal(shortenPath('/home/someone/x', 40, '/home/someone'), '~/x');
  const cut = shortenPath('/tmp/strata-test-a1KzgE/some/deep/folder/root', 20);
  assert.equal(cut.length, 20);
  assert.match(cut, /^\/tmp.*….*folder\/root$/);
  // Eight panes need 90 columns: at 80 the shown one keeps its title, the others their digit and a
  // short title; at 120 every title is whole beside the path.
  const narrow = plain(render(<TabBar panes={PANE_LIST} active="images" width={80} right={`/tmp/${'x'.repeat(100)}/root`} />).lastFrame());
  assert.ok(narrow.length <= 80, narrow);
  assert.match(narrow, / 2 Images /);
  PANE_LIST.forEach((p, i) => assert.ok(narrow.includes(` ${i + 1} ${p.title.slice(0, 4)}`), `${p.title} in ${narrow}`));
  const wide = plain(render(<TabBar panes={PANE_LIST} active="images" width={120} right={`/tmp/${'x'.repeat(100)}/root`} />).lastFrame());
  for (const p of PANE_LIST) assert.ok(wide.includes(p.title), `${p.title} in ${wide}`);
  assert.ok(wide.length <= 120, wide);
  assert.match(wide, /…x+\/root$/);
});

test('STATUS is docker ps\'s words at the time drawn, not the listing\'s', () => {
  const up = container('web');
  assert.equal(statusTextAt(up, NOW), 'Up 4 minutes');
  assert.equal(statusTextAt(up, NOW + 60 * 60_000), 'Up About an hour');
  const exited = container('job', { status: 'exited', exitCode: 3, statusText: 'Exited (3) Less than a second ago', finishedAt: new Date(NOW - 2 * 60_000).toISOString() });
  assert.equal(statusTextAt(exited, NOW), 'Exited (3) 2 minutes ago');
  assert.equal(containerRows([up], new Map(), NOW)[0].statusText, 'Up 4 minutes');
  // the layer explorer's picker too
  const picked = sourceRows([], [up], undefined, NOW + 10 * 60_000).find((r) => r.kind === 'container')!;
  assert.match(picked.detail, /Up 14 minutes$/);
});

test('a container whose monitor died says so in STATE and STATUS (strata ps\'s words), in a colour of its own', () => {
  const orphan = container('orphan', { monitorGone: true, statusText: 'Up 3 minutes (monitor gone)' });
  const [row] = containerRows([orphan], new Map(), NOW);
  assert.equal(row.state, 'no monitor');
  assert.equal(row.statusText, 'Up 4 minutes (monitor gone)');
  assert.equal(row.tone, 'monitor-gone');
  assert.ok(COLOR_THEME.state[row.tone] && !Object.entries(COLOR_THEME.state).some(([k, c]) => k !== row.tone && c === COLOR_THEME.state[row.tone]), 'a colour no other state has');
  const [plainRow] = containerRows([container('web')], new Map(), NOW);
  assert.deepEqual([plainRow.state, plainRow.tone, plainRow.statusText], ['running', 'running', 'Up 4 minutes']);
});
