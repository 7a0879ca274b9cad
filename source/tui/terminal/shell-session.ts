// A shell that lives in a pane: a program on a pseudo-terminal (node-pty) whose output feeds a
// headless terminal emulator (@xterm/headless), so the TUI can draw its screen in a box of any
// size beside the lists while they keep updating. Keys go in as a terminal would send them.
import xterm from '@xterm/headless';
import * as pty from 'node-pty';
import type { KeyPress } from '../keys.js';
import { keyBytes } from './key-bytes.js';

export const SHELL_SCROLLBACK_LINES = 5000;

export interface ShellSessionOptions {
  file: string;
  args: string[];
  cols: number;
  rows: number;
  onOutput: () => void; // the screen changed
  onExit: (code: number) => void;
}

export class ShellSession {
  readonly term: xterm.Terminal;
  private readonly child: pty.IPty;
  private exited = false;

  constructor(options: ShellSessionOptions) {
    const cols = Math.max(2, options.cols);
    const rows = Math.max(1, options.rows);
    this.term = new xterm.Terminal({ cols, rows, scrollback: SHELL_SCROLLBACK_LINES, allowProposedApi: true });
    this.child = pty.spawn(options.file, options.args, {
      name: 'xterm-256color',
      cols,
      rows,
      env: process.env as Record<string, string>,
    });
    this.child.onData((data) => {
      // The emulator parses asynchronously; draw once it has taken the chunk in.
      this.term.write(data, options.onOutput);
    });
    this.child.onExit(({ exitCode }) => {
      this.exited = true;
      options.onExit(exitCode);
    });
    // Answers the emulator owes the program (cursor position reports, device attributes).
    this.term.onData((answer) => this.write(answer));
  }

  get running(): boolean {
    return !this.exited;
  }

  /** Types a key press into the shell. */
  type(press: KeyPress): void {
    const modes = this.term.modes;
    const bytes = keyBytes(press, { applicationCursorKeys: modes.applicationCursorKeysMode, bracketedPaste: modes.bracketedPasteMode });
    if (bytes) {
      this.term.scrollToBottom();
      this.write(bytes);
    }
  }

  scroll(lines: number): void {
    this.term.scrollLines(lines);
  }

  resize(cols: number, rows: number): void {
    const c = Math.max(2, cols);
    const r = Math.max(1, rows);
    if (c === this.term.cols && r === this.term.rows) return;
    this.term.resize(c, r);
    if (!this.exited) this.child.resize(c, r);
  }

  /** Ends the shell (SIGHUP, as a closed terminal does) and frees the emulator. */
  close(): void {
    if (!this.exited) {
      try {
        this.child.kill('SIGHUP');
      } catch {
        // Already gone between the check and the kill.
      }
    }
    this.term.dispose();
  }

  private write(data: string): void {
    if (!this.exited) this.child.write(data);
  }
}
