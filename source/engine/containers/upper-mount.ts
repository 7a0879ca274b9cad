// A container's read-write overlay: its layers under its own upper dir. The upper of a --rm
// container is mounted "volatile" (as podman does for --rm): overlay then never syncs it — no
// fsync reaches the disk from inside, and unmounting skips the sync of the whole upper filesystem
// that otherwise costs tens of milliseconds whenever anything on that disk is dirty. Such a
// container is removed when it exits and does not outlive a crash, so nothing is lost.
import fs from 'node:fs';
import path from 'node:path';
import { mountOverlay } from '../../native.js';

export function mountContainerOverlay(lowers: string[], upper: string, work: string, target: string, volatileUpper: boolean): void {
  // A volatile mount leaves this mark, and overlay refuses the work dir until it is gone — its way
  // of saying the upper may be torn. Callers mount only after the previous mount ended cleanly
  // (the shim finished, or we unmounted it ourselves), when the upper is whole.
  fs.rmSync(path.join(work, 'work', 'incompat', 'volatile'), { recursive: true, force: true });
  mountOverlay(lowers, upper, work, target, volatileUpper);
}

/**
 * A read-only view of a container's root (its upper dir as the top lower layer): what the engine
 * reads before a monitor mounts the root itself (--userns=auto). Read-only, its unmount has
 * nothing to sync, which a read-write overlay's does (tens of milliseconds on a dirty disk).
 */
export function mountReadOnlyView(lowers: string[], upper: string, target: string): void {
  mountOverlay([upper, ...lowers], '', '', target, false);
}
