// The truth about a container's state comes from the kernel and the shim, not the record:
// the record is what was last written, reconciled here against the pid file, the shim's
// liveness, the exit file and the boot id.
import fs from 'node:fs';
import type { ContainerRecord, ContainerState } from '../api.js';
import { isFrozen } from '../runtime/freezer-state.js';
import { parseExitFile, parsePidFile, type ExitFile, type PidFile } from '../runtime/monitor-protocol.js';
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

// `state` is the record's own object when nothing changed
export type Reconciled = { state: ContainerState; changed: boolean; shimGone: boolean };

/**
 * `withRunDir`, when given, holds the ids that have a directory under the runtime dir: a
 * container without one has no pid or exit file there, and is not looked for (`ps` of 200
 * created containers: one readdir instead of 200 stats).
 */
export function reconcile(record: Pick<ContainerRecord, 'id' | 'state' | 'bootId' | 'cgroupPaths'>, paths: ContainerPaths, withRunDir?: ReadonlySet<string>): Reconciled {
  const recorded = record.state;
  const wasRunning = mayBeRunning(recorded);
  // exited, dead, or created and never as far as a shim: nothing on disk can say otherwise
  // (what `ps` meets most, so no more files are looked at and nothing is copied)
  if (!wasRunning && recorded.status !== 'created') return { state: recorded, changed: false, shimGone: false };
  const pids = withRunDir && !withRunDir.has(record.id) ? undefined : readPidFile(paths.pidFile(record.id));
  if (!wasRunning && !pids) return { state: recorded, changed: false, shimGone: false };
  const st = { ...recorded };
  const exit = readExitFile(paths.exitFile(record.id));
  const shimPid = pids?.shimPid || st.shimPid;
  const alive = record.bootId === bootId() && shimAlive(shimPid, record.id);
  // The shim writes the exit file first and cleans up after: the container has exited as
  // soon as the file is there (it is removed at every start, so it is this run's).
  if (exit && (wasRunning || pids)) {
    Object.assign(st, { status: 'exited', running: false, paused: false, pid: 0, shimPid: alive ? shimPid : 0, exitCode: exit.exitCode, oomKilled: exit.oomKilled, finishedAt: exit.finishedAt, error: exit.error });
    return { state: st, changed: true, shimGone: true };
  }
  if (alive) {
    // Started by a process that died before it could record it, or still running.
    const paused = isFrozen(record.cgroupPaths);
    const status = paused ? 'paused' : 'running';
    const changed = st.status !== status || (pids !== undefined && st.pid !== pids.initPid);
    if (pids) { st.pid = pids.initPid; st.shimPid = pids.shimPid; }
    st.status = status; st.running = true; st.paused = paused;
    return { state: st, changed, shimGone: false };
  }
  if (wasRunning) {
    const rebooted = record.bootId !== bootId();
    Object.assign(st, {
      status: 'exited', running: false, paused: false, pid: 0, shimPid: 0, exitCode: 255, oomKilled: false,
      finishedAt: new Date().toISOString(),
      error: rebooted ? 'the host restarted while the container ran; its exit status is unknown' : 'the container monitor (strata-shim) died; exit status unknown',
    });
    return { state: st, changed: true, shimGone: true };
  }
  return { state: st, changed: false, shimGone: false };
}
