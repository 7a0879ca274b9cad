// `--format` for listing verbs: 'json' (one object per line), a Go template per row, or the
// table ('table' or no format). Checked before the engine is asked, so a bad template fails fast.
import { checkTemplate, renderRows } from './template.js';

export function checkRowFormat(format: string | undefined): void {
  if (format && format !== 'json' && format !== 'table') checkTemplate(format);
}

/** `header`: docker's column names, for a `table {{.A}}\t{{.B}}` format's header row. */
export function formatRows(format: string | undefined, rows: object[], table: () => string, header?: Record<string, string>): string {
  if (format === 'json') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  if (format && format !== 'table') return renderRows(format, rows, header);
  return table();
}
