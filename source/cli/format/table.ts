// Columns the way docker prints them (Go tabwriter: minwidth 10, padding 3, last column unpadded).
export function renderTable(header: string[], rows: string[][], { minWidth = 10, padding = 3 } = {}): string {
  const all = [header, ...rows];
  const widths = header.map((_, col) =>
    Math.max(minWidth, ...all.map((row) => displayWidth(row[col] ?? '') + padding)),
  );
  return all
    .map((row) =>
      row
        .map((cell, col) => (col === row.length - 1 ? cell : cell + ' '.repeat(widths[col] - displayWidth(cell))))
        .join('')
        .trimEnd(),
    )
    .join('\n') + '\n';
}

// Code points, not UTF-16 units, so "…" counts as one column.
function displayWidth(text: string): number {
  return [...text].length;
}
