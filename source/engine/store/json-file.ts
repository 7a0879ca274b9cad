// Atomic JSON records: written to a temp file in the same directory, fsynced, renamed over the
// old one and the directory fsynced, so a crash at any instant leaves the old or the new file.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { EngineError } from '../api.js';

// Temp names carry this marker so `system check` can report leftovers of a crash.
export const TEMP_MARKER = '.tmp-';

export function tempNameFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}${TEMP_MARKER}${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
}

export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function writeFileAtomic(file: string, data: string | Buffer, mode = 0o644): void {
  const temp = tempNameFor(file);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
  fsyncDir(path.dirname(file));
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(file: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new EngineError(`${file} does not exist`, 'not-found');
    throw new EngineError(`cannot read ${file}: ${e.message}`, 'internal');
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new EngineError(`${file} is not valid JSON: ${(err as Error).message}`, 'internal');
  }
}

/** Like readJson, but undefined when the file does not exist (a record removed meanwhile). */
export function readJsonIfExists<T>(file: string): T | undefined {
  try {
    return readJson<T>(file);
  } catch (err) {
    if (err instanceof EngineError && err.code === 'not-found') return undefined;
    throw err;
  }
}
