// Volumes and mounts of containers: -v/--mount requests resolved at create (named volumes
// made on first use, anonymous ones for the image's VOLUMEs, bind sources checked), turned
// into the shim's bind/tmpfs entries at start (with docker's copy-up of the image's content
// into a new volume), and the volume objects (create, ls, inspect, rm, prune).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerRecord, MountPoint, MountRequest, VolumeRecord } from '../api.js';
import { EngineError } from '../errors.js';
import type { SpecEntries } from '../runtime/run-spec.js';
import { resolveInRoot } from '../runtime/scoped-path.js';
import { VolumeStore } from './volume-store.js';

// A mount over / or inside /proc would hide the container's /proc, /dev and /sys or change what
// the kernel shows there (runc refuses the same); docker refuses them from -v and from an image's VOLUME.
// runc lets a bind cover these few /proc files (lxcfs does so), and so does strata.
const PROC_FILES_A_BIND_MAY_COVER = new Set(['/proc/cpuinfo', '/proc/diskstats', '/proc/meminfo', '/proc/stat', '/proc/swaps', '/proc/uptime', '/proc/loadavg', '/proc/slabinfo', '/proc/net/dev', '/proc/sys/kernel/ns_last_pid']);

function checkDestination(target: string, what: string, bind = false): void {
  const dest = path.posix.normalize(target);
  if (dest === '/' || dest === '/.') throw new EngineError(`invalid mount config: ${what}the destination cannot be /`, 'invalid');
  if (bind && PROC_FILES_A_BIND_MAY_COVER.has(dest)) return;
  if (dest === '/proc' || dest.startsWith('/proc/')) throw new EngineError(`invalid mount config: ${what}${dest} cannot be mounted because it is inside /proc`, 'invalid');
}

export class VolumeService {
  readonly store: VolumeStore;

  constructor(root: string, private readonly containers: () => ContainerRecord[]) {
    this.store = new VolumeStore(root);
  }

  // ---- volume objects --------------------------------------------------------------------

  create(name?: string, labels?: Record<string, string>): VolumeRecord { return this.store.public(this.store.ensure(name, labels)); }
  list(): VolumeRecord[] { return this.store.all().map((v) => this.store.public(v)); }
  inspect(name: string): VolumeRecord { return this.store.public(this.store.get(name)); }

  usersOf(name: string): ContainerRecord[] {
    return this.containers().filter((r) => (r.mounts ?? []).some((m) => m.type === 'volume' && m.name === name));
  }

  remove(name: string, force = false): void {
    this.store.get(name);
    const users = this.usersOf(name);
    if (users.length > 0 && !force) {
      throw new EngineError(`remove ${name}: volume is in use - [${users.map((u) => u.id).join(', ')}]`, 'conflict');
    }
    if (users.some((u) => u.state.running)) throw new EngineError(`remove ${name}: volume is in use by a running container`, 'conflict');
    this.store.remove(name);
  }

  prune(): { removed: string[]; reclaimedBytes: number } {
    const removed: string[] = [];
    let reclaimedBytes = 0;
    for (const v of this.store.all()) {
      if (this.usersOf(v.name).length > 0) continue;
      const bytes = diskUsage(this.store.dataDir(v.name));
      try {
        this.store.remove(v.name);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // another prune or rm took it meanwhile
        throw err;
      }
      reclaimedBytes += bytes;
      removed.push(v.name);
    }
    return { removed, reclaimedBytes };
  }

  // ---- containers -----------------------------------------------------------------------

  /**
   * At create: every request checked and resolved; volumes made; the image's VOLUMEs get anonymous
   * ones, each named to `beforeAnonymous` before it is made (the create's record of intent).
   */
  resolve(requests: MountRequest[], imageVolumes: string[], beforeAnonymous: (name: string) => void = () => {}): MountPoint[] {
    const anonymous = () => {
      const name = this.store.newAnonymousName();
      beforeAnonymous(name);
      return this.store.ensure(name, {}, true);
    };
    const out: MountPoint[] = [];
    const seen = new Set<string>();
    const add = (m: MountPoint) => {
      const dest = path.posix.normalize(m.destination).replace(/(.)\/$/, '$1');
      if (seen.has(dest)) throw new EngineError(`Duplicate mount point: ${dest}`, 'invalid');
      seen.add(dest);
      out.push({ ...m, destination: dest });
    };
    for (const r of requests) {
      if (!r.target.startsWith('/')) throw new EngineError(`invalid mount config: mount path must be absolute: ${r.target}`, 'invalid');
      checkDestination(r.target, '', r.type === 'bind');
      if (r.type === 'bind') {
        const src = r.source ?? '';
        if (!src.startsWith('/')) throw new EngineError(`invalid mount config for type "bind": invalid mount path: '${src}' mount path must be absolute`, 'invalid');
        if (!fs.existsSync(src)) throw new EngineError(`invalid mount config for type "bind": bind source path does not exist: ${src}`, 'invalid');
        add({ type: 'bind', source: fs.realpathSync(src), destination: r.target, rw: !r.readOnly, ...(r.idmap ? { idmap: true } : {}) });
      } else if (r.type === 'volume') {
        const v = r.source === undefined ? anonymous() : this.store.ensure(r.source);
        add({ type: 'volume', name: v.name, source: this.store.dataDir(v.name), destination: r.target, rw: !r.readOnly, anonymous: v.anonymous });
      } else {
        const opts = ['nosuid', 'nodev', 'noexec', `mode=${(r.tmpfsMode ?? 0o1777).toString(8)}`];
        if (r.tmpfsSizeBytes) opts.push(`size=${r.tmpfsSizeBytes}`);
        add({ type: 'tmpfs', source: '', destination: r.target, rw: !r.readOnly, options: opts.join(',') });
      }
    }
    for (const dest of imageVolumes) {
      if (seen.has(path.posix.normalize(dest).replace(/(.)\/$/, '$1'))) continue;
      checkDestination(dest, `the image's VOLUME ${dest}: `);
      const v = anonymous();
      add({ type: 'volume', name: v.name, source: this.store.dataDir(v.name), destination: dest, rw: true, anonymous: true });
    }
    return out;
  }

  /** At start, with the rootfs mounted: the shim's entries; new volumes get the image's content first. */
  prepare(record: ContainerRecord, rootfs: string): SpecEntries {
    const entries: SpecEntries = [];
    for (const m of record.mounts ?? []) {
      if (m.type === 'tmpfs') {
        entries.push(['tmpfs', `${m.destination}\t${m.options ?? 'nosuid,nodev,noexec,mode=1777'}${m.rw ? '' : ',ro'}`]);
        continue;
      }
      if (m.type === 'volume') {
        const v = this.store.read(m.name ?? '') ?? this.store.ensure(m.name);
        if (!v.initialized) {
          copyUp(rootfs, m.destination, this.store.dataDir(v.name));
          this.store.markInitialized(v);
        }
      } else if (!fs.existsSync(m.source)) {
        throw new EngineError(`invalid mount config for type "bind": bind source path does not exist: ${m.source}`, 'invalid');
      }
      // a named volume is strata's own: idmapped, its files are the same to containers of any
      // range; a host directory only when asked (-v …:idmap): otherwise what the container's root
      // writes there stays its range's, never the host root's
      const idmap = record.idMapping && (m.type === 'volume' || m.idmap) ? ',idmap' : '';
      entries.push(['bind', `${m.source}\t${m.destination}\trbind,${m.rw ? 'rw' : 'ro'}${idmap}`]);
    }
    return entries;
  }

  /** rm -v / --rm: the container's anonymous volumes go with it (named ones stay, as in docker). */
  removeAnonymous(record: ContainerRecord): void {
    for (const m of record.mounts ?? []) {
      if (m.type !== 'volume' || !m.anonymous || !m.name) continue;
      if (this.usersOf(m.name).some((u) => u.id !== record.id)) continue;
      try { this.store.remove(m.name); } catch { /* already gone */ }
    }
  }

  /** The volumes named that no container record uses (a failed or killed create's new ones). */
  removeUnused(names: string[]): void {
    for (const name of names) {
      if (!this.store.read(name) || this.usersOf(name).length > 0) continue;
      try { this.store.remove(name); } catch { /* already gone */ }
    }
  }
}

// docker copies what the image has at the mount point into a new, empty volume.
function copyUp(rootfs: string, destination: string, data: string): void {
  let source: string;
  try {
    source = resolveInRoot(rootfs, destination); // a host path, symlinks kept inside the root
  } catch {
    return;
  }
  if (!fs.existsSync(source) || !fs.statSync(source).isDirectory()) return;
  if (fs.readdirSync(data).length > 0) return;
  if (fs.readdirSync(source).length === 0) return;
  try {
    execFileSync('cp', ['-a', '--', `${source}/.`, `${data}/`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new EngineError(`cannot copy the image's content at ${destination} into its volume: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`, 'internal');
  }
}

function diskUsage(dir: string): number {
  let total = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) total += fs.lstatSync(p).size;
    }
  };
  try { walk(dir); } catch { /* removed meanwhile */ }
  return total;
}
