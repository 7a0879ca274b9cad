// The layer explorer's data, as the engine hands it to the CLI and the TUI: per-layer changes,
// merged trees, wasted space, image comparisons and file contents. Plain data, no screen.

/** What to explore: an image's layers, or a container's (its image's plus its live upper layer). */
export type TreeTarget = { image: string } | { container: string };

/** 'layer': only what the layer adds, modifies and removes; 'merged': everything visible up to it. */
export type TreeView = 'layer' | 'merged';

// 'char'/'block' devices, 'fifo' and 'socket' as ls -l's c, b, p and s; 'other' for anything else.
export type FileKind = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket' | 'other';

/** A device file's numbers, as ls -l shows them ("1, 3" for /dev/null). */
export interface DeviceNumbers {
  major: number;
  minor: number;
}
export type FileChange = 'added' | 'modified' | 'removed' | 'unchanged';

export interface FileNode {
  name: string; // '' for the root
  path: string; // '/etc/passwd'; '/' for the root
  kind: FileKind;
  size: number; // bytes; a directory: the sum of what it holds (removed entries not counted)
  mode: number; // permission bits
  change: FileChange;
  layer: number; // index of the layer whose copy this is (-1 for the synthetic root)
  link?: string; // symlink target
  device?: DeviceNumbers; // a char or block device's
  children?: FileNode[]; // directories, sorted by name
}

export interface LayerInfo {
  index: number; // 0 = bottom
  id: string; // chainID, or 'upper' for a container's live layer
  diffId: string; // '' for a live layer
  instruction: string; // the image config history entry that made it ('' when unknown)
  created: string;
  size: number; // bytes of regular files the layer holds
  files: number; // entries (files, links, dirs) the layer holds, whiteouts not counted
  added: number;
  modified: number;
  removed: number;
  live: boolean; // a container's upper layer, read as it is now
}

export interface WastedCopy {
  layer: number;
  instruction: string;
  size: number;
}

export interface WastedFile {
  path: string;
  copies: WastedCopy[]; // every layer that wrote the path, bottom first
  removedIn?: number; // the layer that removed it (whiteout, opaque directory, replaced by another kind)
  wasted: number; // removed: every copy; otherwise all copies but the smallest
  saveable: number; // what squashing really saves: every copy but the one finally visible
}

export interface LayerAnalysis {
  name: string; // the image reference or container name given
  imageId: string;
  layers: LayerInfo[];
  totalBytes: number; // sum of every copy of every file in every layer
  wastedBytes: number;
  efficiency: number; // 1 - wasted / total; 1 for an empty image
  wasted: WastedFile[]; // biggest first
}

export interface ImageComparison {
  base: string;
  other: string;
  tree: FileNode; // other's merged tree against base's: added / modified / removed / unchanged
  added: number;
  modified: number;
  removed: number;
  addedBytes: number;
  removedBytes: number;
}

export interface LayerFileContent {
  path: string;
  layer: number; // the layer whose copy was read
  kind: FileKind;
  size: number; // the whole file's size
  link?: string;
  binary: boolean; // NUL bytes or invalid UTF-8 in what was read: show as hex
  data: Buffer; // at most maxBytes of it
  truncated: boolean;
}
