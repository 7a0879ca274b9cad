// tar-stream (CommonJS, with its dependencies) costs ~10 ms to load: loaded on first use so that
// verbs which never read or write a tar (`strata ps`) do not pay for it.
import { createRequire } from 'node:module';
import path from 'node:path';

type TarStream = typeof import('tar-stream');
type DecodePax = (buf: Buffer) => Record<string, string>;

const require = createRequire(import.meta.url);
let loaded: TarStream | undefined;

export function tarStream(): TarStream {
  if (loaded) return loaded;
  loaded = require('tar-stream') as TarStream;
  keepSparseMapOfFormat00();
  return loaded;
}

/**
 * GNU tar's PAX sparse format 0.0 gives a member's map as repeated GNU.sparse.offset and
 * GNU.sparse.numbytes records; tar-stream's PAX decoder keeps only the last of a repeated key.
 * Its decoder is wrapped (the extractor calls it through the shared module object) to gather
 * them into the comma list format 0.1 calls GNU.sparse.map, which extract.ts reads.
 */
function keepSparseMapOfFormat00(): void {
  const headers = require(path.join(path.dirname(require.resolve('tar-stream')), 'headers.js')) as { decodePax: DecodePax };
  const decode = headers.decodePax;
  headers.decodePax = (buf: Buffer) => {
    const result = decode(buf);
    if (result['GNU.sparse.offset'] === undefined || result['GNU.sparse.map'] !== undefined) return result;
    const map: string[] = [];
    for (const m of buf.toString('latin1').matchAll(/ GNU\.sparse\.(?:offset|numbytes)=(\d+)\n/g)) map.push(m[1]);
    return { ...result, 'GNU.sparse.map': map.join(',') };
  };
}
