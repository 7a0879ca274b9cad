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
// The index is read whole by every `ps`, so it keeps each record lean: no id inside the entry
// (it is the entry's name), a state without the fields that hold their defaults, and the
// record's boot id and cgroup paths only while reconcile() may need them.
import fs from 'node:fs';
import type { ContainerRecord, ContainerState } from '../api.js';
import { emptyState, mayBeRunning } from './state.js';
import { type ListedRecord, compareNewestFirst, listedRecord } from './summary.js';

interface StoredRecord {
  key: string;
  name: string;
  created: string;
  command: string;
  image: string;
  imageId: string;
  autoRemove?: true;
  ports?: ListedRecord['ports'];
  labels?: ListedRecord['labels'];
  networks?: ListedRecord['networks'];
  state?: Partial<ContainerState>;
  bootId?: string;
  cgroupPaths?: Record<string, string>;
}

type Entries = Record<string, StoredRecord>;

interface IndexFile {
  version: 5; // 4: entries keep labels (ps --format {{.Label "k"}}); 5: and networks ({{.Networks}})
  root: string;
  // the containers/ directory's key when `entries` held every record; absent when it did not
  dirKey?: string;
  entries: Entries;
}

const RACY_MS = 100;
// shared by every entry with a default state: frozen, since nothing on the listing path writes it
const EMPTY_STATE: ContainerState = Object.freeze(emptyState());
const NO_CGROUPS: Record<string, string> = Object.freeze({});

function stored(r: ListedRecord, key: string): StoredRecord {
  const state: Partial<ContainerState> = {};
  let changed = false;
  for (const k of Object.keys(r.state) as Array<keyof ContainerState>) {
    if (r.state[k] !== EMPTY_STATE[k]) { (state as Record<string, unknown>)[k] = r.state[k]; changed = true; }
  }
  return {
    key, name: r.name, created: r.created, command: r.command, image: r.image, imageId: r.imageId,
    ...(r.autoRemove ? { autoRemove: true as const } : {}),
    ...(r.ports ? { ports: r.ports } : {}),
    ...(r.labels ? { labels: r.labels } : {}),
    ...(r.networks ? { networks: r.networks } : {}),
    ...(changed ? { state } : {}),
    ...(mayBeRunning(r.state) ? { bootId: r.bootId, cgroupPaths: r.cgroupPaths } : {}),
  };
}

function expanded(id: string, e: StoredRecord): ListedRecord {
  return {
    id, name: e.name, created: e.created, command: e.command, image: e.image, imageId: e.imageId,
    autoRemove: e.autoRemove === true, ...(e.ports ? { ports: e.ports } : {}), ...(e.labels ? { labels: e.labels } : {}), ...(e.networks ? { networks: e.networks } : {}),
    state: e.state ? { ...EMPTY_STATE, ...e.state } : EMPTY_STATE,
    bootId: e.bootId ?? '', cgroupPaths: e.cgroupPaths ?? NO_CGROUPS,
  };
}

/** The listed fields of a record read from its file, or undefined when it cannot be read. */
export function readListedRecord(recordFile: string): ListedRecord | undefined {
  try {
    return listedRecord(JSON.parse(fs.readFileSync(recordFile, 'utf8')) as ContainerRecord);
  } catch {
    return undefined;
  }
}

function fileKey(st: fs.Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
}

function settled(st: fs.Stats, now: number): boolean {
  return now - Math.max(st.mtimeMs, st.ctimeMs) > RACY_MS;
}

export class ListIndex {
  private readonly old: IndexFile;
  private next: Entries = {};
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
      if (parsed.version === 5 && parsed.root === root && parsed.entries) return parsed;
    } catch { /* absent or torn by a crash: rebuilt from the records */ }
    return { version: 5, root, entries: {} };
  }

  /** Every record, when containers/ is unchanged since an index that held them all. */
  whole(): ListedRecord[] | undefined {
    if (this.old.dirKey !== this.dirKey) return undefined;
    this.next = this.old.entries;
    const records: ListedRecord[] = [];
    for (const id in this.next) records.push(expanded(id, this.next[id]));
    return records;
  }

  /** Something in containers/ is changing (a create or remove under way): no record of the whole directory. */
  incomplete(): void {
    this.complete = false;
  }

  /** The listed fields of the record at `recordFile`, or undefined when it cannot be read. */
  get(id: string, recordFile: string): ListedRecord | undefined {
    const before = fs.statSync(recordFile, { throwIfNoEntry: false });
    if (!before) return undefined;
    const key = fileKey(before);
    const cached = this.old.entries[id];
    if (cached?.key === key) {
      this.next[id] = cached;
      return expanded(id, cached);
    }
    this.dirty = true;
    const record = readListedRecord(recordFile);
    if (!record) return undefined;
    // kept only when the file read is provably the one stat'ed, and old enough (see above)
    const after = fs.statSync(recordFile, { throwIfNoEntry: false });
    if (after && fileKey(after) === key && settled(before, Date.now())) this.next[id] = stored(record, key);
    else this.complete = false;
    return record;
  }

  /**
   * Writes the index when it differs from the one read; called once every record was listed.
   * A failure only costs the next `ps` time.
   */
  save(): void {
    if (this.next === this.old.entries) return; // whole(): nothing changed
    const dirKey = this.complete ? this.dirKey : undefined;
    if (!this.dirty && dirKey === this.old.dirKey && Object.keys(this.next).length === Object.keys(this.old.entries).length) return;
    // newest first, as `ps` lists them: its sort then finds them in order
    const entries: Entries = {};
    for (const id of Object.keys(this.next).sort((a, b) => compareNewestFirst(this.next[a].created, this.next[b].created))) entries[id] = this.next[id];
    const body: IndexFile = { version: 5, root: this.root, ...(dirKey ? { dirKey } : {}), entries };
    const temp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, JSON.stringify(body));
      fs.renameSync(temp, this.file);
    } catch {
      try { fs.unlinkSync(temp); } catch { /* never written */ }
    }
  }
}
