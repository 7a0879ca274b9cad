// A CLI context on a real engine whose standard streams are collected, to call a verb's main
// in-process and read what it printed.
import { PassThrough, Writable } from 'node:stream';
import type { EngineApi } from '../../source/engine/api.js';
import { CliContext, type CliStreams } from '../../source/cli/context.js';

export class Collector extends Writable {
  text = '';
  isTTY = false;
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

export interface VerbIo {
  ctx: CliContext;
  stdin: PassThrough;
  stdout: Collector;
  stderr: Collector;
  clear(): void;
}

export function verbIo(engine: EngineApi): VerbIo {
  const stdin = new PassThrough();
  const stdout = new Collector();
  const stderr = new Collector();
  const streams = { stdin, stdout, stderr } as unknown as CliStreams;
  const ctx = new CliContext({ root: engine.options.root, runtimeDir: engine.options.runtimeDir }, streams);
  // The test's engine itself rather than a second one opened on the same store.
  ctx.engine = async () => engine;
  return { ctx, stdin, stdout, stderr, clear: () => { stdout.text = ''; stderr.text = ''; } };
}
