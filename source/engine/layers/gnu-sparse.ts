// GNU tar's sparse members in PAX form (`tar --sparse --format=posix`, formats 0.0, 0.1 and 1.0):
// the member's data holds only the file's data regions, back to back; the map says where each
// goes. Written as a sparse file: each region at its offset, the holes never written, the size
// set last. A region that reaches past the file's size, or data that does not add up to the
// map, is refused: nothing is written outside the file the entry names.
import type fsp from 'node:fs/promises';
import { EngineError } from '../errors.js';

export interface SparseMember {
  name?: string; // GNU.sparse.name: the real name (0.1, 1.0); the header's otherwise
  realSize: number;
  regions?: Array<[number, number]>; // offset, length; absent for 1.0, whose map heads the data
}

function count(value: string | undefined, what: string, name: string): number {
  const n = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new EngineError(`layer entry ${JSON.stringify(name)}: bad sparse ${what} ${JSON.stringify(value)}`, 'invalid');
  return n;
}

function pairs(numbers: number[], name: string): Array<[number, number]> {
  if (numbers.length % 2 !== 0) throw new EngineError(`layer entry ${JSON.stringify(name)}: sparse map with an odd count of numbers`, 'invalid');
  const out: Array<[number, number]> = [];
  for (let i = 0; i < numbers.length; i += 2) out.push([numbers[i], numbers[i + 1]]);
  return out;
}

/** The sparse description of a tar member from its PAX records, or undefined for a plain file. */
export function sparseMember(pax: Record<string, string> | undefined, name: string): SparseMember | undefined {
  if (!pax) return undefined;
  if (pax['GNU.sparse.major'] !== undefined) {
    if (pax['GNU.sparse.major'] !== '1' || pax['GNU.sparse.minor'] !== '0') {
      throw new EngineError(`layer entry ${JSON.stringify(name)}: GNU sparse format ${pax['GNU.sparse.major']}.${pax['GNU.sparse.minor']} is not supported`, 'invalid');
    }
    return { name: pax['GNU.sparse.name'], realSize: count(pax['GNU.sparse.realsize'], 'size', name) };
  }
  if (pax['GNU.sparse.map'] === undefined) return undefined;
  const numbers = pax['GNU.sparse.map'] === '' ? [] : pax['GNU.sparse.map'].split(',').map((n) => count(n, 'map entry', name));
  return { name: pax['GNU.sparse.name'], realSize: count(pax['GNU.sparse.size'], 'size', name), regions: pairs(numbers, name) };
}

const BLOCK = 512;

/** Writes a sparse member's data (`body`, `storedSize` bytes) into the new, empty `file`. */
export async function writeSparse(file: fsp.FileHandle, member: SparseMember, body: AsyncIterable<Buffer>, storedSize: number, name: string): Promise<void> {
  const fail = (why: string) => new EngineError(`layer entry ${JSON.stringify(name)}: ${why}`, 'invalid');
  let regions = member.regions;
  let head = Buffer.alloc(0); // format 1.0: the map, decimal lines padded to a block, before the data
  let mapBytes = 0;
  let region = 0;
  let within = 0;
  let written = 0;
  const checkRegions = (rs: Array<[number, number]>) => {
    for (const [offset, length] of rs) if (offset + length > member.realSize) throw fail(`sparse region ${offset}+${length} reaches past the file's size ${member.realSize}`);
    const data = rs.reduce((sum, [, length]) => sum + length, 0);
    if (data !== storedSize - mapBytes) throw fail(`sparse map holds ${data} bytes of data, the entry ${storedSize - mapBytes}`);
  };
  if (regions) checkRegions(regions);
  for await (let chunk of body) {
    if (!regions) {
      head = Buffer.concat([head, chunk]);
      const lines = head.toString('latin1').split('\n');
      const complete = lines.slice(0, -1);
      if (complete.length === 0 || complete.length < 1 + 2 * count(complete[0], 'region count', name)) {
        if (head.length > 1 << 20) throw fail('sparse map longer than 1 MiB');
        continue;
      }
      const n = count(complete[0], 'region count', name);
      const used = complete.slice(0, 1 + 2 * n).reduce((sum, l) => sum + l.length + 1, 0);
      mapBytes = Math.ceil(used / BLOCK) * BLOCK;
      if (head.length < mapBytes) continue; // its padding is still to come
      regions = pairs(complete.slice(1, 1 + 2 * n).map((v) => count(v, 'map entry', name)), name);
      checkRegions(regions);
      chunk = head.subarray(mapBytes);
    }
    let at = 0;
    while (at < chunk.length) {
      while (region < regions.length && within === regions[region][1]) { region++; within = 0; }
      if (region === regions.length) throw fail('more data than its sparse map');
      const [offset, length] = regions[region];
      const take = Math.min(length - within, chunk.length - at);
      let done = 0;
      while (done < take) done += (await file.write(chunk, at + done, take - done, offset + within + done)).bytesWritten;
      within += take;
      at += take;
      written += take;
    }
  }
  if (!regions) throw fail('tar ends inside its sparse map');
  if (written !== storedSize - mapBytes) throw fail('tar ends inside the file');
  await file.truncate(member.realSize);
}
