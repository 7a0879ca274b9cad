// ADD of a local archive: what it is, told by its magic bytes as docker does (plain tar, gzip,
// bzip2, xz, zstd — never by its name), and its tar bytes. gzip is read by the layer extractor
// itself (node's zlib); bzip2, xz and zstd by the system's `bzip2 -dc`, `xz -dc`, `zstd -dc`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Readable } from 'node:stream';

export type ArchiveKind = 'tar' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

const MAGIC: Array<[ArchiveKind, number[]]> = [
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

const TOOL: Partial<Record<ArchiveKind, string>> = { bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' };

/** The archive kind of a file, undefined for one docker would copy as it is. */
export function archiveKind(file: string): ArchiveKind | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const n = fs.readSync(fd, head, 0, 512, 0);
    for (const [kind, magic] of MAGIC) if (n >= magic.length && magic.every((b, i) => head[i] === b)) return kind;
    return n >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar' ? 'tar' : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The bytes to hand the tar extractor (plain tar or gzip), and a check to await after it has
 * read them all: it fails when the decompressor is missing or failed.
 */
export function archiveBytes(file: string, kind: ArchiveKind): { bytes: Readable; done: () => Promise<void> } {
  const tool = TOOL[kind];
  if (!tool) return { bytes: fs.createReadStream(file), done: async () => {} };
  const child = spawn(tool, ['-dc', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new Error((err as NodeJS.ErrnoException).code === 'ENOENT' ? `it is ${kind}-compressed and \`${tool}\` is not installed` : err.message)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${tool} -dc failed: ${stderr.trim() || `exit ${code}`}`))));
  });
  exited.catch(() => { /* reported by done() */ });
  return { bytes: child.stdout, done: () => exited };
}
