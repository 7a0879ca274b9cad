// One layer of a pull, streamed: the response is hashed and written to a temp blob while the
// same bytes are decompressed, hashed again (diffID) and extracted into a temp layer dir. Only
// when the blob's digest and the layer's diffID both check out does either become visible: the
// layer store calls back before its rename, and the blob is verified and renamed right then.
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { EngineError } from '../errors.js';
import type { BlobWriter } from '../content/content-store.js';
import type { ImageStores } from '../images/context.js';
import type { Descriptor } from '../images/oci.js';
import { chainId } from '../layers/chain-id.js';
import { drainOrClose } from '../layers/backpressure.js';
import { registryError, type RegistryClient } from './client.js';

export type LayerProgress = (action: string, current: number, total: number) => void;

export interface LayerOutcome {
  chainId: string;
  newLayer: boolean; // extracted by this pull
  newBlob: boolean; // downloaded by this pull
}

const PROGRESS_STEP = 1 << 20;
// After extraction failed, this much more of the download may still come to tell a damaged blob
// (a digest mismatch) from a broken layer; a body that goes on past it is cut.
const EXPLAIN_BYTES = 16 << 20;

interface DownloadState {
  done: number;
  cutoff: number; // the download stops with `cause` once more than this has come
  cause?: unknown;
}
// Layers at least this big are extracted on a worker thread, beside the download and the other
// layers; below it, starting a thread costs more than it saves.
const OFF_THREAD_MIN = 128 << 10;

/** How many of these layers will be extracted on a thread: the big ones not stored already. */
export function layersForThreads(stores: ImageStores, layers: Descriptor[]): number {
  return layers.filter((l) => l.size >= OFF_THREAD_MIN && !stores.content.hasSync(l.digest)).length;
}

export async function pullLayer(stores: ImageStores, client: RegistryClient, repository: string, desc: Descriptor, diffId: string, parent: string | null, progress: LayerProgress, signal: AbortSignal): Promise<LayerOutcome> {
  const chain = chainId(parent, diffId);
  const haveLayer = stores.layers.has(chain);
  if (haveLayer && stores.content.hasSync(desc.digest)) {
    progress('Already exists', desc.size, desc.size);
    return { chainId: chain, newLayer: false, newBlob: false };
  }
  if (signal.aborted) throw new EngineError('pull cancelled', 'internal');
  progress('Pulling fs layer', 0, desc.size);
  const res = await client.request(`/v2/${repository}/blobs/${desc.digest}`, { signal });
  if (res.status !== 200) throw await registryError(res, `cannot get layer ${desc.digest}`);
  const onAbort = () => res.body.destroy(new EngineError('pull cancelled', 'internal'));
  signal.addEventListener('abort', onAbort, { once: true });
  const writer = await stores.content.writer(desc.digest);
  const feed = new PassThrough({ highWaterMark: 1 << 20 });
  feed.on('error', () => { /* the download's own promise reports it */ });
  // The download runs on a little when extraction gives up early: a damaged blob is then reported
  // as what it is (a digest mismatch), not as whatever the damage did to gzip or tar.
  const state: DownloadState = { done: 0, cutoff: desc.size };
  const download = pump(res.body, writer, feed, desc, progress, state);
  download.catch(() => { /* awaited below */ });
  let committed = false;
  const commit = async () => {
    await download;
    progress('Verifying Checksum', desc.size, desc.size);
    // Not fsynced, like the extracted layer beside it: a power cut can cost this pull, never tear a
    // record (they are written last, atomically), and `system check` re-hashes every blob.
    // Syncing 200 MB of blobs measured a quarter of a pull's time here.
    await writer.commit({ durable: false });
    committed = true;
  };
  try {
    if (haveLayer) {
      feed.resume(); // the layer is here already: only the blob is wanted
      await commit();
      progress('Download complete', desc.size, desc.size);
      progress('Pull complete', desc.size, desc.size); // docker ends every downloaded layer so
      return { chainId: chain, newLayer: false, newBlob: true };
    }
    let created;
    try {
      created = await stores.layers.create(parent, feed, { expectedDiffId: diffId, blobDigest: desc.digest, beforeCommit: commit, offThread: desc.size >= OFF_THREAD_MIN });
    } catch (err) {
      feed.destroy();
      state.cutoff = Math.min(state.cutoff, state.done + EXPLAIN_BYTES);
      state.cause = err;
      await download; // a download failure explains the extraction failure
      throw err;
    }
    if (!committed) {
      feed.resume(); // another process finished this layer before we began: the blob is still ours to keep
      await commit();
    }
    progress('Pull complete', desc.size, desc.size);
    return { chainId: chain, newLayer: !created.reused, newBlob: true };
  } catch (err) {
    res.body.destroy();
    if (!committed) await writer.abort();
    throw layerError(err, desc);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Reads the response into the blob writer and the extraction feed; ends with the size and digest checked. */
async function pump(body: IncomingMessage, writer: BlobWriter, feed: PassThrough, desc: Descriptor, progress: LayerProgress, state: DownloadState): Promise<void> {
  let done = 0;
  let reported = 0;
  try {
    try {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        done += buf.length;
        state.done = done;
        if (done > desc.size) throw new EngineError(`layer ${desc.digest} is larger than the ${desc.size} bytes its manifest says`, 'invalid');
        if (done > state.cutoff) throw state.cause;
        const written = writer.write(buf);
        if (!feed.destroyed && !feed.write(buf)) await drainOrClose(feed);
        await written;
        if (done - reported >= PROGRESS_STEP) {
          reported = done;
          progress('Downloading', done, desc.size);
        }
      }
    } catch (err) {
      if (err instanceof EngineError || err === state.cause) throw err;
      throw new EngineError(`layer ${desc.digest}: download failed after ${done} of ${desc.size} bytes: ${(err as Error).message}`, 'internal');
    }
    progress('Downloading', done, desc.size);
    if (done < desc.size) throw new EngineError(`layer ${desc.digest}: truncated download, got ${done} of ${desc.size} bytes`, 'invalid');
    const actual = writer.digest();
    if (actual !== desc.digest) throw new EngineError(`layer ${desc.digest} failed verification: its content hashes to ${actual}`, 'invalid');
    feed.end();
  } catch (err) {
    feed.destroy(err as Error);
    throw err;
  }
}

function layerError(err: unknown, desc: Descriptor): Error {
  if (!(err instanceof EngineError)) return new EngineError(`layer ${desc.digest}: ${(err as Error).message}`, 'internal');
  return err.message.includes(desc.digest) ? err : new EngineError(`layer ${desc.digest}: ${err.message}`, err.code);
}
