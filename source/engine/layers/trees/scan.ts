// Reads one layer directory (an extracted layer's diff/ or a container's upper/) into a flat
// list of entries in depth-first, name-sorted order: parents before their children. Overlay's
// whiteouts (0/0 character devices) and opaque directories (trusted.overlay.opaque=y) are kept
// as such. Synchronous calls on purpose: for tens of thousands of small lstat calls they are
// several times faster than the promise API, and a layer is scanned once then cached.
import fs from 'node:fs';
import { lgetxattr } from '../native-fs.js';
import { OPAQUE_XATTR } from '../whiteout.js';
import type { DeviceNumbers, FileKind } from './types.js';

export type ScanKind = FileKind | 'whiteout';

export interface ScanEntry {
  path: string; // relative, no leading slash: 'etc/passwd'
  kind: ScanKind;
  size: number; // regular files only; 0 otherwise
  mode: number; // permission bits
  uid: number;
  gid: number;
  mtimeMs: number;
  link?: string;
  device?: DeviceNumbers;
  opaque?: boolean; // a directory hiding everything below it in lower layers
}

export interface LayerScan {
  entries: ScanEntry[];
}

export function scanLayerDir(root: string): LayerScan {
  const entries: ScanEntry[] = [];
  walk(root, '', entries);
  return { entries };
}

function walk(absDir: string, relDir: string, out: ScanEntry[]): void {
  let names: string[];
  try {
    names = fs.readdirSync(absDir);
  } catch (err) {
    // A live upper layer changes under us: a directory removed meanwhile simply is not there.
    if (isGone(err)) return;
    throw err;
  }
  names.sort(byCodeUnit);
  for (const name of names) {
    const abs = `${absDir}/${name}`;
    const rel = relDir === '' ? name : `${relDir}/${name}`;
    const st = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!st) continue;
    const entry = toEntry(rel, abs, st);
    if (!entry) continue;
    out.push(entry);
    if (entry.kind === 'dir') walk(abs, rel, out);
  }
}

function toEntry(rel: string, abs: string, st: fs.Stats): ScanEntry | undefined {
  const mode = st.mode & 0o7777;
  const mtimeMs = Math.trunc(st.mtimeMs);
  if (st.isFile()) return { path: rel, kind: 'file', size: st.size, mode, uid: st.uid, gid: st.gid, mtimeMs };
  if (st.isDirectory()) {
    const entry: ScanEntry = { path: rel, kind: 'dir', size: 0, mode, uid: st.uid, gid: st.gid, mtimeMs };
    if (isOpaque(abs)) entry.opaque = true;
    return entry;
  }
  if (st.isSymbolicLink()) {
    try {
      return { path: rel, kind: 'symlink', size: 0, mode, uid: st.uid, gid: st.gid, mtimeMs, link: fs.readlinkSync(abs) };
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
  }
  if (st.isCharacterDevice() && st.rdev === 0) return { path: rel, kind: 'whiteout', size: 0, mode, uid: st.uid, gid: st.gid, mtimeMs };
  const kind: FileKind = st.isCharacterDevice() ? 'char' : st.isBlockDevice() ? 'block' : st.isFIFO() ? 'fifo' : st.isSocket() ? 'socket' : 'other';
  const entry: ScanEntry = { path: rel, kind, size: 0, mode, uid: st.uid, gid: st.gid, mtimeMs };
  if (kind === 'char' || kind === 'block') entry.device = deviceNumbers(st.rdev);
  return entry;
}

/** glibc's major()/minor() of a dev_t (12+20 bits split across the 64), without BigInt. */
export function deviceNumbers(rdev: number): DeviceNumbers {
  const high = Math.floor(rdev / 2 ** 32);
  const low = rdev >>> 0;
  return {
    major: ((low >>> 8) & 0xfff) | ((high & 0xfffff000) >>> 0),
    minor: (low & 0xff) | ((low >>> 12) & 0xfff00) | ((high & 0xfff) * 0x100000),
  };
}

function isOpaque(dir: string): boolean {
  try {
    return lgetxattr(dir, OPAQUE_XATTR)?.toString() === 'y';
  } catch {
    return false; // a filesystem without trusted xattrs has no opaque directories
  }
}

function isGone(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Plain code-unit order: stable, locale-free, and what the tree views sort by too. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
