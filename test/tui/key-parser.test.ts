// The key parser without Ink: bytes in, key presses out, with a pending escape sequence and its timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESCAPE_TIMEOUT_MS, KeyParser } from '../../source/tui/terminal/key-parser.js';

const names = (parser: KeyParser, chunk: string | Buffer, now = 0) => parser.push(chunk, now).map((p) => p.name);

test('100 keys in one read are 100 key presses, in order', () => {
  const keys = Array.from({ length: 100 }, (_, i) => 'jkG'[i % 3]);
  assert.deepEqual(names(new KeyParser(), keys.join('')), keys);
  assert.deepEqual(names(new KeyParser(), '\x1b[B\x1b[B\x1b[B'), ['down', 'down', 'down']);
  assert.deepEqual(names(new KeyParser(), 'j\x1b[Ak\rx\x7f\t'), ['j', 'up', 'k', 'enter', 'x', 'backspace', 'tab']);
});

test('CSI and SS3 sequences: arrows, Home/End, PgUp/PgDn, Delete, F-keys, modifiers', () => {
  const p = new KeyParser();
  assert.deepEqual(names(p, '\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1bOD'), ['up', 'down', 'right', 'left', 'up', 'left']);
  assert.deepEqual(names(p, '\x1b[H\x1b[F\x1b[1~\x1b[4~\x1bOH\x1bOF'), ['home', 'end', 'home', 'end', 'home', 'end']);
  assert.deepEqual(names(p, '\x1b[5~\x1b[6~\x1b[3~\x1b[2~\x1b[Z'), ['pgup', 'pgdn', 'delete', 'insert', 'shift-tab']);
  assert.deepEqual(names(p, '\x1bOP\x1b[15~\x1b[24~\x1b[[A'), ['f1', 'f5', 'f12', 'f1']);
  assert.deepEqual(names(p, '\x1b[1;5A\x1b[1;2B\x1b[1;3C\x1b[3;5~\x1b[1;7D'), ['ctrl-up', 'shift-down', 'alt-right', 'ctrl-delete', 'ctrl-alt-left']);
  // A mouse report or focus event is not a key.
  assert.deepEqual(names(p, '\x1b[I\x1b[<0;10;5Mq'), ['q']);
});

test('Ctrl+letters, Alt+key, space and text', () => {
  const p = new KeyParser();
  assert.deepEqual(names(p, '\x03\x1a\x02\x06\x15'), ['ctrl-c', 'ctrl-z', 'ctrl-b', 'ctrl-f', 'ctrl-u']);
  assert.deepEqual(names(p, '\x1bx\x1b3\x1b\x7f'), ['alt-x', 'alt-3', 'alt-backspace']);
  assert.deepEqual(p.push(' a', 0), [{ name: 'space', input: ' ' }, { name: 'a', input: 'a' }]);
  assert.deepEqual(p.push('\x1b[A', 0), [{ name: 'up', input: '' }]);
});

test('an escape sequence split over two reads is put back together', () => {
  const p = new KeyParser();
  assert.deepEqual(names(p, 'j\x1b'), ['j']);
  assert.equal(p.waiting(), true);
  assert.deepEqual(names(p, '[B'), ['down']);
  assert.deepEqual(names(p, '\x1b[1;'), []);
  assert.deepEqual(names(p, '5A'), ['ctrl-up']);
  assert.deepEqual(names(p, '\x1bO'), []);
  assert.deepEqual(names(p, 'Ak'), ['up', 'k']);
  assert.equal(p.waiting(), false);
});

test('Esc then a key: Alt only within one read; a lone Esc waits the timeout, then is Esc', () => {
  const p = new KeyParser();
  // Esc at the end of a read, the key in the next one within the timeout: two keys, not Alt-3.
  assert.deepEqual(names(p, '\x1b', 0), []);
  assert.deepEqual(names(p, '3', 10), ['esc', '3']);
  // Beyond the timeout even a sequence's start is no longer joined.
  assert.deepEqual(names(p, '\x1b', 100), []);
  assert.deepEqual(names(p, '[A', 100 + ESCAPE_TIMEOUT_MS + 1), ['esc', '[', 'A']);
  // Nothing more comes: the reader's timer hands the lone Esc on.
  assert.deepEqual(names(p, '\x1b', 200), []);
  assert.deepEqual(p.expire().map((k) => k.name), ['esc']);
  assert.deepEqual(p.expire(), []);
  // Esc and the key in one read are what a terminal sends for Alt+key.
  assert.deepEqual(names(p, '\x1b3', 300), ['alt-3']);
  // Esc pressed twice.
  assert.deepEqual(names(p, '\x1b\x1b', 400), []);
  assert.deepEqual(names(p, 'q', 410), ['esc', 'esc', 'q']);
});

test('UTF-8 characters are never split, even across reads', () => {
  const p = new KeyParser();
  const bytes = Buffer.from('é😀ü', 'utf8');
  assert.deepEqual(p.push(bytes.subarray(0, 1), 0), []);
  assert.deepEqual(names(p, bytes.subarray(1, 4)), ['é']);
  assert.deepEqual(names(p, bytes.subarray(4)), ['😀', 'ü']);
  assert.deepEqual(p.push('😀x', 0).map((k) => k.input), ['😀', 'x']);
});

test('a bracketed paste is one key with the whole text, even across reads', () => {
  const p = new KeyParser();
  assert.deepEqual(p.push('a\x1b[200~hello\r\nwor', 0), [{ name: 'a', input: 'a' }]);
  assert.deepEqual(p.push('ld\x1b[20', 0), []);
  assert.deepEqual(p.push('1~j', 0), [{ name: 'paste', input: 'hello\r\nworld' }, { name: 'j', input: 'j' }]);
  assert.deepEqual(p.push('\x1b[200~\x1b[A\x1b[201~', 0), [{ name: 'paste', input: '\x1b[A' }]);
});

test('an Alt chord read as Esc then a key carries that key, for a reader that got both at once', () => {
  const p = new KeyParser();
  const [press] = p.push('\x1b2', 0);
  assert.equal(press.name, 'alt-2');
  assert.deepEqual(press.afterEsc, { name: '2', input: '2' });
  assert.equal(p.push('\x1b[A', 0)[0].afterEsc, undefined, 'an escape sequence is one key');
});
