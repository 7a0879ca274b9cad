// Key remapping from the config: conflicts and unknown actions refused with the key and the
// actions named; Ctrl-C always quits and Ctrl-Z always suspends; the defaults have no conflict.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyKeys } from '../../source/tui/config.js';
import { readTuiOverrides } from '../../source/tui/config-file.js';
import { DEFAULT_KEYMAP, keymapConflicts } from '../../source/tui/keymap.js';

test('the default keymap binds no key twice on any pane (Tab is next pane everywhere)', () => {
  assert.deepEqual(keymapConflicts(DEFAULT_KEYMAP), []);
  assert.ok(!DEFAULT_KEYMAP.layers.some((b) => b.keys.includes('tab')));
});

test('a key bound to two live actions, or an unknown action or section, is refused by name', () => {
  assert.throws(() => applyKeys(DEFAULT_KEYMAP, { containers: { stop: ['j'] } }), /^Error: key "j" is bound to both containers\.stop and list\.down$/);
  assert.throws(() => applyKeys(DEFAULT_KEYMAP, { containers: { stopp: ['x'] } }), /"tui\.keys\.containers\.stopp": no such action in containers/);
  assert.throws(() => applyKeys(DEFAULT_KEYMAP, { containers: { stop: ['ctrl-c'] } }), /key "ctrl-c" is bound to both containers\.stop and global\.quit/);
  // The same key in panes never shown together is fine.
  assert.doesNotThrow(() => applyKeys(DEFAULT_KEYMAP, { images: { tag: ['x'] } }));
});

test('Ctrl-C stays on quit and Ctrl-Z on suspend whatever they are remapped to', () => {
  const keymap = applyKeys(DEFAULT_KEYMAP, { global: { quit: ['Q'], suspend: ['S'] } });
  assert.deepEqual(keymap.global.find((b) => b.action === 'quit')?.keys, ['Q', 'ctrl-c']);
  assert.deepEqual(keymap.global.find((b) => b.action === 'suspend')?.keys, ['S', 'ctrl-z']);
});

test('the config file names itself in a refused binding', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'strata-keys-')), 'config.json');
  try {
    fs.writeFileSync(file, JSON.stringify({ tui: { keys: { containers: { stop: ['j'] } } } }));
    assert.throws(() => readTuiOverrides(file), { message: `config file ${file}: key "j" is bound to both containers.stop and list.down` });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
});
