// A cache for `strata ps`: the few fields of each container record that listing needs, kept
// in one file beside the store and trusted per record only while that record's file is the
// very one it was taken from. Reading 200 records and parsing them was most of what `ps` did
// beyond node's own start; a stat per record and one small file replace that.
//
// Two levels of trust. Every record write renames a temp file from containers/ into place
// (record-store.ts), and creating or removing a container adds or drops an entry there: any
// change to any record changes the containers/ directory's mtime and ctime. While those are
// what the index saw, it holds every record as it is, and `ps` reads nothing else. Otherwise
// each record is checked on its own: it is replaced by rename, so its inode changes with every
// write, and the key also holds size, mtime and ctime.
// Either key is trusted only when what it describes had not changed for RACY_MS before it was
// taken: a later change then gets a later time even on a coarse (jiffy) clock, so it cannot
// look like the state that was cached (git's "racily clean").
import fs from 'node:fs';
import type { ContainerConfig, ContainerRecord, HostConfig, NetworkAttachment } from '../api.js';

export type ListedRecord = Pick<ContainerRecord, 'id' | 'name' | 'created' | 'path' | 'args' | 'state' | 'bootId' | 'cgroupPaths'> & {
  config: Pick<ContainerConfig, 'image' | 'imageId'>;
  hostConfig: Pick<HostConfig, 'autoRemove'>;
  networkSettings?: Pick<NetworkAttachment, 'ports'>;
};

type Entries = Record<string, { key: string; record: ListedRecord }>;

interface IndexFile {
  version: 2;
  root: string;
  // the containers/ directory's key when `entries` held every record; absent when it did not
  dirKey?: string;
  entries: Entries;
}

const RACY_MS = 100;

export function listedRecord(r: ContainerRecord): ListedRecord {
  // only the controllers reconcile() reads (isFrozen): the others are long paths nobody lists
  const cgroupPaths: Record<string, string> = {};
  if (r.cgroupPaths.freezer) cgroupPaths.freezer = r.cgroupPaths.freezer;
  if (r.cgroupPaths.unified) cgroupPaths.unified = r.cgroupPaths.unified;
  return {
    id: r.id, name: r.name, created: r.created, path: r.path, args: r.args, state: r.state, bootId: r.bootId, cgroupPaths,
    config: { image: r.config.image, imageId: r.config.imageId },
    hostConfig: { autoRemove: r.hostConfig.autoRemove },
    ...(r.networkSettings ? { networkSettings: { ports: r.networkSettings.ports } } : {}),
  };
}

function fileKey(st: fs.Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

function settled(st: fs.Stats, now: number): boolean {
  return now - Math.max(st.mtimeMs, st.ctimeMs) > RACY_MS;
}

export class ListIndex {
  private readonly old: IndexFile;
  private readonly next: Entries = {};
  private readonly dirKey: string;
  private complete: boolean;
  private dirty = false;

  /** `dir` is the stat of containers/, taken before anything in it is read. */
  constructor(private readonly file: string, private readonly root: string, dir: fs.Stats) {
    this.old = ListIndex.load(file, root);
    this.dirKey = `${dir.ino}:${dir.nlink}:${dir.mtimeMs}:${dir.ctimeMs}`;
    this.complete = settled(dir, Date.now());
  }

  private static load(file: string, root: string): IndexFile {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as IndexFile;
      if (parsed.version === 2 && parsed.root === root && parsed.entries) return parsed;
    } catch { /* absent or torn by a crash: rebuilt from the records */ }
    return { version: 2, root, entries: {} };
  }

  /** Every record, when containers/ is unchanged since an index that held them all. */
  whole(): ListedRecord[] | undefined {
    if (this.old.dirKey !== this.dirKey) return undefined;
    const records = Object.values(this.old.entries).map((e) => e.record);
    Object.assign(this.next, this.old.entries);
    return records;
  }

  /** The listed fields of the record at `recordFile`, or undefined when it cannot be read. */
  get(id: string, recordFile: string): ListedRecord | undefined {
    const before = fs.statSync(recordFile, { throwIfNoEntry: false });
    if (!before) return undefined;
    const key = fileKey(before);
    const cached = this.old.entries[id];
    if (cached?.key === key) {
      this.next[id] = cached;
      return cached.record;
    }
    this.dirty = true;
    let record: ListedRecord;
    try {
      record = listedRecord(JSON.parse(fs.readFileSync(recordFile, 'utf8')) as ContainerRecord);
    } catch {
      return undefined;
    }
    // kept only when the file read is provably the one stat'ed, and old enough (see above)
    const after = fs.statSync(recordFile, { throwIfNoEntry: false });
    if (after && fileKey(after) === key && settled(before, Date.now())) this.next[id] = { key, record };
    else this.complete = false;
    return record;
  }

  /**
   * Writes the index when it differs from the one read; called once every record was listed.
   * A failure only costs the next `ps` time.
   */
  save(): void {
    const dirKey = this.complete ? this.dirKey : undefined;
    if (!this.dirty && dirKey === this.old.dirKey && Object.keys(this.next).length === Object.keys(this.old.entries).length) return;
    const body: IndexFile = { version: 2, root: this.root, ...(dirKey ? { dirKey } : {}), entries: this.next };
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, JSON.stringify(body));
      fs.renameSync(temp, this.file);
    } catch {
      try { fs.unlinkSync(temp); } catch { /* never written */ }
    }
  }
}
