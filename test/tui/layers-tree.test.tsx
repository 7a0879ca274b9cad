// The tree view and its row model on their own: windowing (a 20k-file tree renders a
// screenful), folding, filters keeping the directories that lead to shown files, markers.
import './force-color.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import type { FileChange, FileNode } from '../../source/engine/api.js';
import { FileTreeView } from '../../source/tui/components/FileTreeView.js';
import { allDirectories, SHOW_ALL, shownNodes, treeRows } from '../../source/tui/model/file-tree-rows.js';
import { hexLines } from '../../source/tui/model/hex-view.js';
import { COLOR_THEME, MONO_THEME } from '../../source/tui/theme.js';
import { plain } from './render-helpers.js';

function dir(path: string, children: FileNode[], change: FileChange = 'unchanged'): FileNode {
  return { name: path.split('/').pop()!, path, kind: 'dir', size: children.reduce((s, c) => s + c.size, 0), mode: 0o755, change, layer: 0, children };
}
function file(path: string, size: number, change: FileChange): FileNode {
  return { name: path.split('/').pop()!, path, kind: 'file', size, mode: 0o644, change, layer: 1 };
}

const tree = dir('/', [
  dir('/etc', [file('/etc/hosts', 10, 'unchanged'), file('/etc/new', 20, 'added')]),
  dir('/var', [file('/var/gone', 30, 'removed')]),
  dir('/usr', [dir('/usr/lib', [file('/usr/lib/x', 5, 'modified')])]),
]);

describe('tree rows', () => {
  it('folds directories and filters by change, keeping the parents of what is shown', () => {
    const all = treeRows(tree, new Set(), shownNodes(tree, SHOW_ALL)).map((r) => `${'  '.repeat(r.depth)}${r.node.name}`);
    assert.deepEqual(all, ['etc', '  hosts', '  new', 'var', '  gone', 'usr', '  lib', '    x']);
    const folded = treeRows(tree, new Set(['/usr']), shownNodes(tree, SHOW_ALL));
    assert.deepEqual(folded.map((r) => r.node.name), ['etc', 'hosts', 'new', 'var', 'gone', 'usr']);
    assert.equal(folded.at(-1)!.folded, true);
    const onlyModified = treeRows(tree, new Set(), shownNodes(tree, { added: false, modified: true, removed: false, unchanged: false }));
    assert.deepEqual(onlyModified.map((r) => r.node.path), ['/usr', '/usr/lib', '/usr/lib/x']);
    assert.deepEqual([...allDirectories(tree)].sort(), ['/etc', '/usr', '/usr/lib', '/var']);
  });

  it('hex view: offset, two groups of eight, printable text', () => {
    assert.deepEqual(hexLines(Buffer.from('\x7fELF\x00hello, world!!')), [
      '00000000  7f 45 4c 46 00 68 65 6c  6c 6f 2c 20 77 6f 72 6c  |.ELF.hello, worl|',
      '00000010  64 21 21                                          |d!!|',
    ]);
  });
});

describe('FileTreeView', () => {
  it('renders only the rows on screen of a 20k-file tree, each with its change letter', () => {
    const files = Array.from({ length: 20_000 }, (_, i) => file(`/big/f${String(i).padStart(5, '0')}`, i, (['added', 'modified', 'removed', 'unchanged'] as const)[i % 4]));
    const big = dir('/', [dir('/big', files)]);
    const rows = treeRows(big, new Set(), shownNodes(big, SHOW_ALL));
    const { lastFrame, unmount } = render(<FileTreeView rows={rows} cursor={10_001} start={10_000} height={5} width={60} focused theme={MONO_THEME} />);
    const frame = plain(lastFrame());
    unmount();
    const lines = frame.split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[0], /^  -rw-r--r-- +9\.8KiB +f09999/);
    assert.match(lines[1], /^A -rw-r--r-- +9\.8KiB +f10000/);
    assert.match(lines[2], /^M .*f10001/);
    assert.match(lines[3], /^D .*f10002/);
  });

  it('colours changes with colour on, and marks the cursor row', () => {
    const rows = treeRows(tree, new Set(), shownNodes(tree, SHOW_ALL));
    const { lastFrame, unmount } = render(<FileTreeView rows={rows} cursor={2} start={0} height={8} width={50} focused theme={COLOR_THEME} />);
    const raw = lastFrame() ?? '';
    unmount();
    const line = (name: string) => raw.split('\n').find((l) => plain(l).includes(name))!;
    assert.match(line('new'), /\x1b\[32m/, 'added in green');
    assert.match(line('new'), /\x1b\[7m/, 'cursor in inverse');
    assert.match(line('gone'), /\x1b\[31m/, 'removed in red');
    assert.match(line(' x'), /\x1b\[33m/, 'modified in yellow');
    assert.match(plain(line('lib')), /▾ lib/);
  });
});

describe('names from images', () => {
  it('never send control characters to the terminal', () => {
    const evil = dir('/', [file('/x\x1b[2Jy', 1, 'added'), file('/tab\there', 1, 'added')]);
    const rows = treeRows(evil, new Set(), shownNodes(evil, SHOW_ALL));
    const { lastFrame, unmount } = render(<FileTreeView rows={rows} cursor={0} start={0} height={2} width={50} focused={false} theme={MONO_THEME} />);
    const frame = lastFrame() ?? '';
    unmount();
    assert.doesNotMatch(frame, /\x1b\[2J/);
    assert.match(frame, /x\?\[2Jy/);
    assert.match(frame, /tab here/);
  });
});
