// The logs pane's view as data, without Ink: held on a line while a flood arrives and the
// ring buffer drops what it held; the merged history ordered by time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBuffer } from '../../source/tui/model/log-buffer.js';
import { FOLLOWING, freeze, logWindow, placeTop, type ScreenSize, type Viewport } from '../../source/tui/model/log-viewport.js';
import { mergeByTime, timeKey } from '../../source/tui/model/log-merge.js';

const SIZE: ScreenSize = { height: 5, width: 80, wrap: false, prefixWidth: 2 };
const push = (buffer: LogBuffer, from: number, n: number) => {
  for (let i = from; i < from + n; i++) buffer.push({ stream: 'stdout', time: '2024-01-01T00:00:00Z', line: `line ${i}\n` });
};
const texts = (buffer: LogBuffer, viewport: Viewport) => logWindow(buffer, undefined, viewport, SIZE).lines.map((l) => l.text);

test('following shows the newest lines', () => {
  const buffer = new LogBuffer(100);
  push(buffer, 1, 50);
  assert.deepEqual(texts(buffer, FOLLOWING), ['line 46', 'line 47', 'line 48', 'line 49', 'line 50']);
});

test('follow off holds the view on its lines while a flood arrives and counts the new ones', () => {
  const buffer = new LogBuffer(1000);
  push(buffer, 1, 1000);
  const viewport = freeze(buffer, logWindow(buffer, undefined, FOLLOWING, SIZE), FOLLOWING, SIZE);
  const before = texts(buffer, viewport);
  assert.deepEqual(before, ['line 996', 'line 997', 'line 998', 'line 999', 'line 1000']);
  push(buffer, 1001, 500); // the top line is still in the ring
  assert.deepEqual(texts(buffer, viewport), before);
  assert.equal(logWindow(buffer, undefined, viewport, SIZE).newLines, 500);
  assert.equal(logWindow(buffer, undefined, viewport, SIZE).topDropped, false);
  push(buffer, 1501, 12_345); // …and now the ring has dropped every line on screen
  const window = logWindow(buffer, undefined, viewport, SIZE);
  assert.deepEqual(window.lines.map((l) => l.text), before, 'the screen does not move');
  assert.equal(window.topDropped, true, 'and says its lines left the buffer');
  assert.equal(window.newLines, 12_845);
});

test('following stops on the lines drawn, even when the buffer dropped them between the frame and the key', () => {
  const buffer = new LogBuffer(100);
  push(buffer, 1, 100);
  const drawn = logWindow(buffer, undefined, FOLLOWING, SIZE);
  push(buffer, 101, 1000); // a flood, before the key is read
  const viewport = freeze(buffer, drawn, FOLLOWING, SIZE);
  assert.deepEqual(texts(buffer, viewport), ['line 96', 'line 97', 'line 98', 'line 99', 'line 100']);
});

test('scrolling up from a held view goes to older lines, never newer ones', () => {
  const buffer = new LogBuffer(1000);
  push(buffer, 1, 1000);
  let viewport = placeTop(buffer, logWindow(buffer, undefined, FOLLOWING, SIZE), FOLLOWING, 500, SIZE);
  assert.equal(texts(buffer, viewport)[0], 'line 501');
  push(buffer, 1001, 300); // drops lines 1–300: an index into the ring would now point at line 801
  viewport = placeTop(buffer, logWindow(buffer, undefined, viewport, SIZE), viewport, logWindow(buffer, undefined, viewport, SIZE).top - 1, SIZE);
  assert.equal(texts(buffer, viewport)[0], 'line 500');
  push(buffer, 1301, 5000); // everything held is gone from the ring
  const window = logWindow(buffer, undefined, viewport, SIZE);
  viewport = placeTop(buffer, window, viewport, window.top - 1, SIZE);
  assert.deepEqual(texts(buffer, viewport), ['line 500', 'line 501', 'line 502', 'line 503', 'line 504'], 'nothing older is left: it stays');
  const down = logWindow(buffer, undefined, viewport, SIZE);
  viewport = placeTop(buffer, down, viewport, down.top + 1, SIZE);
  // Down: the held lines still on screen, then the oldest the ring still has.
  assert.deepEqual(texts(buffer, viewport), ['line 501', 'line 502', 'line 503', 'line 504', 'line 5301']);
});

test('the bottom of a held view is the end of the log: it cannot be scrolled past', () => {
  const buffer = new LogBuffer(100);
  push(buffer, 1, 20);
  const window = logWindow(buffer, undefined, FOLLOWING, SIZE);
  const viewport = placeTop(buffer, window, FOLLOWING, 1000, SIZE);
  assert.deepEqual(texts(buffer, viewport), ['line 16', 'line 17', 'line 18', 'line 19', 'line 20']);
});

test('merged histories are ordered by time, equal times in the order of the logs', () => {
  const at = (s: number, frac = '') => `2024-01-01T00:00:${String(s).padStart(2, '0')}${frac}Z`;
  const a = [{ time: at(0), line: 'a0' }, { time: at(50), line: 'a50' }, { time: at(50, '.000000002'), line: 'a50+2ns' }];
  const b = [{ time: at(10), line: 'b10' }, { time: at(50), line: 'b50' }, { time: at(50, '.000000001'), line: 'b50+1ns' }];
  const c = [{ time: at(5), line: 'c5' }];
  assert.deepEqual(mergeByTime([a, b, c]).map((e) => e.line), ['a0', 'c5', 'b10', 'a50', 'b50', 'b50+1ns', 'a50+2ns']);
  assert.deepEqual(mergeByTime([[], a]).map((e) => e.line), ['a0', 'a50', 'a50+2ns']);
  assert.ok(timeKey('2024-01-01T00:00:01.1Z')[1] > timeKey('2024-01-01T00:00:01.09Z')[1], 'fractions of different lengths compare as numbers');
});
