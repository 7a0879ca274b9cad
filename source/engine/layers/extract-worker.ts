// The worker-thread side of extract-thread.ts: runs extractLayer (the same path checks, the same
// diffID) for each layer the main thread sends it, several at once. A layer's bytes arrive in a
// ring (a SharedArrayBuffer the main thread fills); they are copied out only when the extraction
// asks for more, and the space is handed back then, which is the sender's backpressure.
import { parentPort } from 'node:worker_threads';
import { EngineError } from '../errors.js';
import { extractLayer } from './extract.js';
import type { FromExtractThread, ToExtractThread } from './extract-thread.js';

const BATCH = 1 << 20; // the most handed to gunzip at once
// Freed ring space is reported in steps of this much, and always before waiting for more bytes:
// the sender only ever waits on a full ring, having announced all of it, so it always hears back.
const FREED_STEP = 1 << 20;

interface Job {
  ring: Buffer;
  read: number; // bytes taken out of the ring so far
  available: number; // bytes the main thread has put in so far
  ended: boolean;
  cancelled: boolean;
  wake?: () => void;
}

const port = parentPort!;
const jobs = new Map<number, Job>();

function post(message: FromExtractThread): void {
  port.postMessage(message);
}

port.on('message', (message: ToExtractThread) => {
  if ('into' in message) {
    // Buffer.copy is a plain memmove; TypedArray.set on shared memory copies far slower
    const job: Job = { ring: Buffer.from(message.ring), read: 0, available: 0, ended: false, cancelled: false };
    jobs.set(message.id, job);
    extractLayer(received(message.id, job), message.into, message.maxBytes).then(
      (result) => post({ id: message.id, done: result }),
      (err: Error) => post({ id: message.id, failed: { message: err.message, code: err instanceof EngineError ? err.code : 'internal' } }),
    ).finally(() => jobs.delete(message.id));
    return;
  }
  const job = jobs.get(message.id);
  if (job === undefined) return; // finished already
  if ('available' in message) job.available = message.available;
  else if ('end' in message) job.ended = true;
  else job.cancelled = true;
  job.wake?.();
  job.wake = undefined;
});

async function* received(id: number, job: Job): AsyncGenerator<Buffer> {
  let untold = 0;
  for (;;) {
    if (job.cancelled) throw new EngineError('layer extraction cancelled', 'internal');
    const waiting = job.available - job.read;
    if (waiting === 0) {
      if (untold > 0) {
        post({ id, freed: untold });
        untold = 0;
      }
      if (job.ended) return;
      await new Promise<void>((resolve) => { job.wake = resolve; });
      continue;
    }
    const at = job.read % job.ring.length;
    const n = Math.min(waiting, job.ring.length - at, BATCH);
    const chunk = Buffer.allocUnsafe(n);
    job.ring.copy(chunk, 0, at, at + n);
    job.read += n;
    untold += n;
    if (untold >= FREED_STEP) {
      post({ id, freed: untold });
      untold = 0;
    }
    yield chunk;
  }
}
