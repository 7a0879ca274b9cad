// What the logs pane shows, as data: which lines (all, or only those matching the `&`
// filter), where the viewport's bottom is, and where the next `/` match is. No screen here.
import type { LogBuffer, LogLine } from './log-buffer.js';
import type { TextMatcher } from './text-search.js';

/** Sequence numbers of the lines in view, oldest first. */
export function viewSeqs(buffer: LogBuffer, filter: TextMatcher | undefined): number[] {
  const out: number[] = [];
  for (const line of buffer) if (!filter || filter.test(line.text)) out.push(line.seq);
  return out;
}

/** Index in `seqs` of `seq`, or of the first later line when it has been dropped or filtered out. */
export function indexAtOrAfter(seqs: number[], seq: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (seqs[mid] < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The next line (in direction `dir`) after index `from` whose text matches; undefined when none. Wraps around. */
export function findMatch(buffer: LogBuffer, seqs: number[], matcher: TextMatcher, from: number, dir: 1 | -1): number | undefined {
  const n = seqs.length;
  for (let step = 1; step <= n; step++) {
    const i = (((from + dir * step) % n) + n) % n;
    const line = buffer.bySeq(seqs[i]);
    if (line && matcher.test(line.text)) return i;
  }
  return undefined;
}

/** How many screen rows a line takes at this width when wrapped. */
export function rowsFor(text: string, width: number): number {
  return Math.max(1, Math.ceil(text.length / Math.max(1, width)));
}

/** The lines that fill `height` rows ending with index `bottom`. */
export function linesEndingAt(buffer: LogBuffer, seqs: number[], bottom: number, height: number, width: number, wrap: boolean, prefixWidth: number): LogLine[] {
  const out: LogLine[] = [];
  let rows = 0;
  for (let i = Math.min(bottom, seqs.length - 1); i >= 0 && rows < height; i--) {
    const line = buffer.bySeq(seqs[i]);
    if (!line) continue;
    const need = wrap ? rowsFor(line.text, width - prefixWidth) : 1;
    if (rows + need > height && out.length > 0) break;
    rows += need;
    out.push(line);
  }
  return out.reverse();
}
