// Named volumes under <root>/volumes/<name>: the data in _data, the record in volume.json.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { VolumeRecord } from '../api.js';
import { EngineError } from '../errors.js';
import { processAlive } from '../store/abandoned.js';
import { writeJsonAtomic } from '../store/json-file.js';

const VALID_VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** A volume being made aside or removed after a rename, named with its writer's pid. */
export const INTERRUPTED_VOLUME = /^\.(.+)\.(creating|removing)-(\d+)$/;
// the store's directory for it (and its temp name while being made) must fit a file name, 255 bytes
const MAX_NAME = 200;

interface StoredVolume extends VolumeRecord {
  initialized: boolean; // the image's content was copied in at its first mount (docker's copy-up)
}

export class VolumeStore {
  readonly dir: string;

  constructor(root: string) {
    this.dir = path.join(path.resolve(root), 'volumes');
  }

  private recordFile(name: string): string { return path.join(this.dir, name, 'volume.json'); }
  dataDir(name: string): string { return path.join(this.dir, name, '_data'); }

  read(name: string): StoredVolume | undefined {
    if (!VALID_VOLUME_NAME.test(name)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(this.recordFile(name), 'utf8')) as StoredVolume;
    } catch {
      return undefined;
    }
  }

  get(name: string): StoredVolume {
    const v = this.read(name);
    if (!v) throw new EngineError(`get ${name}: no such volume`, 'not-found');
    return v;
  }

  all(): StoredVolume[] {
    let names: string[] = [];
    try { names = fs.readdirSync(this.dir); } catch { /* none yet */ }
    return names.map((n) => this.read(n)).filter((v): v is StoredVolume => v !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  newAnonymousName(): string {
    return crypto.randomBytes(32).toString('hex');
  }

  /** Creates the volume, or returns it when it exists (docker's `volume create` is idempotent). */
  ensure(name: string | undefined, labels: Record<string, string> = {}, anonymous = name === undefined): StoredVolume {
    const wanted = name ?? this.newAnonymousName();
    if (!VALID_VOLUME_NAME.test(wanted)) throw new EngineError(`create ${wanted}: "${wanted}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed`, 'invalid');
    if (wanted.length > MAX_NAME) throw new EngineError(`create ${wanted.slice(0, 20)}…: the name is ${wanted.length} characters long, more than the ${MAX_NAME} a local volume name may have`, 'invalid');
    const existing = this.read(wanted);
    if (existing) return existing;
    // Made aside and renamed in: a crash never leaves a volume without its record.
    const staging = path.join(this.dir, `.${wanted}.creating-${process.pid}`);
    fs.mkdirSync(path.join(staging, '_data'), { recursive: true, mode: 0o755 });
    const record: StoredVolume = { name: wanted, driver: 'local', mountpoint: this.dataDir(wanted), created: new Date().toISOString(), labels, anonymous, initialized: false };
    fs.writeFileSync(path.join(staging, 'volume.json'), JSON.stringify(record, null, 2));
    try {
      fs.renameSync(staging, path.join(this.dir, wanted));
    } catch (err) {
      fs.rmSync(staging, { recursive: true, force: true });
      const raced = this.read(wanted);
      if (raced) return raced;
      throw err;
    }
    return record;
  }

  markInitialized(v: StoredVolume): void {
    writeJsonAtomic(this.recordFile(v.name), { ...v, initialized: true });
  }

  remove(name: string): void {
    const doomed = path.join(this.dir, `.${name}.removing-${process.pid}`);
    fs.renameSync(path.join(this.dir, name), doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
  }

  /** What creates and removes in progress, or cut short, left here: [entry, pid]. */
  inProgress(): Array<[string, number]> {
    let names: string[] = [];
    try { names = fs.readdirSync(this.dir); } catch { /* none yet */ }
    return names.flatMap((n) => {
      const m = INTERRUPTED_VOLUME.exec(n);
      return m ? [[path.join(this.dir, n), Number(m[3])] as [string, number]] : [];
    });
  }

  /** A dead process's half-made volume is removed, its half-removed one removed the rest of the way; returns what was. */
  finishInterrupted(): string[] {
    const finished: string[] = [];
    for (const [entry, pid] of this.inProgress()) {
      if (pid === process.pid || processAlive(pid)) continue;
      fs.rmSync(entry, { recursive: true, force: true });
      finished.push(entry);
    }
    return finished;
  }

  public(v: StoredVolume): VolumeRecord {
    const { initialized: _, ...rest } = v;
    return rest;
  }
}
