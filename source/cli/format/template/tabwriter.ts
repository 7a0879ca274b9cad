// Go's text/tabwriter (docker's copy): tab-terminated cells aligned in column blocks, each
// column as wide as its widest cell plus padding, at least minWidth; the last cell of a line
// is not part of a column. docker's tables use (minWidth 10, padding 3).
export function tabwrite(text: string, minWidth: number, padding: number): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];
  const width = (s: string) => [...s].length;

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i];
      cells.forEach((cell, j) => {
        out.push(cell);
        if (j < widths.length && j < cells.length - 1) out.push(' '.repeat(Math.max(0, widths[j] - width(cell))));
      });
      if (i + 1 < lines.length) out.push('\n');
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= lines[row].length - 1) continue;
      writeLines(line0, row);
      line0 = row;
      let w = minWidth;
      for (; row < line1 && column < lines[row].length - 1; row++) w = Math.max(w, width(lines[row][column]) + padding);
      widths.push(w);
      format(line0, row);
      widths.pop();
      line0 = row;
      row--; // the loop's row++ must look at this row again
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('');
}
