// Container records on disk (containers/<id>/container.json), looked up by name, id or
// unique id prefix. Every write is atomic (temp file + rename).
import fs from 'node:fs';
import type { ContainerRecord } from '../api.js';
import { EngineError } from '../errors.js';
import { writeJsonAtomic } from '../store/json-file.js';
import type { ContainerPaths } from './paths.js';

export class RecordStore {
  constructor(private readonly paths: ContainerPaths) {
    fs.mkdirSync(paths.containersDir, { recursive: true });
  }

  ids(): string[] {
    return fs.readdirSync(this.paths.containersDir).filter((n) => /^[0-9a-f]{64}$/.test(n));
  }

  read(id: string): ContainerRecord | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.paths.record(id), 'utf8')) as ContainerRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new EngineError(`container record ${id} is unreadable: ${(err as Error).message}`, 'internal');
    }
  }

  all(): ContainerRecord[] {
    const out: ContainerRecord[] = [];
    for (const id of this.ids()) {
      const r = this.read(id);
      if (r) out.push(r);
    }
    return out;
  }

  write(record: ContainerRecord): void {
    const file = this.paths.record(record.id);
    // a --rm container is removed when it exits and after a crash: its record need not reach the disk.
    // The temp file is made in containers/ itself, so that the rename changes that directory:
    // `ps` trusts its listing index while the directory is unchanged (list-index.ts).
    try {
      writeJsonAtomic(file, record, {
        durableRename: !fs.existsSync(file), durable: !record.hostConfig.autoRemove,
        temp: { dir: this.paths.containersDir, base: `${record.id}.json` },
      });
    } catch (err) {
      // removed by another process meanwhile (its directory renamed away): docker's words
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EngineError(`No such container: ${record.id}`, 'not-found');
      throw err;
    }
  }

  find(ref: string): ContainerRecord {
    const wanted = ref.replace(/^\//, '');
    if (/^[0-9a-f]{64}$/.test(wanted)) {
      const r = this.read(wanted);
      if (r) return r;
    }
    const all = this.all();
    const byName = all.find((r) => r.name === wanted);
    if (byName) return byName;
    if (/^[0-9a-f]+$/.test(wanted)) {
      const matches = all.filter((r) => r.id.startsWith(wanted));
      if (matches.length === 1) return matches[0];
      if (matches.length > 1) throw new EngineError(`multiple containers found with provided prefix: ${wanted}`, 'invalid');
    }
    throw new EngineError(`No such container: ${ref}`, 'not-found');
  }

  nameTaken(name: string, exceptId?: string): boolean {
    return this.all().some((r) => r.name === name && r.id !== exceptId);
  }
}
