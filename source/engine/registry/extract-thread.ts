// Layer extraction on a worker thread. Creating tens of thousands of files is syscall-bound and
// the syscalls are synchronous, so layers extracted on the main thread take turns on one core;
// each big layer of a pull gets its own thread instead and the layers of one image are extracted
// side by side. The main thread still owns the download and the blob: it forwards the bytes
// (copies, with back-pressure) and runs the blob commit when the worker's layer store asks.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import { EngineError } from '../api.js';
import type { CreatedLayer } from '../layers/layer-store.js';

interface Job {
  strataLayerWorker: true;
  entry: string;
  tsx?: string;
  root: string;
  parent: string | null;
  diffId: string;
  blobDigest: string;
}

type ToWorker = { type: 'data'; chunk: Uint8Array } | { type: 'end' } | { type: 'abort'; message: string } | { type: 'committed' } | { type: 'commit-failed'; message: string; code: string };
type FromWorker = { type: 'ack' } | { type: 'commit' } | { type: 'done'; result: CreatedLayer } | { type: 'error'; message: string; code: string };

const IN_FLIGHT = 16; // chunks sent and not yet consumed by the extraction

// Loads this module in the worker; under tsx (tests, bench) the worker registers tsx first.
const BOOT = `const { workerData } = require('node:worker_threads');
(async () => { if (workerData.tsx) { const { register } = await import(workerData.tsx); register(); } await import(workerData.entry); })();`;

export function extractOnThread(root: string, parent: string | null, diffId: string, blobDigest: string, feed: Readable, beforeCommit: () => Promise<void>): Promise<CreatedLayer> {
  const job: Job = {
    strataLayerWorker: true,
    entry: import.meta.url,
    tsx: import.meta.url.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined,
    root, parent, diffId, blobDigest,
  };
  const worker = new Worker(BOOT, { eval: true, workerData: job });
  let inFlight = 0;
  let wake: (() => void) | undefined;
  const send = (m: ToWorker) => worker.postMessage(m);

  const result = new Promise<CreatedLayer>((resolve, reject) => {
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'ack') {
        inFlight--;
        wake?.();
      } else if (m.type === 'commit') {
        beforeCommit().then(() => send({ type: 'committed' }), (err: Error) => send({ type: 'commit-failed', message: err.message, code: (err as EngineError).code ?? 'internal' }));
      } else if (m.type === 'done') {
        resolve(m.result);
      } else {
        reject(new EngineError(m.message, m.code as EngineError['code']));
      }
    });
    worker.on('error', (err) => reject(new EngineError(`layer extraction thread failed: ${err.message}`, 'internal')));
    worker.on('exit', (code) => reject(new EngineError(`layer extraction thread exited with ${code}`, 'internal')));
  });

  const forward = (async () => {
    try {
      for await (const chunk of feed) {
        send({ type: 'data', chunk: chunk as Buffer });
        if (++inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => { wake = resolve; });
        wake = undefined;
      }
      send({ type: 'end' });
    } catch (err) {
      send({ type: 'abort', message: (err as Error).message });
    }
  })();
  return result.finally(async () => {
    feed.destroy();
    wake?.();
    await forward;
    await worker.terminate();
  });
}

async function runJob(job: Job): Promise<void> {
  const port = parentPort!;
  const { LayerStore } = await import('../layers/layer-store.js');
  const { StorePaths } = await import('../store/paths.js');
  const queue: ToWorker[] = [];
  let notify: (() => void) | undefined;
  let commitReply: ((m: ToWorker) => void) | undefined;
  port.on('message', (m: ToWorker) => {
    if (m.type === 'committed' || m.type === 'commit-failed') commitReply?.(m);
    else {
      queue.push(m);
      notify?.();
    }
  });
  async function* bytes(): AsyncGenerator<Buffer> {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => { notify = resolve; });
      const m = queue.shift()!;
      if (m.type === 'end') return;
      if (m.type === 'abort') throw new EngineError(m.message, 'internal');
      if (m.type !== 'data') continue;
      port.postMessage({ type: 'ack' } satisfies FromWorker);
      yield Buffer.from(m.chunk.buffer, m.chunk.byteOffset, m.chunk.byteLength);
    }
  }
  try {
    const layers = new LayerStore(new StorePaths(job.root));
    const result = await layers.create(job.parent, bytes(), {
      expectedDiffId: job.diffId,
      blobDigest: job.blobDigest,
      beforeCommit: () => new Promise<void>((resolve, reject) => {
        commitReply = (m) => (m.type === 'committed' ? resolve() : reject(new EngineError((m as { message: string }).message, (m as { code: EngineError['code'] }).code)));
        port.postMessage({ type: 'commit' } satisfies FromWorker);
      }),
    });
    port.postMessage({ type: 'done', result } satisfies FromWorker);
  } catch (err) {
    port.postMessage({ type: 'error', message: (err as Error).message, code: (err as EngineError).code ?? 'internal' } satisfies FromWorker);
  }
}

if (!isMainThread && (workerData as Job | undefined)?.strataLayerWorker) void runJob(workerData as Job);
