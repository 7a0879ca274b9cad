// Layers never change once stored, so each is scanned once: kept in memory and on disk beside
// the layer (layers/<chainIdHex>/tree.json, keyed by the chainID like the layer itself, removed
// with it). A cache file that is missing, torn or of another version is simply rebuilt.
import fs from 'node:fs';
import path from 'node:path';
import { tempNameFor } from '../../store/json-file.js';
import { scanLayerDir, type LayerScan, type ScanEntry, type ScanKind } from './scan.js';

const CACHE_FILE = 'tree.json';
const CACHE_VERSION = 2; // 2: device, fifo and socket kinds; device numbers
const KIND_CODES: ScanKind[] = ['file', 'dir', 'symlink', 'other', 'whiteout', 'char', 'block', 'fifo', 'socket'];

// [path, kind, size, mode, uid, gid, mtimeMs, link, opaque, major, minor]: arrays parse far faster than objects.
type PackedEntry = [string, number, number, number, number, number, number, string?, (1 | 0)?, number?, number?];

interface CacheFile {
  version: number;
  entries: PackedEntry[];
}

export class LayerScanCache {
  private readonly memory = new Map<string, LayerScan>();

  /** The scan of a stored layer: from memory, from its cache file, or read from diffDir now. */
  get(chainId: string, diffDir: string): LayerScan {
    const known = this.memory.get(chainId);
    if (known) return known;
    const file = path.join(path.dirname(diffDir), CACHE_FILE);
    let scan = readCache(file);
    if (!scan) {
      scan = scanLayerDir(diffDir);
      writeCache(file, scan);
    }
    this.memory.set(chainId, scan);
    return scan;
  }

  forget(): void {
    this.memory.clear();
  }
}

function readCache(file: string): LayerScan | undefined {
  let parsed: CacheFile;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (parsed?.version !== CACHE_VERSION || !Array.isArray(parsed.entries)) return undefined;
  try {
    return { entries: parsed.entries.map(unpack) };
  } catch {
    return undefined; // not what this version writes: rebuilt from the layer
  }
}

// Once the caller has drawn its answer: serialising a large layer costs tens of milliseconds.
// Not fsynced: a cache torn by a power cut fails to parse and is rebuilt, which is all it needs.
const CACHE_WRITE_DELAY_MS = 250;

function writeCache(file: string, scan: LayerScan): void {
  setTimeout(() => {
    const temp = tempNameFor(file);
    try {
      fs.writeFileSync(temp, JSON.stringify({ version: CACHE_VERSION, entries: scan.entries.map(pack) } satisfies CacheFile), { flag: 'wx', mode: 0o644 });
      fs.renameSync(temp, file);
    } catch {
      // The layer was removed meanwhile, or the store is read-only: the cache is only a shortcut.
      fs.rmSync(temp, { force: true });
    }
  }, CACHE_WRITE_DELAY_MS).unref();
}

function pack(e: ScanEntry): PackedEntry {
  const packed: PackedEntry = [e.path, KIND_CODES.indexOf(e.kind), e.size, e.mode, e.uid, e.gid, e.mtimeMs];
  if (e.link !== undefined || e.opaque || e.device) packed.push(e.link ?? '');
  if (e.opaque || e.device) packed.push(e.opaque ? 1 : 0);
  if (e.device) packed.push(e.device.major, e.device.minor);
  return packed;
}

function unpack(p: PackedEntry): ScanEntry {
  if (!Array.isArray(p) || typeof p[0] !== 'string' || KIND_CODES[p[1]] === undefined) throw new Error('not a packed entry');
  const entry: ScanEntry = { path: p[0], kind: KIND_CODES[p[1]], size: p[2], mode: p[3], uid: p[4], gid: p[5], mtimeMs: p[6] };
  if (entry.kind === 'symlink') entry.link = p[7] ?? '';
  if (p[8] === 1) entry.opaque = true;
  if (typeof p[9] === 'number' && typeof p[10] === 'number') entry.device = { major: p[9], minor: p[10] };
  return entry;
}
