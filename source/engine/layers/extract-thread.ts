// extractLayer on a worker thread, for big layers: gunzip, the diffID hash, tar parsing and the
// file creation then run beside the main thread's download (socket, blob hash and write) instead
// of taking turns with it on one thread. The worker runs the very same extractLayer
// (extract-worker.ts); this side only feeds it bytes and hands back its result or its error.
//
// A few workers are kept per process and each extracts any number of layers at once, so that the
// JIT warms up once, not per layer; an idle one is stopped after a moment and never holds the
// process open. Bytes go across through a ring per layer (a SharedArrayBuffer this side copies
// socket chunks into), so the main thread allocates nothing per chunk. Whatever happens, the
// worker has finished with `into` (no more writes) before extractLayerOffThread returns or
// throws: the caller may then remove `into` at once.
import os from 'node:os';
import { Writable, pipeline } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import type { ByteSource } from './decompress.js';
import type { ExtractResult } from './extract.js';

export type ToExtractThread =
  | { id: number; into: string; ring: SharedArrayBuffer; maxBytes: number }
  | { id: number; available: number } // bytes put into the ring so far
  | { id: number; end: true }
  | { id: number; cancel: true };
export type FromExtractThread =
  | { id: number; freed: number }
  | { id: number; done: ExtractResult }
  | { id: number; failed: { message: string; code: EngineError['code'] } };

const RING = 4 << 20; // per layer: the most sent and not yet taken by its extraction
const NOTIFY = 256 << 10; // tell the worker about new bytes in steps of this much (and at the end)
// More threads than cores only adds contention (3 on 2 cores measured 1.72 s vs 1.53 s a pull).
const THREADS = Math.min(3, Math.max(1, os.availableParallelism()));
const IDLE_MS = 2000;

interface Job {
  freed(n: number): void;
  settle(outcome: { done: ExtractResult } | { failed: Error }): void;
}

class ExtractThread {
  readonly jobs = new Map<number, Job>();
  private readonly worker: Worker;
  private idle: NodeJS.Timeout | undefined;
  dead = false;

  constructor(private readonly onExit: (t: ExtractThread) => void) {
    this.worker = startWorker();
    this.worker.on('message', (message: FromExtractThread) => {
      const job = this.jobs.get(message.id);
      if (job === undefined) return;
      if ('freed' in message) job.freed(message.freed);
      else if ('done' in message) job.settle({ done: message.done });
      else job.settle({ failed: new EngineError(message.failed.message, message.failed.code) });
    });
    const fail = (err: Error) => {
      this.dead = true; // a worker that is gone writes nothing more: its jobs can be failed at once
      for (const job of [...this.jobs.values()]) job.settle({ failed: err });
      this.onExit(this);
    };
    this.worker.on('error', (err) => fail(new EngineError(`layer extraction thread failed: ${err.message}`, 'internal')));
    this.worker.on('exit', (code) => fail(new EngineError(`layer extraction thread exited (status ${code})`, 'internal')));
    this.worker.unref();
    this.stopWhenIdle(); // started ahead (warmExtractThreads) and never used: stopped all the same
  }

  post(message: ToExtractThread): void {
    if (!this.dead) this.worker.postMessage(message);
  }

  add(id: number, job: Job): void {
    clearTimeout(this.idle);
    if (this.jobs.size === 0) this.worker.ref(); // a layer being extracted keeps the process alive
    this.jobs.set(id, job);
  }

  remove(id: number): void {
    this.jobs.delete(id);
    if (this.jobs.size > 0 || this.dead) return;
    this.worker.unref();
    this.stopWhenIdle();
  }

  private stopWhenIdle(): void {
    this.idle = setTimeout(() => {
      this.dead = true;
      this.onExit(this);
      void this.worker.terminate();
    }, IDLE_MS);
    this.idle.unref();
  }
}

const threads: ExtractThread[] = [];
let nextId = 1;

function thread(fresh = false): ExtractThread {
  // an idle thread (one started ahead) before a new one; a new one before sharing a busy one
  const leastBusy = threads.length === 0 ? undefined : threads.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
  if (!fresh && leastBusy !== undefined && (leastBusy.jobs.size === 0 || threads.length >= THREADS)) return leastBusy;
  const created = new ExtractThread((t) => {
    const i = threads.indexOf(t);
    if (i >= 0) threads.splice(i, 1);
  });
  threads.push(created);
  return created;
}

/**
 * Starts up to `layers` extraction threads now (no more than the usual number), so that a pull
 * that will need them does not wait for their start (~40 ms: a thread, its V8, its modules)
 * once its first bytes arrive. Unused, they stop after the usual idle time.
 */
export function warmExtractThreads(layers: number): void {
  while (threads.length < Math.min(layers, THREADS)) thread(true);
}

/** As extractLayer, on a worker thread. */
export async function extractLayerOffThread(source: ByteSource, into: string, maxBytes = Infinity): Promise<ExtractResult> {
  const id = nextId++;
  const worker = thread();
  const ring = new SharedArrayBuffer(RING);
  const bytes = Buffer.from(ring); // Buffer.copy is a plain memmove; TypedArray.set on shared memory copies far slower
  let written = 0;
  let freed = 0;
  let notified = 0;
  let wakeWriter: (() => void) | undefined;
  let settled = false;
  const finished = new Promise<ExtractResult>((resolve, reject) => {
    worker.add(id, {
      freed(n) {
        freed += n;
        wakeWriter?.();
      },
      settle(outcome) {
        if (settled) return;
        settled = true;
        worker.remove(id);
        wakeWriter?.();
        if ('done' in outcome) resolve(outcome.done);
        else reject(outcome.failed);
      },
    });
  });
  finished.catch(() => { /* awaited below */ });
  worker.post({ id, into, ring, maxBytes });

  const notify = () => {
    if (written === notified) return;
    notified = written;
    worker.post({ id, available: written });
  };
  const put = async (chunk: Buffer) => {
    for (let offset = 0; offset < chunk.length;) {
      if (settled) throw new EngineError('layer extraction ended before its input did', 'internal');
      const space = RING - (written - freed);
      if (space === 0) {
        notify(); // all of it, or the worker might wait for bytes while we wait for space
        await new Promise<void>((resolve) => { wakeWriter = resolve; });
        wakeWriter = undefined;
        continue;
      }
      const at = written % RING;
      const n = Math.min(chunk.length - offset, space, RING - at);
      chunk.copy(bytes, at, offset, offset + n);
      offset += n;
      written += n;
    }
    if (written - notified >= NOTIFY) notify();
  };
  const sink = new Writable({
    highWaterMark: 0,
    write(chunk: Buffer, _encoding, done) {
      put(chunk).then(() => done(), done);
    },
    final(done) {
      notify();
      worker.post({ id, end: true });
      done();
    },
  });

  // Fed through a Writable, not an async iterator: a stream's iterator would concatenate whatever
  // is buffered (a copy per read); 'data' events hand over each chunk as it came.
  const feeding = new Promise<void>((resolve, reject) => {
    pipeline(source as NodeJS.ReadableStream, sink, (err) => (err ? reject(err) : resolve()));
  });
  const first = await Promise.race([
    finished.then((result) => ({ result }), (failed: Error) => ({ failed })),
    feeding.then(() => undefined, (inputError: unknown) => ({ inputError })),
  ]);
  if (first === undefined) return finished; // all sent: the extraction's outcome is the answer
  if ('result' in first) return first.result;
  if ('failed' in first) {
    sink.destroy(); // and with it the source, which may be a slow pipe nobody reads any more
    throw first.failed;
  }
  // The input failed: stop the extraction and wait until it has stopped writing.
  worker.post({ id, cancel: true });
  await finished.catch(() => { /* cancelled, or failed on its own: the input's failure explains it */ });
  if (first.inputError instanceof EngineError) throw first.inputError;
  throw new EngineError(`cannot read the layer: ${(first.inputError as Error).message}`, 'internal');
}

function startWorker(): Worker {
  // bundled, the worker is dist/extract-worker.mjs beside this chunk (scripts/build.mjs)
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./extract-worker.mjs', import.meta.url));
  // Running from source under tsx: a worker does not get tsx's loader (Node 20 refuses the .ts
  // entry with "Unknown file extension", even with --import tsx in execArgv): it registers it first.
  const entry = new URL('./extract-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true });
}
