// Where a container's files live: durable ones under the store root, live ones (spec,
// pid file, attach socket) under the runtime dir, which a reboot may empty.
import path from 'node:path';

/** A container directory being made aside (creating) or removed after a rename (removing), named
 * with its writer's pid; without a pid: versions that did not say whose they were. */
export const INTERRUPTED_CONTAINER = /^([0-9a-f]{64})\.(creating|removing)(?:-(\d+))?$/;

// Joined by hand from normalized bases: path.join per call showed up in `ps` over many records.
export class ContainerPaths {
  readonly root: string;
  readonly runtimeDir: string;
  readonly containersDir: string;

  constructor(root: string, runtimeDir: string) {
    this.root = path.resolve(root);
    this.runtimeDir = path.resolve(runtimeDir);
    this.containersDir = `${this.root}/containers`;
  }

  dir(id: string): string { return `${this.containersDir}/${id}`; }
  record(id: string): string { return `${this.dir(id)}/container.json`; }
  lock(id: string): string { return `${this.dir(id)}/lock`; }
  upper(id: string): string { return `${this.dir(id)}/upper`; }
  work(id: string): string { return `${this.dir(id)}/work`; }
  rootfs(id: string): string { return `${this.dir(id)}/merged`; }
  // In a folder of its own so that watching the container dir is not woken by every log line
  log(id: string): string { return `${this.dir(id)}/logs/container.log`; }
  exitFile(id: string): string { return `${this.dir(id)}/exit.json`; }
  // present once a process has announced this run's `die` (containers/events.ts claimDie)
  dieClaim(id: string): string { return `${this.dir(id)}/die.claimed`; }

  // `ps`'s cache of the listed fields of every record (list-index.ts)
  listIndex(): string { return `${this.root}/ps-index.json`; }

  runDir(id: string): string { return `${this.runDirs()}/${id}`; }
  runDirs(): string { return `${this.runtimeDir}/containers`; }
  spec(id: string): string { return `${this.runDir(id)}/spec`; }
  pidFile(id: string): string { return `${this.runDir(id)}/pid`; }
  // the monitor's restart count and back-off, its health results; the user's stop (no restart)
  restartFile(id: string): string { return `${this.runDir(id)}/restart.json`; }
  healthFile(id: string): string { return `${this.runDir(id)}/health.json`; }
  stopFile(id: string): string { return `${this.runDir(id)}/stopped`; }
  restartPolicyFile(id: string): string { return `${this.runDir(id)}/restart-policy`; }
  healthSpec(id: string): string { return `${this.runDir(id)}/health.spec`; }
  // sun_path holds 108 bytes: keep the socket name short
  attachSocket(id: string): string { return path.join(this.runtimeDir, 'sock', `${id.slice(0, 24)}.a`); }
  execSpec(id: string, execId: string): string { return path.join(this.runDir(id), `exec-${execId}.spec`); }
  namesLock(): string { return path.join(this.containersDir, '.names.lock'); }
}
