// The stream Ink draws to: the real stdout, except that it can be muted while a shell owns
// the terminal (so a late frame cannot land on the shell's screen), and resize events reach
// Ink only after the screen was cleared for a full redraw.
import { EventEmitter } from 'node:events';

export class InkOutput extends EventEmitter {
  readonly isTTY = true;
  private muted = false;
  private readonly onResize = () => {
    if (!this.muted) this.emit('resize');
  };

  constructor(private readonly target: NodeJS.WriteStream) {
    super();
    target.on('resize', this.onResize);
  }

  get columns(): number {
    return this.target.columns || 80;
  }

  get rows(): number {
    return this.target.rows || 24;
  }

  write(chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: () => void): boolean {
    const done = typeof encodingOrCallback === 'function' ? (encodingOrCallback as () => void) : callback;
    if (this.muted) {
      done?.();
      return true;
    }
    return this.target.write(chunk, done);
  }

  mute(): void {
    this.muted = true;
  }

  unmute(): void {
    this.muted = false;
  }

  dispose(): void {
    this.target.off('resize', this.onResize);
  }

  asWriteStream(): NodeJS.WriteStream {
    return this as unknown as NodeJS.WriteStream;
  }
}
