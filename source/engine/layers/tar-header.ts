// ustar headers (with PAX records for long names, big ids and xattrs), written by hand: packing a
// layer is one synchronous header per entry into a batch buffer, where tar-stream's pack costs a
// stream write and a callback per entry (several times slower for many small files).

export type EntryType = 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo';

export interface TarEntry {
  name: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number; // bytes of data that follow (files only)
  mtime: number; // seconds
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  pax?: Record<string, string>; // extra PAX records (SCHILY.xattr.*)
}

const TYPEFLAG: Record<EntryType, string> = { file: '0', link: '1', symlink: '2', 'character-device': '3', 'block-device': '4', directory: '5', fifo: '6' };
const MAX_OCTAL_ID = 0o7777777;
const MAX_OCTAL_SIZE = 0o77777777777;
export const BLOCK = 512;

/** The header block(s) of one entry: a PAX header first when ustar cannot hold everything. */
export function entryHeader(e: TarEntry): Buffer {
  const pax: Record<string, string> = { ...e.pax };
  let name = e.name;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    const split = splitName(name);
    if (split) [prefix, name] = split;
    else {
      pax.path = e.name;
      name = truncate(e.name, 100);
    }
  }
  let linkname = e.linkname ?? '';
  if (Buffer.byteLength(linkname) > 100) {
    pax.linkpath = linkname;
    linkname = truncate(linkname, 100);
  }
  if (e.uid > MAX_OCTAL_ID) pax.uid = String(e.uid);
  if (e.gid > MAX_OCTAL_ID) pax.gid = String(e.gid);
  if (e.size > MAX_OCTAL_SIZE) pax.size = String(e.size);
  const main = ustar({ ...e, name, linkname, prefix });
  if (Object.keys(pax).length === 0) return main;
  const records = Buffer.from(Object.entries(pax).map(([k, v]) => paxRecord(k, v)).join(''));
  const paxHead = ustar({ name: truncate(`PaxHeader/${e.name.split('/').filter(Boolean).pop() ?? 'x'}`, 100), type: 'x', mode: 0o644, uid: 0, gid: 0, size: records.length, mtime: e.mtime, linkname: '', prefix: '' });
  return Buffer.concat([paxHead, records, Buffer.alloc(padding(records.length)), main]);
}

export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

function ustar(e: Omit<TarEntry, 'type' | 'linkname'> & { type: EntryType | 'x'; linkname: string; prefix: string }): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(e.name, 0, 100, 'utf8');
  octal(b, 100, 8, e.mode & 0o7777);
  octal(b, 108, 8, Math.min(e.uid, MAX_OCTAL_ID));
  octal(b, 116, 8, Math.min(e.gid, MAX_OCTAL_ID));
  octal(b, 124, 12, e.type === 'file' || e.type === 'x' ? Math.min(e.size, MAX_OCTAL_SIZE) : 0);
  octal(b, 136, 12, Math.max(0, Math.floor(e.mtime)));
  b.write(e.type === 'x' ? 'x' : TYPEFLAG[e.type], 156, 1, 'latin1');
  b.write(e.linkname, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'latin1');
  octal(b, 329, 8, e.devmajor ?? 0);
  octal(b, 337, 8, e.devminor ?? 0);
  b.write(e.prefix, 345, 155, 'utf8');
  b.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i];
  b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return b;
}

function octal(b: Buffer, offset: number, width: number, value: number): void {
  b.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'latin1');
}

function splitName(name: string): [string, string] | undefined {
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return [prefix, rest];
  }
  return undefined;
}

function truncate(s: string, bytes: number): string {
  let out = s;
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}
