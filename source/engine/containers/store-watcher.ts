// Notices changes other strata processes (and shims) make to the store, by file watches
// rather than polling. Containers: the containers dir for creations and removals, and each
// container's own dir for its record, pid and exit files (logs live in a sub-folder, so a
// chatty container does not wake the watcher). Images: the images dir, where the tag index
// and the image records are renamed into place. Volumes and networks: their dirs, where each
// one is created and removed by a rename. A dir that does not exist yet is picked up when the
// root says it appeared.
import fs from 'node:fs';
import path from 'node:path';
import type { StoreTopic } from '../api.js';

export interface WatchedDirs {
  root: string;
  containers: string;
  images: string;
  volumes: string;
  networks: string;
}

const FLAT_TOPICS = ['images', 'volumes', 'networks'] as const;

export class StoreWatcher {
  private readonly containerWatchers = new Map<string, fs.FSWatcher>();
  private readonly dirWatchers = new Map<StoreTopic, fs.FSWatcher>();
  private rootWatcher?: fs.FSWatcher;
  private readonly timers = new Map<StoreTopic, NodeJS.Timeout>();
  private started = false;

  constructor(private readonly dirs: WatchedDirs, private readonly onChange: (what: StoreTopic) => void, private readonly debounceMs = 50) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    this.rootWatcher = this.watch(this.dirs.root, () => this.attachMissing(true));
    this.attachMissing(false);
  }

  private watch(dir: string, listener: (file: string | null) => void): fs.FSWatcher | undefined {
    try {
      const w = fs.watch(dir, (_event, file) => listener(file));
      w.on('error', () => {});
      return w;
    } catch {
      return undefined; // not there (yet), or removed meanwhile
    }
  }

  /** `appeared`: the dirs found now are new, and whatever was written in them before the watch counts. */
  private attachMissing(appeared: boolean): void {
    if (!this.started) return;
    if (!this.dirWatchers.has('containers')) {
      const w = this.watch(this.dirs.containers, () => { this.syncContainers(); this.changed('containers'); });
      if (w) {
        this.dirWatchers.set('containers', w);
        this.syncContainers();
        if (appeared) this.changed('containers');
      }
    }
    for (const topic of FLAT_TOPICS) {
      if (this.dirWatchers.has(topic)) continue;
      // Lock files are taken and dropped by every reader: not a change.
      const w = this.watch(this.dirs[topic], (file) => { if (!file?.endsWith('lock')) this.changed(topic); });
      if (!w) continue;
      this.dirWatchers.set(topic, w);
      if (appeared) this.changed(topic);
    }
  }

  private syncContainers(): void {
    let names: string[] = [];
    try { names = fs.readdirSync(this.dirs.containers).filter((n) => /^[0-9a-f]{64}$/.test(n)); } catch { /* gone */ }
    const present = new Set(names);
    for (const [name, w] of this.containerWatchers) {
      if (!present.has(name)) { w.close(); this.containerWatchers.delete(name); }
    }
    for (const name of names) {
      if (this.containerWatchers.has(name)) continue;
      const w = this.watch(path.join(this.dirs.containers, name), (file) => {
        if (file === null || file === 'container.json' || file === 'exit.json') this.changed('containers');
      });
      if (w) this.containerWatchers.set(name, w);
    }
  }

  private changed(what: StoreTopic): void {
    if (this.timers.has(what)) return;
    this.timers.set(what, setTimeout(() => { this.timers.delete(what); this.onChange(what); }, this.debounceMs));
  }

  stop(): void {
    this.started = false;
    this.rootWatcher?.close();
    this.rootWatcher = undefined;
    for (const w of [...this.dirWatchers.values(), ...this.containerWatchers.values()]) w.close();
    this.dirWatchers.clear();
    this.containerWatchers.clear();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
