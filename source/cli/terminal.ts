// Our side of an attached session (run, start -a, attach): raw mode for a tty, stdin forwarding
// with docker's detach keys (ctrl-p ctrl-q), resize on SIGWINCH, and signal proxying. Whatever
// way the session ends, the terminal is put back as it was.
import { PassThrough } from 'node:stream';
import type { AttachHandle, AttachStreams, EngineApi } from '../engine/api.js';
import type { CliStreams } from './context.js';

const CTRL_P = 0x10;
const CTRL_Q = 0x11;
const PROXIED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export interface SessionOptions {
  tty: boolean; // the container has a tty
  interactive: boolean; // forward our stdin
}

export type SessionEnd = { kind: 'exited'; code: number } | { kind: 'detached' };

export class AttachSession {
  private readonly rawMode: boolean;
  private readonly cleanups: Array<() => void> = [];
  private restored = false;
  private detachRequested!: () => void;
  readonly detached = new Promise<void>((resolve) => (this.detachRequested = resolve));

  constructor(
    private readonly opts: SessionOptions,
    private readonly io: CliStreams,
  ) {
    this.rawMode = opts.tty && opts.interactive && io.stdin.isTTY === true;
  }

  streams(): AttachStreams {
    const streams: AttachStreams = { stdout: this.io.stdout, stderr: this.io.stderr };
    if (this.opts.interactive) streams.stdin = this.rawMode ? this.stdinWithDetachKeys() : this.io.stdin;
    if (this.opts.tty && this.io.stdout.isTTY) streams.resize = { rows: this.io.stdout.rows, cols: this.io.stdout.columns };
    return streams;
  }

  enter(): void {
    if (!this.rawMode) return;
    this.io.stdin.setRawMode(true);
    const restore = () => this.restore();
    process.once('exit', restore);
    this.cleanups.push(() => process.off('exit', restore));
  }

  // Runs once the engine handed back the handle: resize and signals need it.
  wire(handle: AttachHandle, engine: EngineApi, ref: string): void {
    if (this.opts.tty && this.io.stdout.isTTY) {
      const onResize = () => handle.resize(this.io.stdout.rows, this.io.stdout.columns);
      process.on('SIGWINCH', onResize);
      this.cleanups.push(() => process.off('SIGWINCH', onResize));
    }
    // In raw mode ctrl-c is a byte for the container; otherwise our signals are the container's.
    // A shell as pid 1 ignores SIGINT, so a third ctrl-c detaches rather than leave the user stuck.
    if (!this.rawMode) {
      let interrupts = 0;
      for (const signal of PROXIED_SIGNALS) {
        const forward = () => {
          if (signal === 'SIGINT' && ++interrupts >= 3) {
            this.io.stderr.write(`strata: detached; the container is still running (strata stop ${ref.slice(0, 12)})\n`);
            this.detachRequested();
            return;
          }
          void engine.killContainer(ref, signal).catch(() => undefined);
        };
        process.on(signal, forward);
        this.cleanups.push(() => process.off(signal, forward));
      }
    }
    this.detached.then(() => handle.detach(), () => undefined);
  }

  async wait(handle: AttachHandle): Promise<SessionEnd> {
    return Promise.race([
      handle.exited.then((code): SessionEnd => ({ kind: 'exited', code })),
      this.detached.then((): SessionEnd => ({ kind: 'detached' })),
    ]);
  }

  restore(): void {
    if (this.restored) return;
    this.restored = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    if (this.rawMode && this.io.stdin.isTTY) this.io.stdin.setRawMode(false);
    if (this.opts.interactive) this.io.stdin.pause();
  }

  private stdinWithDetachKeys(): NodeJS.ReadableStream {
    const forwarded = new PassThrough();
    let heldCtrlP = false;
    const onData = (chunk: Buffer) => {
      const out: number[] = [];
      for (const byte of chunk) {
        if (heldCtrlP) {
          heldCtrlP = false;
          if (byte === CTRL_Q) {
            this.detachRequested();
            return;
          }
          out.push(CTRL_P);
        }
        if (byte === CTRL_P) heldCtrlP = true;
        else out.push(byte);
      }
      if (out.length) forwarded.write(Buffer.from(out));
    };
    const onEnd = () => forwarded.end();
    this.io.stdin.on('data', onData);
    this.io.stdin.once('end', onEnd);
    this.cleanups.push(() => {
      this.io.stdin.off('data', onData);
      this.io.stdin.off('end', onEnd);
    });
    return forwarded;
  }
}
