// One log line → the screen rows it takes: wrapped at the width, or cut to the columns the
// view is scrolled to (`less -S`), with a marker where text goes on past either edge. Each row
// is segments of one style (the line's SGR colours, search matches in inverse video); only the
// columns on screen are cut into segments, however long the line.
import type { MatchRange } from './text-search.js';
import type { SgrStyle, StyledSpan } from './sgr.js';

export interface RowSegment {
  text: string;
  match: boolean;
  style?: SgrStyle;
  marker?: boolean; // the « or » saying the line goes on past this edge
}

export const CUT_LEFT = '«';
export const CUT_RIGHT = '»';

/** The segments of text[from, to): a new one wherever a style span or a match starts or ends. */
export function segmentsBetween(text: string, spans: readonly StyledSpan[], matches: readonly MatchRange[], from: number, to: number): RowSegment[] {
  const cuts = new Set<number>([from, to]);
  for (const r of [...spans, ...matches]) {
    if (r.start > from && r.start < to) cuts.add(r.start);
    if (r.end > from && r.end < to) cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: RowSegment[] = [];
  let span = 0;
  let match = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (b <= a) continue;
    while (span < spans.length && spans[span].end <= a) span++;
    while (match < matches.length && matches[match].end <= a) match++;
    const style = span < spans.length && spans[span].start <= a ? spans[span].style : undefined;
    const isMatch = match < matches.length && matches[match].start <= a;
    out.push({ text: text.slice(a, b), match: isMatch, ...(style ? { style } : {}) });
  }
  return out;
}

/** The rows of one line: every `width` characters when wrapping, else the `width` columns from `offset`. */
export function lineRows(text: string, spans: readonly StyledSpan[], matches: readonly MatchRange[], width: number, wrap: boolean, offset = 0): RowSegment[][] {
  const w = Math.max(1, width);
  if (wrap) {
    const rows: RowSegment[][] = [];
    for (let at = 0; at < text.length || rows.length === 0; at += w) rows.push(segmentsBetween(text, spans, matches, at, Math.min(text.length, at + w)));
    return rows;
  }
  const cutLeft = offset > 0 && text.length > 0;
  const cutRight = text.length > offset + w;
  if (!cutLeft && !cutRight) return [segmentsBetween(text, spans, matches, 0, text.length)];
  // A marker takes the edge column it stands for.
  const from = Math.min(text.length, offset + (cutLeft ? 1 : 0));
  const to = Math.min(text.length, offset + w - (cutRight ? 1 : 0));
  const row = segmentsBetween(text, spans, matches, from, Math.max(from, to));
  return [[...(cutLeft ? [{ text: CUT_LEFT, match: false, marker: true }] : []), ...row, ...(cutRight ? [{ text: CUT_RIGHT, match: false, marker: true }] : [])]];
}

/** How far right the view can scroll and still show the end of the longest of `lines`. */
export function maxOffset(lines: readonly { text: string }[], width: number): number {
  let longest = 0;
  for (const l of lines) longest = Math.max(longest, l.text.length);
  return Math.max(0, longest - Math.max(1, width) + 1);
}

/** Half a screen sideways (as less -S), never past the left edge nor further right than the longest of `lines` needs. */
export function sidewaysOffset(offset: number, dir: 1 | -1, lines: readonly { text: string }[], width: number): number {
  const step = Math.max(1, Math.floor(Math.max(1, width) / 2));
  return Math.max(0, Math.min(offset + dir * step, Math.max(offset, maxOffset(lines, width))));
}

/** The sideways scroll that shows `match` (the current one kept when it shows the match already). */
export function offsetShowing(match: MatchRange | undefined, offset: number, width: number): number {
  const w = Math.max(1, width);
  // The edge columns hold the markers when cut.
  if (!match || (match.start >= offset + (offset > 0 ? 1 : 0) && match.end <= offset + w - 1)) return offset;
  return match.end <= w - 1 ? 0 : Math.max(0, match.start - Math.floor(w / 4));
}
