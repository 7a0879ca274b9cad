// What keeping a log's ANSI colours costs the logs pane, against plain lines in the same run:
//   ingest — lines/s into the ring buffer for 80-character plain lines, the same coloured, and
//            12,000-character coloured lines (600 SGR codes each), beside the 20k lines/s a
//            flooding container prints; lines are cleaned (escapes removed, SGR kept beside the
//            plain text) when first read, and "each cleaned" reads every line as it comes — what
//            each line cost when lines were cleaned on arrival;
//   frame  — one screen of 40 lines drawn (SGR parsed for those lines only, cut to the columns
//            scrolled to), plain beside coloured 12,000-character lines (Ink from node_modules:
//            without the build's string-width fast path);
//   width  — string-width over one such frame's rows (what Ink asks of each several times), as
//            the package answers and with the fast path scripts/build.mjs gives the bundle.
// No root needed: NODE_ENV=production node --import tsx bench/log-colours.tsx (React as the built TUI runs it)
import React from 'react';
import { render } from 'ink-testing-library';
import { performance } from 'node:perf_hooks';
import stringWidth from 'string-width';
import { NARROW_TEXT_SOURCE } from '../scripts/narrow-text.mjs';
import { LogLines } from '../source/tui/components/LogLines.js';
import { LogBuffer, type LogLine } from '../source/tui/model/log-buffer.js';
import { COLOR_THEME } from '../source/tui/theme.js';

process.env.FORCE_COLOR = '3';
const ESC = '\x1b';
const FLOOD = 20_000;

const plain80 = (i: number) => `2024-05-01 12:00:00 INFO request ${i} served in 12ms from cache, 200 OK, bytes=1234`;
const coloured80 = (i: number) => `${ESC}[2m2024-05-01 12:00:00${ESC}[0m ${ESC}[32mINFO${ESC}[0m request ${ESC}[1m${i}${ESC}[22m served in ${ESC}[38;5;208m12ms${ESC}[39m, 200 OK`;
const coloured12k = (i: number) => Array.from({ length: 600 }, (_, k) => `${ESC}[3${(i + k) % 8}mword${String(k).padStart(4, '0')}${ESC}[0m `).join('').padEnd(12_000, 'x');

/** Lines/s into the buffer; `cleaned`: each line's text read as it comes (what every line cost before lines were cleaned on first read). */
function ingest(make: (i: number) => string, lines: number, cleaned = false): number {
  const buffer = new LogBuffer(10_000);
  const entries = Array.from({ length: 1000 }, (_, i) => ({ stream: 'stdout' as const, time: '2024-05-01T12:00:00Z', line: make(i) + '\n' }));
  let chars = 0;
  const start = performance.now();
  for (let i = 0; i < lines; i++) {
    const line = buffer.push(entries[i % entries.length]);
    if (cleaned) chars += line.text.length;
  }
  const rate = lines / ((performance.now() - start) / 1000);
  if (cleaned && chars === 0) throw new Error('no text read');
  return rate;
}

/** ms per frame; `fresh`: every frame new lines (as a flood brings: read, cleaned and drawn), else the same ones scrolled sideways. */
function frameMs(make: (i: number) => string, frames: number, fresh: boolean): number {
  const held = screenOf(make);
  const app = render(<LogLines lines={held} timestamps={false} wrap={false} offset={200} width={160} height={40} theme={COLOR_THEME} />);
  const start = performance.now();
  for (let f = 0; f < frames; f++) {
    const shown = fresh ? screenOf(make, f) : held;
    app.rerender(<LogLines lines={shown} timestamps={false} wrap={false} offset={200 + (f % 2)} width={160} height={40} theme={COLOR_THEME} />);
  }
  const ms = (performance.now() - start) / frames;
  app.unmount();
  return ms;
}

function screenOf(make: (i: number) => string, frame = 0): LogLine[] {
  const buffer = new LogBuffer(40);
  for (let i = 0; i < 40; i++) buffer.push({ stream: 'stdout', time: '2024-05-01T12:00:00Z', line: make(frame * 40 + i) + '\n' });
  return [...buffer];
}

ingest(plain80, 50_000); // warm up
const rates = {
  plain80: ingest(plain80, 200_000),
  coloured80: ingest(coloured80, 200_000),
  coloured12k: ingest(coloured12k, 20_000),
  'coloured12k, each cleaned': ingest(coloured12k, 20_000, true),
};
frameMs(plain80, 20, true);
const frames = {
  plain80: frameMs(plain80, 100, true),
  coloured80: frameMs(coloured80, 100, true),
  'coloured12k, new lines': frameMs(coloured12k, 100, true),
  'coloured12k, same lines': frameMs(coloured12k, 100, false),
};

// The rows of a frame of coloured 12k lines as Ink gets them (cut with « » markers).
const frameRows = render(<LogLines lines={screenOf(coloured12k)} timestamps={false} wrap={false} offset={200} width={160} height={40} theme={COLOR_THEME} />).lastFrame()!.split('\n');
const narrow = new RegExp(NARROW_TEXT_SOURCE);
const strip = (t: string) => t.replace(/\x1b\[[0-9;]*m/g, '');
const widthMs = (fast: boolean) => {
  const start = performance.now();
  let total = 0;
  for (let i = 0; i < 200; i++) for (const row of frameRows) total += fast && narrow.test(strip(row)) ? strip(row).length : stringWidth(row);
  if (total === 0) throw new Error('no width');
  return (performance.now() - start) / 200;
};
widthMs(false);
widthMs(true);
const widths = { 'string-width as shipped': widthMs(false), 'with the narrow-text fast path': widthMs(true) };

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log('ingest (lines/s)                 rate      vs plain   vs a 20k lines/s flood');
for (const [name, rate] of Object.entries(rates)) console.log(`  ${name.padEnd(29)} ${fmt(rate).padStart(10)}   ${(rate / rates.plain80).toFixed(2).padStart(6)}x   ${(rate / FLOOD).toFixed(1).padStart(6)}x`);
console.log('frame of 40 lines, 160 columns (ms)       vs plain');
for (const [name, ms] of Object.entries(frames)) console.log(`  ${name.padEnd(26)} ${ms.toFixed(2).padStart(8)}   ${(ms / frames.plain80).toFixed(2).padStart(6)}x`);
console.log('string-width over one frame of coloured 12k rows (ms)');
for (const [name, ms] of Object.entries(widths)) console.log(`  ${name.padEnd(32)} ${ms.toFixed(3).padStart(8)}`);
