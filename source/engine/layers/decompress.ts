// A layer stream as plain tar bytes, whatever it came as: gzip is detected by its magic bytes
// (not by a media type, which `import` does not have); other compressions are refused clearly.
// The plain bytes are counted as they come: past `maxBytes` the stream fails at once.
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { EngineError } from '../errors.js';
import { layerTooLarge } from './limits.js';

const MAGIC: Array<[string, number[]]> = [
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
];

function startsWith(head: Buffer, magic: number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

export type ByteSource = NodeJS.ReadableStream | AsyncIterable<Buffer | string>;

export function plainTar(source: ByteSource, maxBytes = Infinity): Readable {
  return Readable.from(bounded(decompressed(source), maxBytes), { objectMode: false, highWaterMark: 1 << 20 });
}

async function* bounded(chunks: AsyncGenerator<Buffer>, maxBytes: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    if (total > maxBytes) throw layerTooLarge(maxBytes);
    yield chunk;
  }
}

async function* decompressed(source: ByteSource): AsyncGenerator<Buffer> {
  const it = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let seenBytes = 0;
  let done = false;
  while (seenBytes < 6) {
    const r = await it.next();
    if (r.done) { done = true; break; }
    const buf = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    seen.push(buf);
    seenBytes += buf.length;
  }
  const head = Buffer.concat(seen);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    }
  }
  const zstd = zstdDecompressor();
  const isZstd = startsWith(head, ZSTD_MAGIC) && zstd !== undefined;
  for (const [name, magic] of MAGIC) {
    if (!isZstd && startsWith(head, magic)) throw new EngineError(`layer is ${name}-compressed: only plain${zstd ? ', zstd' : ''} and gzip-compressed tar are supported${name === 'zstd' ? ' (this Node has no zlib.createZstdDecompress)' : ''}`, 'invalid');
  }
  if (!isZstd && !startsWith(head, [0x1f, 0x8b])) {
    yield* rest();
    return;
  }
  const decoder = isZstd ? zstd!() : zlib.createGunzip({ chunkSize: 1 << 16 });
  pipeline(Readable.from(rest()), decoder, () => { /* errors surface through the iteration below */ });
  try {
    for await (const chunk of decoder) yield chunk as Buffer;
  } catch (err) {
    if (err instanceof EngineError) throw err;
    throw new EngineError(`layer is not valid ${isZstd ? 'zstd' : 'gzip'}: ${(err as Error).message}`, 'invalid');
  }
}

const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** zlib's zstd decoder where this Node has one (22.15+, 23.8+); undefined on Node 20. */
export function zstdDecompressor(): (() => NodeJS.ReadWriteStream) | undefined {
  const make = (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
  return typeof make === 'function' ? () => make.call(zlib) : undefined;
}
