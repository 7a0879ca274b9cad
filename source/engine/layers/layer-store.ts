// The layer store: layers/<chainIdHex>/diff (the extracted tree, an overlay lowerdir as is) and
// layers/<chainIdHex>/layer.json. A layer is extracted into layers/tmp-… and appears by one
// rename under the store lock; a chainID already present is reused, never extracted twice.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import crypto from 'node:crypto';
import path from 'node:path';
import type { CheckProblem } from '../api.js';
import { EngineError } from '../errors.js';
import { digestHex } from '../content/digest.js';
import { fsyncDir, readJson, writeJsonAtomic } from '../store/json-file.js';
import { withLock } from '../store/lock.js';
import type { StorePaths } from '../store/paths.js';
import { chainId as chainIdOf } from './chain-id.js';
import type { ByteSource } from './decompress.js';
import { extractLayer, type ExtractResult } from './extract.js';
import { extractLayerOffThread } from './extract-thread.js';
import { configuredMaxLayerBytes } from './limits.js';

export type LayerFiller = (diffDir: string) => Promise<ExtractResult>;

export interface LayerRecord {
  chainId: string;
  diffId: string;
  parent: string | null; // chainID of the layer below
  size: number;
  files: number;
  blobDigest: string | null; // the blob it was extracted from, when known
  created: string;
}

export interface CreateLayerOptions {
  blobDigest?: string;
  expectedDiffId?: string; // refuse the layer when the tar hashes differently
  // Runs after extraction and the diffID check, before the layer appears: a pull verifies and
  // commits the compressed blob the layer was streamed from here, so a bad blob leaves no layer.
  beforeCommit?: () => Promise<void>;
  offThread?: boolean; // extract on a worker thread (extract-thread.ts): for big layers, while other work goes on
}

export interface CreatedLayer {
  record: LayerRecord;
  reused: boolean; // the chainID was present already: nothing new was kept
  warnings: string[];
}

export const LAYER_TEMP_PREFIX = 'tmp-';

export class LayerStore {
  constructor(private readonly paths: StorePaths, readonly maxLayerBytes = configuredMaxLayerBytes()) {}

  diffDir(chainId: string): string {
    return this.paths.layerDiff(digestHex(chainId));
  }

  has(chainId: string): boolean {
    return fs.existsSync(this.paths.layerRecord(digestHex(chainId)));
  }

  async get(chainId: string): Promise<LayerRecord> {
    if (!this.has(chainId)) throw new EngineError(`layer ${chainId} is not in the store`, 'not-found');
    return readJson<LayerRecord>(this.paths.layerRecord(digestHex(chainId)));
  }

  async layerSize(chainId: string): Promise<number> {
    return (await this.get(chainId)).size;
  }

  async list(): Promise<string[]> {
    const names = await fsp.readdir(this.paths.layersDir);
    return names.filter((n) => /^[0-9a-f]{64}$/.test(n)).map((n) => `sha256:${n}`);
  }

  /**
   * Extracts a tar (plain or gzip) as the layer above `parent`. The caller holds the ingest
   * lease. When a layer with the resulting chainID exists, the fresh copy is dropped.
   */
  /**
   * `tar` may instead be a function that fills the diff dir itself and returns what extraction
   * would have (commit's hardlinked copy of a container's upper dir).
   */
  async create(parent: string | null, tar: ByteSource | LayerFiller, opts: CreateLayerOptions = {}): Promise<CreatedLayer> {
    if (opts.expectedDiffId) {
      const known = chainIdOf(parent, opts.expectedDiffId);
      if (this.has(known)) return { record: await this.get(known), reused: true, warnings: [] };
    }
    const temp = path.join(this.paths.layersDir, `${LAYER_TEMP_PREFIX}${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    await fsp.mkdir(temp, { mode: 0o700 });
    try {
      const diff = path.join(temp, 'diff');
      await fsp.mkdir(diff, { mode: 0o755 });
      await fsp.chmod(diff, 0o755);
      const result = typeof tar === 'function' ? await tar(diff) : opts.offThread ? await extractLayerOffThread(tar, diff, this.maxLayerBytes) : await extractLayer(tar, diff, this.maxLayerBytes);
      if (opts.expectedDiffId && result.diffId !== opts.expectedDiffId) {
        throw new EngineError(`layer diffID mismatch: expected ${opts.expectedDiffId}, the tar hashes to ${result.diffId}`, 'invalid');
      }
      const id = chainIdOf(parent, result.diffId);
      const record: LayerRecord = {
        chainId: id,
        diffId: result.diffId,
        parent: parent ?? null,
        size: result.size,
        files: result.files,
        blobDigest: opts.blobDigest ?? null,
        created: new Date().toISOString(),
      };
      writeJsonAtomic(path.join(temp, 'layer.json'), record);
      await opts.beforeCommit?.();
      const reused = await withLock(this.paths, async () => {
        if (this.has(id)) return true;
        const final = this.paths.layerDir(digestHex(id));
        if (fs.existsSync(final)) await this.discard(final); // a directory without layer.json is no layer
        await fsp.rename(temp, final);
        fsyncDir(this.paths.layersDir);
        return false;
      });
      if (reused) {
        await fsp.rm(temp, { recursive: true, force: true });
        return { record: await this.get(id), reused: true, warnings: result.warnings };
      }
      return { record, reused: false, warnings: result.warnings };
    } catch (err) {
      await fsp.rm(temp, { recursive: true, force: true });
      throw err;
    }
  }

  /** Reuses the layer when present, else extracts what `open` returns, checking its diffID. */
  async ensure(parent: string | null, diffId: string, open: () => Promise<ByteSource>, opts: { blobDigest?: string } = {}): Promise<CreatedLayer> {
    const id = chainIdOf(parent, diffId);
    if (this.has(id)) return { record: await this.get(id), reused: true, warnings: [] };
    return this.create(parent, await open(), { ...opts, expectedDiffId: diffId });
  }

  /** Deletes a layer. The caller holds the store lock. It vanishes by one rename, then is removed. */
  async remove(chainId: string): Promise<boolean> {
    const dir = this.paths.layerDir(digestHex(chainId));
    if (!fs.existsSync(dir)) return false;
    await this.discard(dir);
    return true;
  }

  /** layer.json readable and matching its directory, diff/ present; leftovers of interrupted work when `temps`. */
  async check(temps: boolean): Promise<CheckProblem[]> {
    const problems: CheckProblem[] = [];
    for (const name of await fsp.readdir(this.paths.layersDir)) {
      const full = path.join(this.paths.layersDir, name);
      if (name.startsWith(LAYER_TEMP_PREFIX)) {
        if (temps) problems.push({ kind: 'temp-file', path: full, detail: 'a layer left by an interrupted extraction or removal' });
        continue;
      }
      if (!/^[0-9a-f]{64}$/.test(name)) {
        problems.push({ kind: 'unexpected-entry', path: full, detail: 'not a layer directory' });
        continue;
      }
      let record: LayerRecord;
      try {
        record = readJson<LayerRecord>(path.join(full, 'layer.json'));
      } catch (err) {
        problems.push({ kind: 'record-unreadable', path: path.join(full, 'layer.json'), detail: (err as Error).message });
        continue;
      }
      if (record.chainId !== `sha256:${name}`) problems.push({ kind: 'record-mismatch', path: full, detail: `layer.json names ${record.chainId}` });
      else if (chainIdOf(record.parent, record.diffId) !== record.chainId) problems.push({ kind: 'record-mismatch', path: full, detail: `chainID does not follow from parent ${record.parent} and diffID ${record.diffId}` });
      if (!fs.existsSync(path.join(full, 'diff'))) problems.push({ kind: 'layer-missing', path: path.join(full, 'diff'), detail: `layer ${record.chainId} has no diff directory` });
    }
    return problems;
  }

  private async discard(dir: string): Promise<void> {
    const aside = path.join(this.paths.layersDir, `${LAYER_TEMP_PREFIX}rm-${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    await fsp.rename(dir, aside);
    fsyncDir(this.paths.layersDir);
    await fsp.rm(aside, { recursive: true, force: true });
  }
}
