// Owns the terminal's state while the TUI runs: the alternate screen, the cursor and raw
// mode, and puts all of it back on every way out — normal exit, an uncaught error, SIGTERM,
// SIGHUP — so a crash never leaves the user's shell in a broken terminal.
import fs from 'node:fs';
import { BRACKETED_PASTE_OFF, BRACKETED_PASTE_ON, CLEAR_SCREEN, ENTER_ALT_SCREEN, HIDE_CURSOR, LEAVE_ALT_SCREEN, RESET_ATTRIBUTES, SHOW_CURSOR } from './escapes.js';

export class Screen {
  private entered = false;
  private readonly cleanups: Array<() => void> = [];

  constructor(private readonly stdin: NodeJS.ReadStream, private readonly stdout: NodeJS.WriteStream) {}

  enter(): void {
    this.writeNow(ENTER_ALT_SCREEN + CLEAR_SCREEN + HIDE_CURSOR + BRACKETED_PASTE_ON);
    this.entered = true;
  }

  /** Back to the main screen as the user left it. Safe to call twice, and from an 'exit' handler. */
  leave(): void {
    if (!this.entered) return;
    this.entered = false;
    if (this.stdin.isTTY) {
      try {
        this.stdin.setRawMode(false);
      } catch {
        // stdin already closed: nothing to restore
      }
    }
    this.writeNow(BRACKETED_PASTE_OFF + RESET_ATTRIBUTES + SHOW_CURSOR + LEAVE_ALT_SCREEN);
  }

  /** Stops the process as a shell's job (Ctrl-Z) with the terminal as the user's shell wants it;
   *  returns once the job is continued (fg), the caller then enters again and redraws. */
  suspendProcess(): void {
    this.leave();
    // The stop happens inside this call: it returns only when SIGCONT continued the process.
    // (In an orphaned process group the kernel discards SIGTSTP, and it returns at once.)
    process.kill(process.pid, 'SIGTSTP');
  }

  clear(): void {
    this.writeNow(CLEAR_SCREEN);
  }

  /** Restores the terminal on crash and on termination signals until `release()`. */
  guard(onFatal: (error: unknown) => void): void {
    const onExit = () => this.leave();
    const onSignal = (signal: NodeJS.Signals) => {
      this.leave();
      process.exit(128 + (signal === 'SIGTERM' ? 15 : signal === 'SIGHUP' ? 1 : 2));
    };
    const onError = (error: unknown) => {
      this.leave();
      onFatal(error);
    };
    process.on('exit', onExit);
    for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.on(signal, onSignal);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    this.cleanups.push(() => {
      process.off('exit', onExit);
      for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) process.off(signal, onSignal);
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    });
  }

  release(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  // Synchronous, so it still happens when the process is about to exit.
  private writeNow(text: string): void {
    const fd = (this.stdout as { fd?: number }).fd;
    if (typeof fd === 'number') {
      try {
        fs.writeSync(fd, text);
        return;
      } catch {
        // fall back to the stream
      }
    }
    this.stdout.write(text);
  }
}
