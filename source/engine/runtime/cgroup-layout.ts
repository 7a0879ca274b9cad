// Finds, per controller, whether this host serves it through a v1 hierarchy, the v2
// unified tree, or not at all. Hosts mix both ("hybrid"), so nothing assumes one layout.
import fs from 'node:fs';
import path from 'node:path';
import { isRootless } from '../rootless/mode.js';

export const CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'cpuset', 'pids', 'freezer', 'blkio', 'devices'] as const;
export type Controller = (typeof CONTROLLERS)[number];

export interface ControllerPlace {
  version: 'v1' | 'v2';
  // The directory that new groups are created under: the caller's own group there.
  base: string;
}

// A container's groups: controller name, or 'unified' for its cgroup2 group, → its directory.
export type CgroupPaths = Record<string, string>;

// v1 hierarchies without a controller that runc puts a container in too (docker shows /sys/fs/cgroup/systemd).
export const NAMED_HIERARCHIES = ['name=systemd'] as const;

export interface CgroupLayout {
  controllers: Partial<Record<Controller, ControllerPlace>>;
  named: Record<string, string>; // a NAMED_HIERARCHIES entry mounted here → the caller's own dir in it
  unified?: string; // the caller's own dir in the cgroup2 tree, when one is mounted
}

interface Mount {
  mountPoint: string;
  root: string;
  fstype: string;
  superOptions: string[];
}

function readMounts(): Mount[] {
  const mounts: Mount[] = [];
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (!line) continue;
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const fields = left.split(' ');
    const [fstype, , superOpts] = right.split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    mounts.push({ root: unescapeMount(fields[3]), mountPoint: unescapeMount(fields[4]), fstype, superOptions: superOpts.split(',') });
  }
  return mounts;
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8)));
}

function ownGroups(): Map<string, string> {
  // key: controller list of a v1 hierarchy ("cpu,cpuacct") or '' for v2
  const map = new Map<string, string>();
  for (const line of fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (m) map.set(m[2], m[3]);
  }
  return map;
}

function joinUnder(mount: Mount, ownPath: string): string {
  // Our own group path is relative to the hierarchy root; the mount may show a sub-tree.
  const relative = path.relative(mount.root, ownPath);
  if (relative.startsWith('..')) return mount.mountPoint;
  return path.join(mount.mountPoint, relative);
}

/** A cgroup hierarchy mounted on this host: its directory's name ("memory", "cpu,cpuacct", "unified") and what it carries. */
export interface CgroupHierarchy {
  name: string;
  version: 'v1' | 'v2';
  options: string[]; // v1: the controllers and "name=…" among its mount options
}

export function cgroupHierarchies(): CgroupHierarchy[] {
  return readMounts().map((m) => ({ name: path.basename(m.mountPoint), version: m.fstype === 'cgroup' ? 'v1' : 'v2', options: m.superOptions }));
}

let cached: CgroupLayout | undefined;

export function detectCgroupLayout(): CgroupLayout {
  if (cached) return cached;
  const mounts = readMounts();
  const own = ownGroups();
  const layout: CgroupLayout = { controllers: {}, named: {} };

  const v2 = mounts.find((m) => m.fstype === 'cgroup2');
  let v2Controllers: string[] = [];
  if (v2) {
    layout.unified = joinUnder(v2, own.get('') ?? '/');
    try {
      v2Controllers = fs.readFileSync(path.join(v2.mountPoint, 'cgroup.controllers'), 'utf8').trim().split(/\s+/);
    } catch {
      v2Controllers = [];
    }
  }

  const v1Base = (option: string): string | undefined => {
    const v1 = mounts.find((m) => m.fstype === 'cgroup' && m.superOptions.includes(option));
    if (!v1) return undefined;
    const key = [...own.keys()].find((k) => k.split(',').includes(option));
    return joinUnder(v1, key !== undefined ? own.get(key)! : '/');
  };
  for (const name of NAMED_HIERARCHIES) {
    const base = v1Base(name);
    if (base !== undefined) layout.named[name] = base;
  }
  for (const controller of CONTROLLERS) {
    const base = v1Base(controller);
    if (base !== undefined) {
      layout.controllers[controller] = { version: 'v1', base };
      continue;
    }
    // v2 names: cpuacct folds into cpu, blkio is io; freezer and devices are built in.
    const v2Name = controller === 'cpuacct' ? 'cpu' : controller === 'blkio' ? 'io' : controller;
    const builtIn = controller === 'freezer' || controller === 'devices';
    if (v2 && layout.unified && (builtIn || v2Controllers.includes(v2Name))) {
      layout.controllers[controller] = { version: 'v2', base: layout.unified };
    }
  }
  cached = isRootless() ? delegatedOnly(layout) : layout;
  return cached;
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Rootless strata may only use groups delegated to its user (on v2, a systemd user slice's
 * subtree it can write); host root's v1 hierarchies are never, so on a v1 host it runs without
 * cgroups, as podman does there.
 */
function delegatedOnly(layout: CgroupLayout): CgroupLayout {
  const out: CgroupLayout = { controllers: {}, named: {} };
  if (layout.unified && writable(layout.unified)) out.unified = layout.unified;
  for (const [controller, place] of Object.entries(layout.controllers) as Array<[Controller, ControllerPlace]>) {
    if (writable(place.base)) out.controllers[controller] = place;
  }
  for (const [name, base] of Object.entries(layout.named)) if (writable(base)) out.named[name] = base;
  // every v2 group but the root has cgroup.freeze: a delegated v2 group can pause even where the
  // v1 freezer (root's) serves everyone else, as on a hybrid host
  if (out.unified && !out.controllers.freezer) out.controllers.freezer = { version: 'v2', base: out.unified };
  return out;
}

export function describeLayout(layout: CgroupLayout): Record<string, 'v1' | 'v2' | 'missing'> {
  const out: Record<string, 'v1' | 'v2' | 'missing'> = {};
  for (const c of CONTROLLERS) out[c] = layout.controllers[c]?.version ?? 'missing';
  return out;
}
