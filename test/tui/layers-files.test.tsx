// Issue 24, defect 15, and the tree's filter and sort, as data and as drawn: device files, fifos
// and sockets as ls -l shows them; folded directories summarising what changed inside; a small
// file's line count; the command log's line for a save; dive's path filter and biggest first.
import './force-color.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import type { FileChange, FileNode } from '../../source/engine/api.js';
import { deviceNumbers } from '../../source/engine/layers/trees/scan.js';
import { FilePreview } from '../../source/tui/components/FilePreview.js';
import { FileTreeView } from '../../source/tui/components/FileTreeView.js';
import { SHOW_ALL, changesInside, modeString, rowChange, shownNodes, treeRows } from '../../source/tui/model/file-tree-rows.js';
import { textLines } from '../../source/tui/model/hex-view.js';
import { saveCommand } from '../../source/tui/model/layer-save.js';
import { patternMatcher } from '../../source/tui/model/pattern-search.js';
import { MONO_THEME } from '../../source/tui/theme.js';
import { plain } from './render-helpers.js';

function dir(path: string, children: FileNode[], change: FileChange = 'unchanged'): FileNode {
  return { name: path.split('/').pop()!, path, kind: 'dir', size: children.reduce((s, c) => s + c.size, 0), mode: 0o755, change, layer: 0, children };
}
function file(path: string, size: number, change: FileChange, extra: Partial<FileNode> = {}): FileNode {
  return { name: path.split('/').pop()!, path, kind: 'file', size, mode: 0o644, change, layer: 1, ...extra };
}

const tree = dir('/', [
  dir('/dev', [
    file('/dev/null', 0, 'unchanged', { kind: 'char', mode: 0o666, device: { major: 1, minor: 3 } }),
    file('/dev/loop0', 0, 'unchanged', { kind: 'block', mode: 0o660, device: { major: 7, minor: 0 } }),
    file('/dev/initctl', 0, 'unchanged', { kind: 'fifo', mode: 0o600 }),
    file('/dev/log', 0, 'unchanged', { kind: 'socket', mode: 0o666 }),
  ]),
  dir('/etc', [file('/etc/hosts', 10, 'unchanged'), file('/etc/new', 20, 'added'), file('/etc/passwd', 300, 'modified')]),
  dir('/var', [file('/var/gone', 30, 'removed'), dir('/var/lib', [file('/var/lib/big', 5000, 'added')])]),
  file('/tiny', 1, 'unchanged'),
]);

const rowsText = (rows: ReturnType<typeof treeRows>, width = 70) => {
  const { lastFrame, unmount } = render(<FileTreeView rows={rows} cursor={-1} start={0} height={rows.length} width={width} focused theme={MONO_THEME} />);
  const text = plain(lastFrame());
  unmount();
  return text.split('\n');
};

describe('special files in the tree', () => {
  it('show their type letter, and devices their major, minor, as ls -l', () => {
    const lines = rowsText(treeRows(tree, new Set(), shownNodes(tree, SHOW_ALL)));
    assert.ok(lines.some((l) => /^ {2}crw-rw-rw- +1, 3 +null$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^ {2}brw-rw---- +7, 0 +loop0$/.test(l)));
    assert.ok(lines.some((l) => /^ {2}prw------- +initctl$/.test(l)));
    assert.ok(lines.some((l) => /^ {2}srw-rw-rw- +log$/.test(l)));
    assert.equal(modeString('file', 0o4755), '-rwsr-xr-x');
    assert.equal(modeString('dir', 0o1777), 'drwxrwxrwt');
    assert.equal(modeString('file', 0o2644), '-rw-r-Sr--');
  });

  it("device numbers come from a dev_t as glibc's major() and minor() read it", () => {
    assert.deepEqual(deviceNumbers(0x0103), { major: 1, minor: 3 });
    assert.deepEqual(deviceNumbers(0x10300), { major: 259, minor: 0 }, 'nvme0n1: major above 255');
    assert.deepEqual(deviceNumbers(0x1234567), { major: 0x345, minor: 0x1267 }, 'minor above 255');
  });
});

describe('folded directories', () => {
  it('carry a marker and counts of what changed inside', () => {
    const rows = treeRows(tree, new Set(['/etc', '/var', '/dev']), shownNodes(tree, SHOW_ALL));
    const byName = Object.fromEntries(rows.map((r) => [r.node.name, r]));
    assert.deepEqual(changesInside(byName.var.node, shownNodes(tree, SHOW_ALL)), { added: 1, modified: 0, removed: 1 });
    assert.equal(rowChange(byName.etc), 'modified', 'added and modified inside: M');
    assert.equal(rowChange(byName.dev), 'unchanged');
    const lines = rowsText(rows);
    assert.match(lines.find((l) => l.includes('etc'))!, /^M .*▸ etc {2}\(A1 M1\)$/);
    assert.match(lines.find((l) => l.includes('var'))!, /^M .*▸ var {2}\(A1 D1\)$/);
    assert.match(lines.find((l) => l.includes('dev'))!, /^ {2}.*▸ dev$/);
    const onlyRemoved = treeRows(tree, new Set(['/var']), shownNodes(tree, { added: false, modified: false, removed: true, unchanged: false }));
    assert.match(rowsText(onlyRemoved)[0], /^D .*▸ var {2}\(D1\)$/, 'hidden changes are not counted');
  });
});

describe("the tree's path filter and sort", () => {
  it('shows only matching paths and their parents, with every directory open', () => {
    const shown = shownNodes(tree, SHOW_ALL, patternMatcher('pass|big').matcher);
    assert.deepEqual(treeRows(tree, new Set(), shown).map((r) => r.node.path), ['/etc', '/etc/passwd', '/var', '/var/lib', '/var/lib/big']);
    const etc = shownNodes(tree, SHOW_ALL, patternMatcher('ETC').matcher);
    assert.equal(treeRows(tree, new Set(), etc).length, 0, 'a capital makes it exact');
  });

  it('sorts siblings biggest first', () => {
    const rows = treeRows(tree, new Set(['/dev', '/etc']), shownNodes(tree, SHOW_ALL), 'size');
    assert.deepEqual(rows.filter((r) => r.depth === 0).map((r) => r.node.name), ['var', 'etc', 'tiny', 'dev']);
    assert.deepEqual(rows.filter((r) => r.depth === 1).map((r) => r.node.name), ['lib', 'gone']);
  });
});

describe("a small file's preview", () => {
  it('counts lines as wc -l does, the last without its newline', () => {
    assert.deepEqual(textLines('hello!'), ['hello!']);
    assert.deepEqual(textLines('hello\n'), ['hello']);
    assert.deepEqual(textLines('a\n\nb\n'), ['a', '', 'b']);
    assert.deepEqual(textLines(''), []);
    const head = (text: string) => plain(render(<FilePreview title="/etc/hostname at layer 1" lines={textLines(text)} scroll={0} height={3} width={70} size={text.length} binary={false} truncated={false} />).lastFrame()).split('\n')[0].trimEnd();
    assert.match(head('hello\n'), /6B {2}line 1\/1$/);
    assert.match(head('hello!'), /6B {2}line 1\/1$/);
    assert.match(head(''), /0B {2}empty$/);
  });
});

describe('the command log line of a save', () => {
  it('is strata cp where a verb does it, else says what was saved', () => {
    assert.equal(saveCommand({ source: { kind: 'container', id: 'abc', name: 'web' }, layer: 3, topLayer: 3, path: '/etc/nginx.conf', dest: '/tmp/x' }), 'strata cp web:/etc/nginx.conf /tmp/x');
    assert.equal(saveCommand({ source: { kind: 'image', ref: 'debian:12' }, layer: -1, topLayer: 4, path: '/etc/os release', dest: '/tmp/os' }), `id=$(strata create debian:12) && strata cp "$id":'/etc/os release' /tmp/os; strata rm "$id"`);
    assert.equal(saveCommand({ source: { kind: 'image', ref: 'debian:12' }, layer: 1, topLayer: 4, path: '/etc/passwd', dest: '/tmp/p' }), '# copy /etc/passwd as layer 1 of debian:12 holds it to /tmp/p (no strata verb reads one layer)');
  });
});
