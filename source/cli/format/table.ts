// Columns the way docker prints them (Go tabwriter: minwidth 10, padding 3, last column unpadded).
// Built as one list of pieces joined once, with the padding taken from shared strings: `ps`
// prints 200 rows of this before V8 has optimized anything, and a string per cell and per line
// was enough garbage to cost it a young-generation collection.
export function renderTable(header: string[], rows: string[][], { minWidth = 10, padding = 3 } = {}): string {
  const all = [header, ...rows];
  // counting UTF-16 units is right unless a cell holds a surrogate pair, which one native
  // search of the whole output finds
  const fast = layout(all, header.length, minWidth, padding, false);
  return HIGH_SURROGATE.test(fast) ? layout(all, header.length, minWidth, padding, true) : fast;
}

function layout(all: string[][], columns: number, minWidth: number, padding: number, wide: boolean): string {
  const widths: number[] = new Array(columns).fill(minWidth);
  for (const row of all) {
    for (let col = 0; col < columns - 1; col++) {
      const width = (wide ? displayWidth(row[col] ?? '') : (row[col] ?? '').length) + padding;
      if (width > widths[col]) widths[col] = width;
    }
  }
  const pieces: string[] = [];
  for (const row of all) {
    // cells after the last non-blank one add only trailing blanks, which docker trims
    let last = Math.min(row.length, columns) - 1;
    while (last > 0 && trimEnd(row[last] ?? '') === '') last--;
    for (let col = 0; col < last; col++) {
      const cell = row[col] ?? '';
      pieces.push(cell, blanks(widths[col] - (wide ? displayWidth(cell) : cell.length)));
    }
    pieces.push(trimEnd(row[last] ?? ''), '\n');
  }
  return pieces.join('');
}

const BLANKS: string[] = [];
function blanks(n: number): string {
  return (BLANKS[n] ??= ' '.repeat(n));
}

// most cells end in a printable ASCII character: no regex and no new string for them
function trimEnd(text: string): string {
  const end = text.charCodeAt(text.length - 1);
  if (end > 32 && end < 127) return text;
  return text.trimEnd();
}

// Code points, not UTF-16 units, so "…" counts as one column. The regexes run natively: a
// loop over characters in JS costs `ps` a millisecond before the code is optimized.
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
function displayWidth(text: string): number {
  if (!HIGH_SURROGATE.test(text)) return text.length;
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}
