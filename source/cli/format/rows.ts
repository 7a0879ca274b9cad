// `--format` for listing verbs: 'json' (one object per line), a Go template per row, or the
// table ('table' or no format). Checked before the engine is asked, so a bad template fails fast.
import { checkTemplate, renderTemplate } from './template.js';

export function checkRowFormat(format: string | undefined): void {
  if (format && format !== 'json' && format !== 'table') checkTemplate(format);
}

export function formatRows(format: string | undefined, rows: object[], table: () => string): string {
  if (format === 'json') return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
  if (format && format !== 'table') return rows.map((r) => `${renderTemplate(format, r)}\n`).join('');
  return table();
}
