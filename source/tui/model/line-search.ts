// Searching a list of lines the way less does: the lines that match, the next one after (or
// before) where the view is, wrapping at the ends, and where to scroll so it shows.
import type { TextMatcher } from './text-search.js';

export function matchingLines(lines: readonly string[], matcher: TextMatcher | undefined): number[] {
  if (!matcher) return [];
  const out: number[] = [];
  lines.forEach((line, i) => {
    if (matcher.test(line)) out.push(i);
  });
  return out;
}

/** The first matching line after `from` (direction 1) or before it (-1), wrapping around; undefined when none matches. */
export function nextMatch(matches: readonly number[], from: number, direction: 1 | -1): number | undefined {
  if (matches.length === 0) return undefined;
  if (direction === 1) return matches.find((m) => m > from) ?? matches[0];
  for (let i = matches.length - 1; i >= 0; i--) if (matches[i] < from) return matches[i];
  return matches[matches.length - 1];
}

/** The first matching line at or after `from`, wrapping: where typing a query jumps. */
export function firstMatchFrom(matches: readonly number[], from: number): number | undefined {
  return matches.find((m) => m >= from) ?? matches[0];
}

/** The top line that shows `line` a third of the way down the view, kept within the text. */
export function offsetShowing(line: number, view: number, total: number): number {
  const last = Math.max(0, total - view);
  return Math.max(0, Math.min(last, line - Math.floor(view / 3)));
}

/** Lines cut into rows of `width` columns, as a terminal wraps them, so a long value reads whole. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const w = Math.max(1, width);
  return lines.flatMap((line) => {
    if (line.length <= w) return [line];
    const rows: string[] = [];
    for (let at = 0; at < line.length; at += w) rows.push(line.slice(at, at + w));
    return rows;
  });
}
