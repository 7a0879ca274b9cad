// Drives a program in a real pseudo-terminal and reads its screen through a headless
// terminal emulator: what a user would see, for end-to-end tests and media captures.
import * as pty from 'node-pty';
import xterm from '@xterm/headless';

export interface PtyScreenOptions {
  cols?: number;
  rows?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  keepRaw?: boolean; // everything written, kept in `raw` (default); off for hour-long runs
}

export class PtyScreen {
  readonly term: xterm.Terminal;
  readonly process: pty.IPty;
  raw = '';
  exitCode?: number;
  readonly exited: Promise<number>;

  constructor(file: string, args: string[], options: PtyScreenOptions = {}) {
    const cols = options.cols ?? 110;
    const rows = options.rows ?? 30;
    this.term = new xterm.Terminal({ cols, rows, allowProposedApi: true });
    const env = Object.fromEntries(Object.entries({ ...process.env, TERM: 'xterm-256color', ...options.env }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    // Ink draws nothing when it believes it runs in CI; a terminal user is what we imitate.
    delete env.CI;
    delete env.CONTINUOUS_INTEGRATION;
    this.process = pty.spawn(file, args, { cols, rows, env, cwd: options.cwd ?? process.cwd(), name: 'xterm-256color' });
    const keepRaw = options.keepRaw ?? true;
    this.process.onData((data) => {
      if (keepRaw) this.raw += data;
      this.term.write(data);
    });
    this.exited = new Promise((resolve) => this.process.onExit(({ exitCode }) => {
      this.exitCode = exitCode;
      resolve(exitCode);
    }));
  }

  /** The visible screen as text, one line per row, trailing spaces trimmed. */
  text(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < this.term.rows; i++) lines.push(buffer.getLine(buffer.viewportY + i)?.translateToString(true) ?? '');
    return lines.join('\n');
  }

  /** The row a table highlights (drawn in inverse video), trimmed; the top line is never one. */
  selectedRow(): string | undefined {
    const buffer = this.term.buffer.active;
    for (let y = 1; y < this.term.rows; y++) {
      const line = buffer.getLine(buffer.viewportY + y);
      if (line?.getCell(0)?.isInverse()) return line.translateToString(true).trim();
    }
    return undefined;
  }

  /** Whether the terminal shows the alternate screen now. */
  onAltScreen(): boolean {
    return this.term.buffer.active.type === 'alternate';
  }

  write(keys: string): void {
    this.process.write(keys);
  }

  resize(cols: number, rows: number): void {
    this.process.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** Waits until the screen satisfies `test` (a string it contains, or a predicate). */
  async waitFor(test: string | RegExp | ((text: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const check = typeof test === 'string' ? (t: string) => t.includes(test) : test instanceof RegExp ? (t: string) => test.test(t) : test;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Let the emulator parse what arrived before reading it.
      await new Promise<void>((resolve) => this.term.write('', resolve));
      const text = this.text();
      if (check(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(test)}; screen:\n${text}`);
      if (this.exitCode !== undefined) throw new Error(`exited (${this.exitCode}) while waiting for ${String(test)}; screen:\n${text}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Keys one by one with a pause between, as typed (a chunk of text may be one "key"). */
  async press(...keys: string[]): Promise<void> {
    for (const key of keys) {
      this.write(key);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }

  /**
   * Resolves with performance.now() at the moment the screen satisfies `test`, checked as each
   * chunk of output is parsed (no polling interval to blur a latency measurement).
   */
  when(test: (text: string) => boolean, timeoutMs = 5000): Promise<number> {
    return new Promise((resolve, reject) => {
      let done = false;
      const check = () => this.term.write('', () => {
        if (done || !test(this.text())) return;
        done = true;
        sub.dispose();
        clearTimeout(timer);
        resolve(performance.now());
      });
      const sub = this.process.onData(check);
      const timer = setTimeout(() => {
        done = true;
        sub.dispose();
        reject(new Error(`the screen did not change in ${timeoutMs} ms:\n${this.text()}`));
      }, timeoutMs);
      check();
    });
  }

  kill(): void {
    if (this.exitCode === undefined) this.process.kill();
  }
}
