// Our side of an attached session (run, start -a, attach): raw mode for a tty, stdin forwarding
// with docker's detach keys (ctrl-p ctrl-q), resize on SIGWINCH, and signal proxying. Whatever
// way the session ends, the terminal is put back as it was.
import { PassThrough, Writable } from 'node:stream';
import type { AttachHandle, AttachStreams, EngineApi } from '../engine/api.js';
import type { CliStreams } from './context.js';

const DEFAULT_DETACH_KEYS = [0x10, 0x11]; // ctrl-p ctrl-q
const PROXIED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

export interface SessionOptions {
  tty: boolean; // the container has a tty
  interactive: boolean; // forward our stdin
  detachKeys?: number[]; // --detach-keys (default ctrl-p ctrl-q)
  sigProxy?: boolean; // --sig-proxy=false: our signals stay ours (default true)
  attach?: Array<'stdin' | 'stdout' | 'stderr'>; // -a: only these streams (default stdout and stderr)
}

const discard = () => new Writable({ write: (_chunk, _enc, done) => done() });

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
    const wanted = (name: 'stdout' | 'stderr') => !this.opts.attach || this.opts.attach.includes(name);
    const streams: AttachStreams = { stdout: wanted('stdout') ? this.io.stdout : discard(), stderr: wanted('stderr') ? this.io.stderr : discard() };
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
    if (!this.rawMode && this.opts.sigProxy !== false) {
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
    const keys = this.opts.detachKeys ?? DEFAULT_DETACH_KEYS;
    let held = 0; // how many bytes of the key sequence were typed so far (held back)
    const onData = (chunk: Buffer) => {
      const out: number[] = [];
      for (const byte of chunk) {
        if (byte !== keys[held] && held > 0) {
          out.push(...keys.slice(0, held)); // not the sequence after all: what was held goes on
          held = 0;
        }
        if (byte !== keys[held]) out.push(byte);
        else if (++held === keys.length) {
          this.detachRequested();
          return;
        }
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
