// Columns the way docker prints them (Go tabwriter: minwidth 10, padding 3, last column unpadded).
export function renderTable(header: string[], rows: string[][], { minWidth = 10, padding = 3 } = {}): string {
  const all = [header, ...rows];
  const cellWidths = all.map((row) => row.map(displayWidth));
  const widths = header.map((_, col) => {
    let width = minWidth;
    for (const row of cellWidths) width = Math.max(width, (row[col] ?? 0) + padding);
    return width;
  });
  let out = '';
  for (let r = 0; r < all.length; r++) {
    const row = all[r];
    let line = '';
    for (let col = 0; col < row.length; col++) {
      line += col === row.length - 1 ? row[col] : row[col] + ' '.repeat(widths[col] - cellWidths[r][col]);
    }
    out += `${line.trimEnd()}\n`;
  }
  return out;
}

// Code points, not UTF-16 units, so "…" counts as one column. The regexes run natively: a
// loop over characters in JS costs `ps` a millisecond before the code is optimized.
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
function displayWidth(text: string): number {
  if (!/[\uD800-\uDBFF]/.test(text)) return text.length;
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}
