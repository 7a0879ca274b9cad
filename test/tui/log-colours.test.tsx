// Issue 24, defect 14, as data and as drawn (without a terminal): a log's ANSI colours kept and
// drawn, reset at the line's end; cut lines marked and scrolled sideways; search by regular
// expression with smart case; since/tail typed.
import './force-color.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import React from 'react';
import { render } from 'ink-testing-library';
import { LogLines } from '../../source/tui/components/LogLines.js';
import { LogBuffer, cleanLogLine } from '../../source/tui/model/log-buffer.js';
import { CUT_LEFT, CUT_RIGHT, lineRows, offsetShowing, sidewaysOffset } from '../../source/tui/model/log-rows.js';
import { parseRange, readOptions } from '../../source/tui/model/log-range.js';
import { hasCapital, patternMatcher } from '../../source/tui/model/pattern-search.js';
import { sgrSpans } from '../../source/tui/model/sgr.js';
import { MONO_THEME } from '../../source/tui/theme.js';
import { plain } from './render-helpers.js';

const ESC = '\x1b';

test('a log line keeps its SGR escapes beside its plain text; every other escape goes', () => {
  const line = cleanLogLine(`${ESC}[1;31mERROR${ESC}[0m ${ESC}]0;title\x07disk ${ESC}[2Jfull\t!\r\n`);
  assert.equal(line.text, 'ERROR disk full    !');
  assert.equal(line.styled, `${ESC}[1;31mERROR${ESC}[0m disk full    !`);
  assert.equal(cleanLogLine('plain\n').styled, undefined, 'an uncoloured line holds one string');
  assert.equal(cleanLogLine(`a${ESC}[Kb\n`).styled, undefined, 'no SGR: nothing styled to keep');
  for (const evil of [`${ESC}[31mx${ESC}[`, `${ESC}[31mx${ESC}[12`, `${ESC}[31mx${ESC}`, `${ESC}[31mx${ESC}[?25l${ESC}P1;2q`, `${ESC}[31mx${ESC}[31;`]) {
    const cleaned = cleanLogLine(evil);
    assert.doesNotMatch(cleaned.text, /\x1b/, JSON.stringify(evil));
    assert.doesNotMatch((cleaned.styled ?? '').replace(/\x1b\[[0-9;:]*m/g, ''), /\x1b/, `only SGR left: ${JSON.stringify(evil)}`);
  }
});

test('SGR spans: 16, 256 and true colours, bold, underline, reverse, and resets', () => {
  const spans = sgrSpans(`${ESC}[31mred${ESC}[0m ${ESC}[38;5;208morange${ESC}[39m ${ESC}[38;2;10;20;255mblue${ESC}[m ${ESC}[1;4;7mbui${ESC}[22;24;27m ${ESC}[44;97mbg${ESC}[0m tail`);
  assert.deepEqual(spans, [
    { start: 0, end: 3, style: { fg: 'red' } },
    { start: 4, end: 10, style: { fg: 'ansi256(208)' } },
    { start: 11, end: 15, style: { fg: '#0a14ff' } },
    { start: 16, end: 19, style: { bold: true, underline: true, inverse: true } },
    { start: 20, end: 22, style: { bg: 'blue', fg: 'whiteBright' } },
  ]);
  assert.deepEqual(sgrSpans(`${ESC}[38:2::1:2:3mx`), [{ start: 0, end: 1, style: { fg: '#010203' } }], 'the ITU colon form');
  assert.deepEqual(sgrSpans(`${ESC}[32m${'g'.repeat(100)}`, 10), [{ start: 0, end: 10, style: { fg: 'green' } }], 'cut at the plain text kept');
});

test('with wrap off a cut line is marked at the edges it goes past, at the columns scrolled to', () => {
  const text = 'abcdefghijklmnopqrstuvwxyz';
  const row = (offset: number) => lineRows(text, [], [], 10, false, offset)[0].map((s) => s.text).join('');
  assert.equal(row(0), `abcdefghi${CUT_RIGHT}`);
  assert.equal(row(5), `${CUT_LEFT}ghijklmn${CUT_RIGHT}`);
  assert.equal(row(17), `${CUT_LEFT}stuvwxyz`);
  assert.equal(lineRows('short', [], [], 10, false, 0)[0].map((s) => s.text).join(''), 'short', 'a line that fits has no marker');
  assert.equal(lineRows(text, [], [], 10, true).length, 3, 'wrapped: every character shown');
  // colours and matches are cut at the window's columns, not lost
  const segs = lineRows(text, [{ start: 4, end: 8, style: { fg: 'red' } }], [{ start: 7, end: 9 }], 10, false, 5)[0];
  assert.deepEqual(segs.map((s) => [s.text, s.style?.fg ?? '', s.match]), [[CUT_LEFT, '', false], ['g', 'red', false], ['h', 'red', true], ['i', '', true], ['jklmn', '', false], [CUT_RIGHT, '', false]]);
});

test('sideways scrolling moves half a screen, stops at the left edge and past the longest line', () => {
  const lines = [{ text: 'x'.repeat(100) }, { text: 'short' }];
  assert.equal(sidewaysOffset(0, 1, lines, 40), 20);
  assert.equal(sidewaysOffset(60, 1, lines, 40), 61, 'no further than the end of the longest line');
  assert.equal(sidewaysOffset(61, 1, lines, 40), 61);
  assert.equal(sidewaysOffset(10, -1, lines, 40), 0);
  assert.equal(sidewaysOffset(0, 1, [{ text: 'short' }], 40), 0, 'nothing to scroll to');
  assert.equal(offsetShowing({ start: 90, end: 95 }, 0, 40), 80, 'a match off screen is brought into view');
  assert.equal(offsetShowing({ start: 3, end: 8 }, 0, 40), 0, 'one on screen leaves the view be');
});

test('search patterns are regular expressions with smart case; a bad one is one line', () => {
  const lower = patternMatcher('err(or)?\\s+\\d+').matcher!;
  assert.equal(lower.caseSensitive, false);
  assert.ok(lower.test('ERROR 42'));
  assert.deepEqual(lower.ranges('x Err 1, error  22'), [{ start: 2, end: 7 }, { start: 9, end: 18 }]);
  const upper = patternMatcher('Error').matcher!;
  assert.equal(upper.caseSensitive, true);
  assert.ok(upper.test('Error') && !upper.test('error'));
  assert.equal(hasCapital('\\S+\\W\\d'), false, 'escapes are not capitals');
  assert.equal(patternMatcher('\\Sfoo').matcher!.test('xFOO'), true);
  const bad = patternMatcher('foo(');
  assert.equal(bad.matcher, undefined);
  assert.match(bad.error!, /^invalid pattern foo\(: unterminated group$/);
  assert.deepEqual(patternMatcher('x*').matcher!.ranges('aaxx'), [{ start: 2, end: 4 }], 'empty matches are stepped over');
  assert.equal(patternMatcher('').matcher, undefined);
});

test('since and tail take a typed value', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  const read = (text: string) => {
    const parsed = parseRange(text);
    assert.ok('range' in parsed, `${text}: ${'error' in parsed ? parsed.error : ''}`);
    return { label: parsed.range.label, ...readOptions(parsed.range, now) };
  };
  assert.deepEqual(read('500'), { label: 'last 500', tail: 500 });
  assert.deepEqual(read('10m'), { label: 'since 10m', since: new Date(now - 600_000) });
  assert.deepEqual(read('1h30m'), { label: 'since 1h30m', since: new Date(now - 5_400_000) });
  assert.deepEqual(read('2024-05-01T11:00:00Z'), { label: 'since 2024-05-01T11:00:00Z', since: new Date(now - 3_600_000) });
  assert.deepEqual(read('all'), { label: 'all' });
  const bad = parseRange('ten minutes');
  assert.ok('error' in bad && /^read back "ten minutes": expected a line count/.test(bad.error));
});

test('log lines are drawn in their own colours, reset at the line end; c strips them', () => {
  const buffer = new LogBuffer(10);
  buffer.push({ stream: 'stdout', time: '2024-05-01T10:20:30.456Z', line: `ok ${ESC}[31mred never closed\n` });
  buffer.push({ stream: 'stderr', time: '2024-05-01T10:20:31.000Z', line: `${ESC}[1mbold${ESC}[0m then plain\n` });
  const frame = (colors: boolean) => render(<LogLines lines={[...buffer]} timestamps={false} wrap={false} colors={colors} width={60} height={3} theme={MONO_THEME} />).lastFrame()!;
  const [first, second] = frame(true).split('\n');
  assert.match(first, new RegExp(`${ESC}\\[31mred never closed${ESC}\\[39m`), 'red, closed at the line end');
  assert.match(second, new RegExp(`^E ${ESC}\\[1mbold${ESC}\\[22m then plain`), 'the next line and its gutter start uncoloured');
  assert.equal(plain(frame(true)), plain(frame(false)));
  assert.doesNotMatch(frame(false), /\x1b\[(31|1)m/, 'stripped: no colour at all');
});

test('a 12,000-character coloured line is drawn cut, with its marker and colours, at the column scrolled to', () => {
  const buffer = new LogBuffer(10);
  const long = Array.from({ length: 1000 }, (_, i) => `${ESC}[3${i % 8}m${String(i).padStart(11, '.')}`).join('') + '\n';
  buffer.push({ stream: 'stdout', time: '2024-05-01T10:20:30.456Z', line: long });
  const lines = [...buffer];
  const drawn = render(<LogLines lines={lines} timestamps={false} wrap={false} offset={110} width={40} height={1} theme={MONO_THEME} />).lastFrame()!;
  assert.equal(plain(drawn), `  ${CUT_LEFT}........10.........11.........12....${CUT_RIGHT}`);
  assert.match(drawn, new RegExp(`${ESC}\\[3[0-7]m\\.{9}11`));
});
