// Literal, smart-case text search (as less -i): lower-case queries ignore case, a query with a
// capital letter matches case exactly. Literal rather than regex so no query is ever an error.

export interface MatchRange {
  start: number;
  end: number;
}

export interface TextMatcher {
  query: string;
  test(text: string): boolean;
  ranges(text: string): MatchRange[];
}

export function textMatcher(query: string): TextMatcher | undefined {
  if (query === '') return undefined;
  const caseSensitive = query !== query.toLowerCase();
  const needle = caseSensitive ? query : query.toLowerCase();
  const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
  return {
    query,
    test: (text) => fold(text).includes(needle),
    ranges(text) {
      const hay = fold(text);
      const out: MatchRange[] = [];
      for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + needle.length)) {
        out.push({ start: at, end: at + needle.length });
      }
      return out;
    },
  };
}

/** Splits text into plain and matched segments, for highlighting. */
export function splitByMatches(text: string, ranges: MatchRange[]): Array<{ text: string; match: boolean }> {
  const parts: Array<{ text: string; match: boolean }> = [];
  let at = 0;
  for (const r of ranges) {
    if (r.start > at) parts.push({ text: text.slice(at, r.start), match: false });
    parts.push({ text: text.slice(r.start, r.end), match: true });
    at = r.end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false });
  return parts;
}

export interface Segment {
  text: string;
  match: boolean;
}

/** Cuts highlighted segments into screen rows of `width` columns (one row, cut, when not wrapping). */
export function segmentsToRows(segments: readonly Segment[], width: number, wrap: boolean): Segment[][] {
  const rows: Segment[][] = [[]];
  let used = 0;
  for (const seg of segments) {
    let rest = seg.text;
    while (rest.length > 0) {
      if (used >= width) {
        if (!wrap) return rows;
        rows.push([]);
        used = 0;
      }
      const take = rest.slice(0, width - used);
      rows[rows.length - 1].push({ text: take, match: seg.match });
      used += take.length;
      rest = rest.slice(take.length);
    }
  }
  return rows;
}
