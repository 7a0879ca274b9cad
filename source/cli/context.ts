// What every verb gets: the resolved global options and a lazily opened engine, closed by main.
import type { EngineApi } from '../engine/api.js';
import type { GlobalOptions } from './globals.js';
import { writeStdoutSync } from './stdout-sync.js';

// The standard streams are here rather than taken from `process` so tests can run a verb
// against a fake engine and read what it printed.
export interface CliStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export type EngineOpener = (options: { root: string; runtimeDir: string }) => Promise<EngineApi>;

/**
 * Which of the process's own stdout and stderr a verb has used: main flushes those before exit.
 * Names, not the streams: asking `process.stdout` whether it was used would build it.
 */
export const usedProcessStreams = new Set<'stdout' | 'stderr'>();

export class CliContext implements CliStreams {
  private enginePromise?: Promise<EngineApi>;
  private openEngine?: EngineOpener;
  private readonly streams: CliStreams;

  constructor(
    readonly globals: GlobalOptions,
    streams: CliStreams = process,
  ) {
    this.streams = streams;
  }

  // process.stdin, stdout and stderr each build a stream on first touch (Node's stream modules,
  // ~2.7 ms for the first): only verbs that use one pay for it
  get stdin(): NodeJS.ReadStream {
    return this.streams.stdin;
  }

  get stdout(): NodeJS.WriteStream {
    return this.stream('stdout');
  }

  get stderr(): NodeJS.WriteStream {
    return this.stream('stderr');
  }

  /** Prints output made in one piece: on the real stdout without building its stream. */
  print(text: string): void {
    if (this.streams === process && !usedProcessStreams.has('stdout')) writeStdoutSync(text);
    else this.stdout.write(text);
  }

  private stream(name: 'stdout' | 'stderr'): NodeJS.WriteStream {
    const stream = this.streams[name];
    if (this.streams === process && !usedProcessStreams.has(name)) {
      usedProcessStreams.add(name);
      // `strata logs | head -1` closes our stdout early: that is not an error worth a stack trace
      if (name === 'stdout') stream.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); });
    }
    return stream;
  }

  // The verb's bundle already holds the engine: opening it from there loads nothing more.
  useEngine(openEngine: EngineOpener): void {
    this.openEngine = openEngine;
  }

  engine(): Promise<EngineApi> {
    const options = { root: this.globals.root, runtimeDir: this.globals.runtimeDir };
    this.enginePromise ??= this.openEngine ? this.openEngine(options) : import('../engine/engine.js').then(({ openEngine }) => openEngine(options));
    return this.enginePromise;
  }

  async close(): Promise<void> {
    if (!this.enginePromise) return;
    const engine = await this.enginePromise.catch(() => undefined);
    await engine?.close();
  }
}

export type VerbMain = (verb: string, argv: string[], ctx: CliContext) => Promise<number>;
