// Tar fixtures made in the tests themselves with tar-stream, plus temp roots and layer stores that clean up.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { LayerStore } from '../../../source/engine/layers/layer-store.js';
import { StorePaths } from '../../../source/engine/store/paths.js';

export interface TarEntry {
  name: string;
  type?: tar.Header['type'];
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
  linkname?: string;
  data?: string | Buffer;
  devmajor?: number;
  devminor?: number;
  pax?: Record<string, string>;
}

export async function makeTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of pack) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  })();
  for (const e of entries) {
    const { data, ...header } = e;
    const type = header.type ?? 'file';
    const mode = header.mode ?? (type === 'directory' ? 0o755 : type === 'symlink' ? 0o777 : 0o644);
    const full = { mtime: new Date('2024-01-02T03:04:05Z'), uid: 0, gid: 0, ...header, type, mode } as tar.Header;
    if (type === 'file') pack.entry(full, data ?? '');
    else pack.entry(full);
  }
  pack.finalize();
  return done;
}

export function gzip(data: Buffer): Buffer {
  return zlib.gzipSync(data);
}

export function sha256(data: Buffer): string {
  return `sha256:${crypto.createHash('sha256').update(data).digest('hex')}`;
}

/** A temp directory under os.tmpdir(); remove() deletes it. */
export function tempDir(prefix = 'strata-store-test-'): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A layer store in a fresh store root, removed after the test. */
export function tempLayerStore(t: { after(fn: () => void): void }): { paths: StorePaths; layers: LayerStore } {
  const tmp = tempDir();
  t.after(tmp.remove);
  const paths = new StorePaths(tmp.dir);
  paths.ensure();
  return { paths, layers: new LayerStore(paths) };
}

export const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'ls', 'echo', 'cat', 'true'];

/** A tiny root filesystem: the host's static busybox, a few applet links, /etc/passwd, /tmp. */
export function busyboxRootfsEntries(): TarEntry[] {
  return [
    { name: './', type: 'directory', mode: 0o755 },
    { name: 'bin/', type: 'directory', mode: 0o755 },
    { name: 'bin/busybox', mode: 0o755, data: fs.readFileSync(BUSYBOX) },
    ...APPLETS.map((a): TarEntry => ({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox' })),
    { name: 'etc/', type: 'directory', mode: 0o755 },
    { name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n' },
    { name: 'home/user/', type: 'directory', mode: 0o750, uid: 1000, gid: 1000 },
    { name: 'tmp/', type: 'directory', mode: 0o1777 },
  ];
}

export function busyboxRootfsTar(): Promise<Buffer> {
  return makeTar(busyboxRootfsEntries());
}
