// The blob store: put (streamed into tmp/, hashed on the way, fsynced, renamed into place),
// read, delete, list and re-verify. Callers that ingest hold the ingest lease (store/lock.ts)
// so garbage collection cannot take a blob before an image references it.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import crypto from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { CheckProblem } from '../api.js';
import { EngineError } from '../errors.js';
import type { StorePaths } from '../store/paths.js';
import { fsyncDir } from '../store/json-file.js';
import { digestHex } from './digest.js';

export interface BlobInfo {
  digest: string;
  size: number;
}

export type BlobSource = Buffer | NodeJS.ReadableStream | AsyncIterable<Buffer | string>;

export class ContentStore {
  constructor(private readonly paths: StorePaths) {}

  path(digest: string): string {
    return this.paths.blob(digestHex(digest));
  }

  /** Stores data and returns its digest; when expected is given, a different digest is an error and nothing is stored. */
  async put(data: BlobSource, expected?: string): Promise<BlobInfo> {
    const writer = await this.writer(expected);
    try {
      const chunks: AsyncIterable<Buffer | string> = Buffer.isBuffer(data) ? [data] as unknown as AsyncIterable<Buffer> : data as AsyncIterable<Buffer | string>;
      for await (const chunk of chunks) await writer.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    } catch (err) {
      await writer.abort();
      if (err instanceof EngineError) throw err;
      throw new EngineError(`cannot store blob: ${(err as Error).message}`, 'internal');
    }
    return writer.commit();
  }

  /**
   * A blob written piece by piece (a download teed to an extraction): hashed as it is written,
   * visible only after commit() has checked the digest and renamed it into place.
   */
  async writer(expected?: string): Promise<BlobWriter> {
    if (expected !== undefined) digestHex(expected);
    const temp = path.join(this.paths.tmpDir, `blob-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    const file = await fsp.open(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o644);
    return new BlobWriter(this, temp, file, expected);
  }

  /** Renames a verified temp file into place; used by BlobWriter.commit. */
  async adopt(temp: string, digest: string, syncDir = true): Promise<void> {
    const final = this.path(digest);
    if (fs.existsSync(final)) {
      await fsp.rm(temp, { force: true }); // same bytes already stored
    } else {
      await fsp.rename(temp, final);
      if (syncDir) fsyncDir(this.paths.blobsDir);
    }
  }

  /** Streams into the store, verifying the sha256 on the way; nothing is stored on a mismatch. */
  putVerified(stream: BlobSource, expectedDigest: string): Promise<BlobInfo> {
    return this.put(stream, expectedDigest);
  }

  async has(digest: string): Promise<boolean> {
    return fs.existsSync(this.path(digest));
  }

  hasSync(digest: string): boolean {
    return fs.existsSync(this.path(digest));
  }

  async size(digest: string): Promise<number> {
    return (await this.stat(digest)).size;
  }

  async get(digest: string): Promise<Buffer> {
    try {
      return await fsp.readFile(this.path(digest));
    } catch (err) {
      throw this.missing(digest, err);
    }
  }

  async getJson<T>(digest: string): Promise<T> {
    const data = await this.get(digest);
    try {
      return JSON.parse(data.toString('utf8')) as T;
    } catch (err) {
      throw new EngineError(`blob ${digest} is not valid JSON: ${(err as Error).message}`, 'internal');
    }
  }

  /** A read stream of the blob; opened now, so a missing blob fails here and not mid-stream. */
  async open(digest: string): Promise<Readable> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.path(digest), 'r');
    } catch (err) {
      throw this.missing(digest, err);
    }
    return handle.createReadStream({ highWaterMark: 1 << 20 });
  }

  async delete(digest: string): Promise<boolean> {
    try {
      await fsp.unlink(this.path(digest));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async list(): Promise<string[]> {
    const names = await fsp.readdir(this.paths.blobsDir);
    return names.filter((n) => /^[0-9a-f]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  /** Re-hashes every blob; reports wrong digests and entries that are not blobs. */
  async check(): Promise<CheckProblem[]> {
    const problems: CheckProblem[] = [];
    for (const name of await fsp.readdir(this.paths.blobsDir)) {
      const full = path.join(this.paths.blobsDir, name);
      if (!/^[0-9a-f]{64}$/.test(name)) {
        problems.push({ kind: 'unexpected-entry', path: full, detail: 'not a sha256 blob name' });
        continue;
      }
      let actual: string;
      try {
        actual = await hashFile(full);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed meanwhile
        problems.push({ kind: 'blob-unreadable', path: full, detail: (err as Error).message });
        continue;
      }
      if (actual !== name) problems.push({ kind: 'blob-digest', path: full, detail: `content hashes to sha256:${actual}, not sha256:${name}` });
    }
    return problems;
  }

  private async stat(digest: string): Promise<fs.Stats> {
    try {
      return await fsp.stat(this.path(digest));
    } catch (err) {
      throw this.missing(digest, err);
    }
  }

  private missing(digest: string, err: unknown): Error {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new EngineError(`blob ${digest} is not in the store`, 'not-found');
    return err as Error;
  }
}

// A writer gathers chunks (a socket's are 16-64 KiB) into one writev of about this much: one
// trip through the threadpool per MiB instead of one per chunk.
const WRITE_BATCH = 1 << 20;
const WRITE_BATCH_BUFFERS = 256; // well under IOV_MAX (1024)

export class BlobWriter {
  private readonly hash = crypto.createHash('sha256');
  private closed = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushing: Promise<void> = Promise.resolve(); // the batch being written, at most one
  size = 0;

  constructor(private readonly store: ContentStore, private readonly temp: string, private readonly file: fsp.FileHandle, readonly expected?: string) {}

  /**
   * Hashes the chunk and queues it; resolves at once unless a batch is due, and then once the
   * batch before it is on disk, so one batch is written while the next one fills. The writer keeps
   * the chunk until it is written: the caller must not change it (as with stream.write).
   */
  async write(chunk: Buffer): Promise<void> {
    this.hash.update(chunk);
    this.size += chunk.length;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= WRITE_BATCH || this.pending.length >= WRITE_BATCH_BUFFERS) await this.flush();
  }

  /** Starts writing what is queued, after the batch before it; resolves when that earlier batch is written. */
  private flush(): Promise<void> {
    const buffers = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const before = this.flushing;
    this.flushing = before.then(() => writeAll(this.file, buffers));
    this.flushing.catch(() => { /* reported by the next write, commit or abort */ });
    return before;
  }

  /** The digest of what was written so far; the writer cannot be written to afterwards. */
  digest(): string {
    return `sha256:${this.hash.copy().digest('hex')}`;
  }

  /**
   * Syncs, checks the digest against the expected one, renames into place. Nothing stays on failure.
   * durable false: no fsync of the data or the directory (a pull, whose extracted layers are not
   * fsynced either); a kill still leaves the blob whole or absent, only a power cut can cost it.
   */
  async commit(opts: { durable?: boolean } = {}): Promise<BlobInfo> {
    const durable = opts.durable !== false;
    try {
      await this.close(durable);
      const digest = `sha256:${this.hash.digest('hex')}`;
      if (this.expected !== undefined && digest !== this.expected) {
        throw new EngineError(`blob digest mismatch: expected ${this.expected}, got ${digest} (${this.size} bytes)`, 'invalid');
      }
      await this.store.adopt(this.temp, digest, durable);
      return { digest, size: this.size };
    } catch (err) {
      await fsp.rm(this.temp, { force: true });
      if (err instanceof EngineError) throw err;
      throw new EngineError(`cannot store blob: ${(err as Error).message}`, 'internal');
    }
  }

  async abort(): Promise<void> {
    this.pending = []; // nothing queued is wanted any more
    await this.close(false).catch(() => {});
    await fsp.rm(this.temp, { force: true });
  }

  private async close(sync: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.pending.length > 0) this.flush().catch(() => { /* the same failure surfaces below */ });
      await this.flushing;
      if (sync) await this.file.sync();
    } finally {
      await this.flushing.catch(() => { /* reported above */ });
      await this.file.close();
    }
  }
}

async function writeAll(file: fsp.FileHandle, buffers: Buffer[]): Promise<void> {
  if (buffers.length === 0) return;
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const { bytesWritten } = await file.writev(buffers);
  if (bytesWritten === total) return;
  const rest = Buffer.concat(buffers).subarray(bytesWritten); // a short writev (a full disk reports itself on the retry)
  let offset = 0;
  while (offset < rest.length) offset += (await file.write(rest, offset, rest.length - offset)).bytesWritten;
}

async function hashFile(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
