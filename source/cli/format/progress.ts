// Per-layer progress as docker prints it during pull and push. On a terminal: one line per
// layer, redrawn in place at most ten times a second ("a29f6372c408: Downloading [==>   ]
// 3.1MB/50MB"). Otherwise: a plain line each time a layer's state changes, never the byte counts.
import { humanSize } from '../../engine/format/size.js';

interface Row {
  action: string;
  current: number;
  total: number;
}

const BAR_WIDTH = 50;
const REDRAW_MS = 100;
const BYTE_ACTIONS = new Set(['Downloading', 'Pushing', 'Compressing', 'Extracting']);

export class ProgressView {
  private readonly rows = new Map<string, Row>();
  private drawn = 0; // lines currently on screen (terminal mode)
  private timer?: NodeJS.Timeout;
  private dirty = false;

  constructor(private readonly out: NodeJS.WritableStream, private readonly tty: boolean) {}

  update(id: string, action: string, current: number, total: number): void {
    const row = this.rows.get(id);
    const changed = row?.action !== action;
    this.rows.set(id, { action, current, total });
    if (this.tty) {
      this.dirty = true;
      if (this.drawn === 0 || this.rows.size !== this.drawn) this.redraw(); // a new layer shows at once
      this.timer ??= setInterval(() => this.redraw(), REDRAW_MS);
    } else if (changed && !BYTE_ACTIONS.has(action)) {
      this.out.write(`${id}: ${action}\n`);
    }
  }

  /** Final state on screen; the caller prints its closing lines after this. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) this.redraw();
  }

  private redraw(): void {
    if (!this.dirty) return;
    this.dirty = false;
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    for (const [id, row] of this.rows) text += `\x1b[2K${line(id, row)}\n`;
    this.drawn = this.rows.size;
    this.out.write(text);
  }
}

function line(id: string, row: Row): string {
  if (!BYTE_ACTIONS.has(row.action) || row.total <= 0) return `${id}: ${row.action}`;
  const filled = Math.min(BAR_WIDTH, Math.floor((row.current / row.total) * BAR_WIDTH));
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR_WIDTH - filled)}]`;
  return `${id}: ${row.action.padEnd(11)} ${bar} ${humanSize(row.current)}/${humanSize(row.total)}`;
}
