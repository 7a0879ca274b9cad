// A little space kept aside in the store so that removal works on a full disk. Every record
// change is written to a new temp file first, which a full filesystem refuses — and removing
// an image or a volume starts with such a write. Opening the store keeps a 1 MiB file in its
// root; a removal that fails for want of space gives that file up and tries once more, freeing
// what the user asked to free; the next store open takes the reserve again when there is room.
import fs from 'node:fs';
import path from 'node:path';
import { isDiskFull } from './json-file.js';

const RESERVE_BYTES = 1 << 20;

function reserveFile(root: string): string {
  return path.join(root, 'space-reserve');
}

/** Makes the reserve if it is missing and the disk has room; never throws. */
export function keepSpaceReserve(root: string): void {
  const file = reserveFile(root);
  if (fs.existsSync(file)) return;
  const temp = `${file}.tmp-${process.pid}`;
  try {
    fs.writeFileSync(temp, Buffer.alloc(RESERVE_BYTES), { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch {
    fs.rmSync(temp, { force: true }); // a full disk: the reserve waits for a later open
  }
}

/** Runs a removal; if it fails for want of space, releases the reserve and runs it once more. */
export async function freeingSpace<T>(root: string, removal: () => Promise<T>): Promise<T> {
  try {
    return await removal();
  } catch (err) {
    if (!isDiskFull(err) || !fs.existsSync(reserveFile(root))) throw err;
    fs.rmSync(reserveFile(root), { force: true });
    return removal();
  }
}
