// docker's JSON message stream (pull, push, load, build, import): one JSON object a line;
// a failure after the 200 went out is an {"errorDetail": …, "error": …} line.
import type { Writable } from 'node:stream';
import type { EngineApi, EngineEvent } from '../engine/api.js';
import type { Call } from './call.js';

export class JsonStream {
  private readonly out: Writable;

  constructor(call: Call) {
    this.out = call.reply.stream(200, 'application/json');
  }

  write(message: object): void {
    if (this.out.writable) this.out.write(JSON.stringify(message) + '\n');
  }

  status(status: string, id?: string): void {
    this.write(id === undefined ? { status } : { status, id });
  }

  error(err: unknown): void {
    const message = (err as Error)?.message ?? String(err);
    this.write({ errorDetail: { message }, error: message });
  }

  end(): void {
    if (this.out.writable) this.out.end();
  }
}

const BYTE_ACTIONS = new Set(['Downloading', 'Pushing', 'Extracting', 'Compressing']);

/** The engine's per-layer progress events as docker's progress messages, while `fn` runs. */
export async function withProgress<T>(engine: EngineApi, stream: JsonStream, fn: () => Promise<T>): Promise<T> {
  const off = engine.on((e: EngineEvent) => {
    if (e.type !== 'progress') return;
    if (BYTE_ACTIONS.has(e.action) && e.total > 0) {
      stream.write({ status: e.action, progressDetail: { current: e.current, total: e.total }, progress: bar(e.current, e.total), id: e.id });
    } else {
      stream.write({ status: e.action, progressDetail: {}, id: e.id });
    }
  });
  try {
    return await fn();
  } finally {
    off();
  }
}

function bar(current: number, total: number): string {
  const width = 50;
  const filled = Math.min(width, Math.floor((current / total) * width));
  const arrow = filled < width ? '>' : '';
  return `[${'='.repeat(Math.max(0, filled - (arrow ? 1 : 0)))}${arrow}${' '.repeat(width - filled)}] ${current}B/${total}B`;
}
