// Notices changes other strata processes (and shims) make to the container records, by
// file watches rather than polling: the containers dir for creations and removals, and
// each container's own dir for its record, pid and exit files. Logs live in a sub-folder,
// so a chatty container does not wake the watcher.
import fs from 'node:fs';
import path from 'node:path';

export class StoreWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private top?: fs.FSWatcher;
  private timer?: NodeJS.Timeout;

  constructor(private readonly containersDir: string, private readonly onChange: () => void, private readonly debounceMs = 50) {}

  start(): void {
    if (this.top) return;
    this.top = fs.watch(this.containersDir, () => { this.sync(); this.changed(); });
    this.top.on('error', () => {});
    this.sync();
  }

  private sync(): void {
    let names: string[] = [];
    try { names = fs.readdirSync(this.containersDir).filter((n) => /^[0-9a-f]{64}$/.test(n)); } catch { /* gone */ }
    const present = new Set(names);
    for (const [name, w] of this.watchers) {
      if (!present.has(name)) { w.close(); this.watchers.delete(name); }
    }
    for (const name of names) {
      if (this.watchers.has(name)) continue;
      try {
        const w = fs.watch(path.join(this.containersDir, name), (_event, file) => {
          if (file === null || file === 'container.json' || file === 'exit.json') this.changed();
        });
        w.on('error', () => {});
        this.watchers.set(name, w);
      } catch { /* removed meanwhile */ }
    }
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => { this.timer = undefined; this.onChange(); }, this.debounceMs);
  }

  stop(): void {
    this.top?.close();
    this.top = undefined;
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    if (this.timer) clearTimeout(this.timer);
  }
}
