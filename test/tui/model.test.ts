import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBuffer, MAX_LINE_CHARS, cleanLogText } from '../../source/tui/model/log-buffer.js';
import { findMatch, indexAtOrAfter, linesEndingAt, viewSeqs } from '../../source/tui/model/log-view.js';
import { segmentsToRows, splitByMatches, textMatcher } from '../../source/tui/model/text-search.js';
import { sparkline } from '../../source/tui/model/sparkline.js';
import { reselect, windowStart } from '../../source/tui/model/window.js';
import { visibleContainerRows } from '../../source/tui/model/container-rows.js';
import { shellWords } from '../../source/engine/format/shell-words.js';
import { cliCommand } from '../../source/tui/model/cli-command.js';
import { runRequest } from '../../source/tui/model/run-request.js';
import type { ContainerStatus, ContainerSummary } from '../../source/engine/api.js';

// Plain summaries as the engine lists them: the row model is a pure function of them.
function summary(name: string, status: ContainerStatus, extra: Partial<ContainerSummary> = {}): ContainerSummary {
  const statusText = { running: 'Up 3 minutes', paused: 'Up 3 minutes (Paused)', exited: `Exited (${extra.exitCode ?? 0}) 1 minute ago` }[status as string] ?? 'Created';
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const startedAt = status === 'created' ? '0001-01-01T00:00:00Z' : ago(3 * 60_000 + 500);
  const finishedAt = status === 'exited' ? ago(60_000) : '0001-01-01T00:00:00Z';
  return { id: Buffer.from(name).toString('hex').padEnd(64, '0'), name, image: 'test/busybox:latest', imageId: 'sha256:' + 'a'.repeat(64), command: 'sh', created: new Date().toISOString(), status, statusText, exitCode: 0, pid: 0, startedAt, finishedAt, ...extra };
}

const entry = (line: string, stream: 'stdout' | 'stderr' = 'stdout') => ({ stream, time: '2024-01-01T00:00:00.000Z', line: line + '\n' });

test('the log buffer holds at most its capacity, newest lines kept, memory flat', () => {
  const buffer = new LogBuffer(10_000);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 100_000; i++) buffer.push(entry(`line ${i} ${'x'.repeat(60)}`));
  assert.equal(buffer.length, 10_000);
  assert.equal(buffer.firstSeq, 90_000);
  assert.equal(buffer.lastSeq, 99_999);
  assert.match(buffer.at(0)!.text, /^line 90000 /);
  assert.match(buffer.at(9_999)!.text, /^line 99999 /);
  assert.equal(buffer.bySeq(89_999), undefined);
  global.gc?.();
  // 10k lines of ~70 chars: a few MB at most, not the 100k lines pushed.
  assert.ok(process.memoryUsage().heapUsed - before < 30 * 1024 * 1024);
});

test('a log buffer of very long coloured lines stays within its characters, and each line reads whole', () => {
  const ESC = '\x1b';
  const coloured = (i: number) => `${ESC}[31mline ${i}${ESC}[0m ${'w'.repeat(11_980)}`;
  const buffer = new LogBuffer(10_000, 100_000);
  for (let i = 0; i < 1000; i++) buffer.push(entry(coloured(i)));
  assert.equal(buffer.length, 8, '100,000 characters hold 8 lines of 12,000');
  assert.equal(buffer.firstSeq, 992);
  const last = buffer.at(7)!;
  assert.ok(last.text.startsWith('line 999 www'), 'the plain text, escapes removed');
  assert.equal(last.text.length, MAX_LINE_CHARS, 'cut to the longest line kept');
  assert.equal(last.styled?.startsWith(`${ESC}[31mline 999${ESC}[0m w`), true);
  buffer.push(entry('short'));
  assert.equal(buffer.at(buffer.length - 1)!.text, 'short');
  assert.equal(buffer.firstSeq, 992, 'room enough for a short line');
  buffer.push(entry('x'.repeat(5000)));
  assert.equal(buffer.firstSeq, 993, 'the oldest went to make room for a long one');
});

test('log text loses its newline, control sequences and excess length', () => {
  assert.equal(cleanLogText('\x1b[31mred\x1b[0m\ttab\r\n'), 'red    tab');
  assert.equal(cleanLogText('a\x1b]0;title\x07b\n'), 'ab');
  const long = cleanLogText('y'.repeat(1_000_000));
  assert.equal(long.length, MAX_LINE_CHARS);
  assert.ok(long.endsWith('…'));
});

test('search is literal and smart-case; ranges mark every match', () => {
  const lower = textMatcher('err')!;
  assert.ok(lower.test('ERROR here'));
  assert.deepEqual(lower.ranges('err ERR x'), [{ start: 0, end: 3 }, { start: 4, end: 7 }]);
  const upper = textMatcher('ERR')!;
  assert.ok(!upper.test('error'));
  assert.ok(textMatcher('a.b(')!.test('xa.b(y'));
  assert.equal(textMatcher(''), undefined);
  assert.deepEqual(splitByMatches('abcab', lower.ranges('abcab')), [{ text: 'abcab', match: false }]);
  assert.deepEqual(splitByMatches('xaby', textMatcher('ab')!.ranges('xaby')), [{ text: 'x', match: false }, { text: 'ab', match: true }, { text: 'y', match: false }]);
});

test('filter keeps matching lines; n/N move between matches and wrap around', () => {
  const buffer = new LogBuffer(100);
  for (const l of ['alpha', 'beta', 'alphabet', 'gamma', 'ALPHA']) buffer.push(entry(l));
  assert.deepEqual(viewSeqs(buffer, textMatcher('alpha')), [0, 2, 4]);
  assert.deepEqual(viewSeqs(buffer, textMatcher('ALPHA')), [4]);
  const all = viewSeqs(buffer, undefined);
  const m = textMatcher('alpha')!;
  assert.equal(findMatch(buffer, all, m, 0, 1), 2);
  assert.equal(findMatch(buffer, all, m, 2, 1), 4);
  assert.equal(findMatch(buffer, all, m, 4, 1), 0); // wraps
  assert.equal(findMatch(buffer, all, m, 0, -1), 4);
  assert.equal(findMatch(buffer, all, textMatcher('zzz')!, 0, 1), undefined);
  assert.equal(indexAtOrAfter([3, 5, 9], 6), 2);
});

test('the lines on screen end at the bottom line and fit the height, wrapped or not', () => {
  const buffer = new LogBuffer(100);
  for (let i = 0; i < 50; i++) buffer.push(entry(i === 48 ? 'w'.repeat(25) : `l${i}`));
  const seqs = viewSeqs(buffer, undefined);
  assert.deepEqual(linesEndingAt(buffer, seqs, 49, 5, 12, false, 2).map((l) => l.text), ['l45', 'l46', 'l47', 'w'.repeat(25), 'l49']);
  // Wrapped at 10 columns the long line takes 3 rows.
  assert.deepEqual(linesEndingAt(buffer, seqs, 49, 5, 12, true, 2).map((l) => l.text), ['l47', 'w'.repeat(25), 'l49']);
  assert.equal(segmentsToRows([{ text: 'abcdefg', match: false }], 3, true).length, 3);
  assert.equal(segmentsToRows([{ text: 'abcdefg', match: false }], 3, false).length, 1);
});

test('sparkline scales to the max, newest at the right, padded to width', () => {
  assert.equal(sparkline([0, 50, 100], 3, 100), '▁▅█');
  assert.equal(sparkline([1, 2], 5), '   ▅█');
  assert.equal(sparkline([5, 6, 7, 8], 2), '▇█');
  assert.equal(sparkline([], 3), '   ');
  assert.equal(sparkline([0, 0], 2), '▁▁');
  // As the stats pane's CPU column draws it: fixed width, scaled to 100 %.
  assert.equal(sparkline([0, 25, 50, 100], 6, 100), '  ▁▃▅█');
});

test('the window scrolls minimally to keep the cursor visible', () => {
  assert.equal(windowStart(0, 500, 20, 0), 0);
  assert.equal(windowStart(25, 500, 20, 0), 6);
  assert.equal(windowStart(10, 500, 20, 6), 6);
  assert.equal(windowStart(3, 500, 20, 6), 3);
  assert.equal(windowStart(499, 500, 20, 0), 480);
  assert.equal(windowStart(5, 10, 20, 3), 0);
});

test('selection follows the id through refreshes, or stays near when the row is gone', () => {
  const rows = ['a', 'b', 'c', 'd'];
  assert.equal(reselect(['x', ...rows], (r) => r, 'c', 2), 3);
  assert.equal(reselect(['a', 'b', 'd'], (r) => r, 'c', 2), 2);
  assert.equal(reselect(['a'], (r) => r, 'c', 2), 0);
  assert.equal(reselect([], (r: string) => r, 'c', 2), 0);
});

test('container rows: states, uptime, filter and sort', () => {
  const list = [summary('web', 'running'), summary('db', 'paused'), summary('job', 'exited', { exitCode: 3 }), summary('new', 'created')];
  const stats = new Map([[list[0].id, { cpuPercent: 50 } as never], [list[1].id, { cpuPercent: 10 } as never]]);
  const rows = visibleContainerRows(list, stats, '', 'name', false);
  assert.deepEqual(rows.map((r) => r.name), ['db', 'job', 'new', 'web']);
  assert.deepEqual(rows.map((r) => r.state), ['paused', 'exited (3)', 'created', 'running']);
  assert.equal(rows[0].uptime, '3 minutes');
  assert.equal(rows[1].uptime, '');
  assert.deepEqual(visibleContainerRows(list, stats, '', 'cpu', true).map((r) => r.name).slice(0, 2), ['web', 'db']);
  assert.deepEqual(visibleContainerRows(list, stats, 'exited', 'name', false).map((r) => r.name), ['job']);
  assert.deepEqual(visibleContainerRows(list, stats, 'WE', 'name', false).map((r) => r.name), ['web']);
});

test('the run form becomes create options and the same strata run command', () => {
  assert.deepEqual(shellWords(`sh -c 'echo "hi there"; exit 3'`), ['sh', '-c', 'echo "hi there"; exit 3']);
  assert.throws(() => shellWords(`echo 'oops`));
  const { options, words } = runRequest('demo/busybox', { name: 'web', command: 'sleep 60', env: 'A=1 B="two words"' });
  assert.deepEqual(options, { image: 'demo/busybox', name: 'web', cmd: ['sleep', '60'], env: ['A=1', 'B=two words'] });
  assert.equal(cliCommand(...words), `strata run -d --name web -e A=1 -e 'B=two words' demo/busybox sleep 60`);
  assert.deepEqual(runRequest('img', { name: '', command: '', env: '' }).options, { image: 'img' });
  assert.throws(() => runRequest('img', { name: '', command: '', env: 'NOEQUALS' }));
});

test('keys that arrive in one chunk are split: Enter, Tab and Backspace each count', async () => {
  const { KeyParser } = await import('../../source/tui/terminal/key-parser.js');
  const names = (chunk: string) => new KeyParser().push(chunk).map((p) => p.name);
  assert.deepEqual(names('web\r\r'), ['w', 'e', 'b', 'enter', 'enter']);
  assert.deepEqual(names('a\tb\x7f'), ['a', 'tab', 'b', 'backspace']);
  assert.deepEqual(names('q'), ['q']);
  assert.deepEqual(new KeyParser().push('\x1b[200~pasted text\x1b[201~').map((p) => p.input), ['pasted text']);
});

test('uptime: from the start time, drawn again as time passes', async () => {
  const { upSinceMs, uptimeText, uptimeTickMs } = await import('../../source/tui/model/uptime.js');
  const readAt = Date.parse('2024-05-01T12:00:05Z');
  assert.equal(upSinceMs('2024-05-01T12:00:00Z'), readAt - 5000);
  assert.equal(upSinceMs('0001-01-01T00:00:00Z'), undefined);
  assert.equal(upSinceMs(''), undefined);
  const since = upSinceMs('2024-05-01T12:00:00Z')!;
  assert.equal(uptimeText(since, readAt), '5 seconds');
  assert.equal(uptimeText(since, readAt + 30_000), '35 seconds');
  assert.equal(uptimeText(since, readAt + 120_000), '2 minutes');
  assert.equal(uptimeText(readAt - 3 * 3_600_000, readAt), '3 hours');
  assert.equal(uptimeText(undefined, readAt), '');
  // exactly when the words change: the next second, minute, or half hour (hours round)
  assert.equal(uptimeTickMs([since], readAt), 1000);
  assert.equal(uptimeTickMs([readAt - 3 * 60_000 - 1500], readAt), 58_500);
  assert.equal(uptimeTickMs([readAt - 2 * 3_600_000, undefined], readAt), 1_800_000);
  assert.equal(uptimeTickMs([readAt - 2 * 3_600_000, readAt - 70_000], readAt), 50_000);
  assert.equal(uptimeTickMs([undefined], readAt), undefined);
  // fifty containers started 20 ms apart: one tick a second, not one per container (idle CPU)
  const staggered = Array.from({ length: 50 }, (_, i) => readAt - 5000 - i * 20);
  assert.equal(uptimeTickMs(staggered, readAt), 1000);
});

test('published ports read as docker ps shows them', async () => {
  const { formatPorts } = await import('../../source/tui/model/container-rows.js');
  assert.equal(formatPorts([{ containerPort: 80, protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 8080 }, { containerPort: 53, protocol: 'udp', hostIp: '127.0.0.1', hostPort: 5353 }]), '0.0.0.0:8080->80/tcp, 127.0.0.1:5353->53/udp');
  assert.equal(formatPorts([]), '');
});

test('layer explorer: which part has the keys', async () => {
  const { clampIndex, layersMode } = await import('../../source/tui/model/layers-mode.js');
  const open = { opened: true, previewing: false, panel: 'tree', analysed: true, focus: 'tree', comparing: false } as const;
  assert.equal(layersMode({ ...open, opened: false }), 'pick');
  assert.equal(layersMode({ ...open, previewing: true, panel: 'waste' }), 'preview');
  assert.equal(layersMode({ ...open, panel: 'waste' }), 'waste');
  assert.equal(layersMode({ ...open, panel: 'waste', analysed: false }), 'tree', 'no waste list before the analysis is in');
  assert.equal(layersMode({ ...open, focus: 'layers' }), 'layers');
  assert.equal(layersMode({ ...open, focus: 'layers', comparing: true }), 'tree', 'a comparison has no layer list');
  assert.equal(clampIndex(Infinity, 5), 4);
  assert.equal(clampIndex(-3, 5), 0);
  assert.equal(clampIndex(2, 0), 0);
});
