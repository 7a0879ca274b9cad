// What every verb gets: the resolved global options and a lazily opened engine, closed by main.
import type { EngineApi } from '../engine/api.js';
import type { GlobalOptions } from './globals.js';

// The standard streams are here rather than taken from `process` so tests can run a verb
// against a fake engine and read what it printed.
export interface CliStreams {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export type EngineOpener = (options: { root: string; runtimeDir: string }) => Promise<EngineApi>;

export class CliContext implements CliStreams {
  private enginePromise?: Promise<EngineApi>;
  private openEngine?: EngineOpener;
  private readonly streams: CliStreams;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;

  constructor(
    readonly globals: GlobalOptions,
    streams: CliStreams = process,
  ) {
    this.streams = streams;
    this.stdout = streams.stdout;
    this.stderr = streams.stderr;
  }

  // process.stdin builds a stream on first touch: only verbs that read it pay for that
  get stdin(): NodeJS.ReadStream {
    return this.streams.stdin;
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
