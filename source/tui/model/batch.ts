// Actions on many rows (k9s's marks): which containers an action acts on, the one question
// asked for all of them, and one outcome line for the lot.
import type { ContainerStatus } from '../../engine/api.js';

export interface BatchTarget {
  id: string;
  name: string;
  status: ContainerStatus;
}

/**
 * The marked containers that still exist (a filter may hide them: marks outlive it), in the
 * order they were marked; the cursor's row when none is marked.
 */
export function actionTargets(marked: ReadonlyArray<{ id: string }>, all: readonly BatchTarget[], cursor: BatchTarget | undefined): BatchTarget[] {
  if (marked.length === 0) return cursor ? [cursor] : [];
  const byId = new Map(all.map((c) => [c.id, c]));
  return marked.flatMap((m) => byId.get(m.id) ?? []);
}

/** Marks of containers that are gone dropped; the same array when none is, so nothing redraws. */
export function liveMarks<T extends { id: string }>(marked: readonly T[], existing: ReadonlySet<string>): readonly T[] {
  return marked.every((m) => existing.has(m.id)) ? marked : marked.filter((m) => existing.has(m.id));
}

/** p on many rows: unpause when every one is paused, else pause the running ones. */
export function pauseVerb(targets: readonly BatchTarget[]): 'pause' | 'unpause' {
  return targets.length > 0 && targets.every((t) => t.status === 'paused') ? 'unpause' : 'pause';
}

const SHOWN_NAMES = 4;

/** "3 containers (web, db, cache)": how many, and the first few names. */
export function countedNames(targets: ReadonlyArray<{ name: string }>): string {
  const names = targets.slice(0, SHOWN_NAMES).map((t) => t.name).join(', ');
  const more = targets.length > SHOWN_NAMES ? `, +${targets.length - SHOWN_NAMES} more` : '';
  return `${targets.length} container${targets.length === 1 ? '' : 's'} (${names}${more})`;
}

/** Runs `call` on every target at once; resolves to the summary, or rejects naming each that failed. */
export async function runBatch(verb: string, targets: readonly BatchTarget[], call: (target: BatchTarget) => Promise<unknown>): Promise<string> {
  const results = await Promise.allSettled(targets.map(call));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${targets[i].name}: ${reason(r.reason)}`] : []));
  if (failures.length === 0) return `${verb}: ${targets.length === 1 ? targets[0].name : `${targets.length} containers`}`;
  // One container: its own error, as `strata VERB NAME` says it.
  if (targets.length === 1) throw results[0].status === 'rejected' && results[0].reason instanceof Error ? results[0].reason : new Error(failures[0]);
  const done = targets.length - failures.length;
  throw new Error(`${verb} failed for ${failures.length} of ${targets.length}${done > 0 ? ` (${done} done)` : ''}: ${failures.join('; ')}`);
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
