// /containers/{id}/archive: GET a path as a tar, HEAD its stat, PUT a tar into a directory —
// with docker's X-Docker-Container-Path-Stat header (base64 JSON of the path's stat), which
// `docker cp` reads to decide how to lay the copy out.
import { PassThrough, Readable } from 'node:stream';
import { type Call, flag } from '../call.js';
import { badRequest } from '../errors.js';
import type { Routes } from '../router.js';

const STAT_HEADER = 'X-Docker-Container-Path-Stat';

export function registerArchive(r: Routes): void {
  r.on(['GET', 'HEAD'], '/containers/:id/archive', getArchive);
  r.on('PUT', '/containers/:id/archive', async (call) => {
    const target = call.query.get('path');
    if (!target) throw badRequest('path is required');
    await call.engine.copyToContainer(call.params.id, target, { stream: Readable.from(call.body) }, { archive: flag(call, 'copyUIDGID') });
    call.reply.empty(200);
  });
}

async function getArchive(call: Call): Promise<void> {
  const source = call.query.get('path');
  if (!source) throw badRequest('path is required');
  await call.engine.inspectContainer(call.params.id);
  const tar = new PassThrough();
  const copying = call.engine.copyFromContainer(call.params.id, source, { stream: tar });
  const first = await firstHeader(tar, copying);
  const stat = Buffer.from(JSON.stringify(pathStat(first.header, source))).toString('base64');
  if (call.method === 'HEAD') {
    tar.resume();
    await copying;
    return call.reply.empty(200, { [STAT_HEADER]: stat, 'Content-Type': 'application/x-tar' });
  }
  const out = call.reply.stream(200, 'application/x-tar', { [STAT_HEADER]: stat });
  out.write(first.bytes);
  const ended = new Promise<void>((resolve) => (tar.readableEnded ? resolve() : tar.once('end', resolve)));
  tar.pipe(out);
  await copying;
  if (!tar.writableEnded) tar.end(); // the engine leaves a stream it was given open
  await ended;
}

// The copy's first 512 bytes: the header of the path itself (or a PAX header before it).
async function firstHeader(tar: PassThrough, copying: Promise<number>): Promise<{ header: Buffer; bytes: Buffer }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const failed = copying.then(() => undefined);
  while (size < 512) {
    const chunk = await Promise.race([new Promise<Buffer | null>((resolve) => {
      const onData = () => { const c = tar.read() as Buffer | null; if (c) { tar.off('readable', onData); resolve(c); } };
      tar.on('readable', onData);
      tar.once('end', () => resolve(null));
      onData();
    }), failed.then(() => (tar.readableLength ? (tar.read() as Buffer) : null))]);
    if (!chunk) break;
    chunks.push(chunk);
    size += chunk.length;
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length < 512) await copying; // throws the engine's error (not found) if there was one
  return { header: bytes.subarray(0, 512), bytes };
}

function pathStat(header: Buffer, requested: string) {
  const field = (from: number, length: number) => header.subarray(from, from + length).toString('utf8').replace(/\0.*$/s, '');
  const octal = (from: number, length: number) => parseInt(field(from, length).trim() || '0', 8);
  const type = String.fromCharCode(header[156] || 48);
  const base = requested.replace(/\/+$/, '').split('/').pop() || '/';
  const perm = octal(100, 8) & 0o7777;
  const mode = perm + (type === '5' ? 2 ** 31 : 0) + (type === '2' ? 2 ** 27 : 0);
  return { name: base, size: octal(124, 12), mode, mtime: new Date(octal(136, 12) * 1000).toISOString(), linkTarget: type === '2' ? field(157, 100) : '' };
}
