// The truth about a container's state comes from the kernel and the shim, not the record:
// the record is what was last written, reconciled here against the pid file, the shim's
// liveness, the exit file and the boot id.
import fs from 'node:fs';
import type { ContainerRecord, ContainerState } from '../api.js';
import { cgroupPids } from '../runtime/cgroups.js';
import { isFrozen } from '../runtime/freezer-state.js';
import { parseExitFile, parseHealthFile, parsePidFile, parseRestartFile, type ExitFile, type PidFile } from '../runtime/monitor-protocol.js';
import type { ContainerPaths } from './paths.js';

export const ZERO_TIME = '0001-01-01T00:00:00Z';

export function emptyState(): ContainerState {
  return { status: 'created', running: false, paused: false, pid: 0, shimPid: 0, exitCode: 0, oomKilled: false, error: '', startedAt: ZERO_TIME, finishedAt: ZERO_TIME };
}

let bootIdCache: string | undefined;
export function bootId(): string {
  bootIdCache ??= fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return bootIdCache;
}

// existsSync first: a thrown ENOENT costs more than the check, over many records.
// A file that does not parse counts as absent.
function readChecked<T>(file: string, parse: (text: string) => T): T | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

export function readExitFile(file: string): ExitFile | undefined {
  return readChecked(file, parseExitFile);
}

export function readPidFile(file: string): PidFile | undefined {
  return readChecked(file, parsePidFile);
}

// A pid alone can be reused: the shim is ours only if its command line names this container.
export function shimAlive(shimPid: number, id: string): boolean {
  if (!shimPid) return false;
  try {
    const cmdline = fs.readFileSync(`/proc/${shimPid}/cmdline`, 'utf8');
    return cmdline.includes('strata-shim') && cmdline.includes(id);
  } catch {
    return false;
  }
}

/** Waits (bounded) for a shim that is still cleaning up after its container exited. */
export async function shimFinished(shimPid: number, id: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (shimPid && shimAlive(shimPid, id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
}

/** Whether a container may have a live shim, so that reconcile() looks past its recorded state. */
export function mayBeRunning(state: Pick<ContainerState, 'status'>): boolean {
  return state.status === 'running' || state.status === 'paused' || state.status === 'restarting';
}

/**
 * An exited container started again by a process that died before it recorded the start (a
 * killed `start -a`): its pid file is newer than the exit the record knows. One stat.
 */
export function startedSinceExit(record: Pick<ContainerRecord, 'id' | 'state'>, paths: ContainerPaths): boolean {
  if (record.state.status !== 'exited') return false;
  const pidFile = fs.statSync(paths.pidFile(record.id), { throwIfNoEntry: false });
  return pidFile !== undefined && pidFile.mtimeMs > Date.parse(record.state.finishedAt);
}

/** What `inspect` says (State.Error) of a container whose monitor died while its processes ran on. */
export const MONITOR_GONE = 'the container monitor (strata-shim) died; the container\'s processes still run';

/** A running container without a monitor (reconcile() says so): nobody will reap it or clean up after it. */
export function monitorGone(state: Pick<ContainerState, 'running' | 'error'>): boolean {
  return state.running && state.error === MONITOR_GONE;
}

// `state` is the record's own object when nothing changed; `restartCount` is the monitor's, when it says
export type Reconciled = { state: ContainerState; changed: boolean; shimGone: boolean; restartCount?: number };

/**
 * The monitor's health results, fresh; `changed` (worth writing, and an event) only when the
 * status or the failing streak moved: a new result alone is read again at every look, so that
 * `ps` does not rewrite records at every check.
 */
function readHealth(paths: ContainerPaths, id: string, recorded: ContainerState['health']): { health: ContainerState['health']; changed: boolean } {
  const file = readChecked(paths.healthFile(id), parseHealthFile);
  if (!file) return { health: recorded, changed: false };
  return { health: file, changed: !recorded || recorded.status !== file.status || recorded.failingStreak !== file.failingStreak };
}

/**
 * `withRunDir`, when given, holds the ids that have a directory under the runtime dir: a
 * container without one has no pid or exit file there, and is not looked for (`ps` of 200
 * created containers: one readdir instead of 200 stats).
 */
export function reconcile(record: Pick<ContainerRecord, 'id' | 'state' | 'bootId' | 'cgroupPaths'>, paths: ContainerPaths, withRunDir?: ReadonlySet<string>): Reconciled {
  const recorded = record.state;
  const wasRunning = mayBeRunning(recorded);
  const hasRunDir = !withRunDir || withRunDir.has(record.id);
  // exited, dead, or created and never as far as a shim: nothing on disk can say otherwise
  // (what `ps` meets most, so no more files are looked at and nothing is copied)
  const unrecordedStart = recorded.status === 'created' || (hasRunDir && startedSinceExit(record, paths));
  if (!wasRunning && !unrecordedStart) return { state: recorded, changed: false, shimGone: false };
  const pids = hasRunDir ? readPidFile(paths.pidFile(record.id)) : undefined;
  if (!wasRunning && !pids) return { state: recorded, changed: false, shimGone: false };
  const st = { ...recorded };
  const exit = readExitFile(paths.exitFile(record.id));
  if (exit && !wasRunning && exit.finishedAt === recorded.finishedAt) return { state: recorded, changed: false, shimGone: false };
  const shimPid = pids?.shimPid || st.shimPid;
  const sameBoot = record.bootId === bootId();
  const alive = sameBoot && shimAlive(shimPid, record.id);
  const restart = hasRunDir ? readChecked(paths.restartFile(record.id), parseRestartFile) : undefined;
  const restartCount = restart?.restartCount;
  const health = hasRunDir ? readHealth(paths, record.id, st.health) : { health: st.health, changed: false };
  if (health.health) st.health = health.health;
  // Between runs of a restart policy the exit file says the last exit; the monitor waits out its
  // back-off (the restart file says so first) and keeps the root, cgroups and network.
  if (exit && alive && restart?.restarting) {
    const changed = st.status !== 'restarting' || st.finishedAt !== exit.finishedAt || health.changed;
    Object.assign(st, { status: 'restarting', running: true, paused: false, pid: 0, shimPid, exitCode: exit.exitCode, oomKilled: exit.oomKilled, finishedAt: exit.finishedAt, error: '' });
    return { state: st, changed, shimGone: false, restartCount };
  }
  // The shim writes the exit file first and cleans up after: the container has exited as
  // soon as the file is there (it is removed at every start, so it is this run's).
  if (exit) {
    Object.assign(st, { status: 'exited', running: false, paused: false, pid: 0, shimPid: alive ? shimPid : 0, exitCode: exit.exitCode, oomKilled: exit.oomKilled, finishedAt: exit.finishedAt, error: exit.error });
    return { state: st, changed: true, shimGone: true, restartCount };
  }
  // Without its monitor a container's processes run on in its cgroups: it is running still, and
  // says why nobody will record its exit; stop, kill and rm -f kill the groups' processes.
  const orphaned = !alive && sameBoot && wasRunning && cgroupPids(record.cgroupPaths).length > 0;
  if (alive || orphaned) {
    // Started by a process that died before it could record it, or still running.
    const paused = isFrozen(record.cgroupPaths);
    const status = paused ? 'paused' : 'running';
    const error = orphaned ? MONITOR_GONE : st.error;
    const newRun = pids !== undefined && st.pid !== pids.initPid; // a restart by the policy, or a start not yet recorded
    const changed = st.status !== status || st.error !== error || newRun || health.changed;
    if (pids) { st.pid = pids.initPid; st.shimPid = alive ? pids.shimPid : 0; }
    if (!wasRunning || newRun) st.startedAt = startTime(paths, record.id);
    if (!wasRunning) { st.exitCode = 0; st.finishedAt = ZERO_TIME; }
    st.status = status; st.running = true; st.paused = paused; st.error = error;
    return { state: st, changed, shimGone: false, restartCount };
  }
  if (wasRunning) {
    const rebooted = !sameBoot;
    Object.assign(st, {
      status: 'exited', running: false, paused: false, pid: 0, shimPid: 0, exitCode: 255, oomKilled: false,
      finishedAt: new Date().toISOString(),
      error: rebooted ? 'the host restarted while the container ran; its exit status is unknown' : 'the container monitor (strata-shim) died; exit status unknown',
    });
    return { state: st, changed: true, shimGone: true };
  }
  return { state: st, changed: false, shimGone: false };
}

// The shim (re)writes the pid file when it releases the container's process.
function startTime(paths: ContainerPaths, id: string): string {
  const pidFile = fs.statSync(paths.pidFile(id), { throwIfNoEntry: false });
  return (pidFile ? pidFile.mtime : new Date()).toISOString();
}
