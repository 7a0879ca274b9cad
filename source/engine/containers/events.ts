// A container's events carry its image and labels (the journal's attributes), and its `die` is
// announced exactly once per run, by whichever strata process first sees the exit.
import fs from 'node:fs';
import type { ContainerRecord, EngineEvent } from '../api.js';
import type { ContainerPaths } from './paths.js';

type ContainerAction = Extract<EngineEvent, { type: 'container' }>['action'];

export function containerEvent(action: ContainerAction, r: ContainerRecord, extra: { exitCode?: number; signal?: string; name?: string; health?: 'healthy' | 'unhealthy' } = {}): EngineEvent {
  return { type: 'container', action, id: r.id, name: r.name, image: r.config.image, labels: r.config.labels, ...extra };
}

/**
 * Claims this run's `die`: the claim file is created exclusively (O_EXCL), so of several processes
 * reconciling the same exit only one announces it; the start of the next run removes the claim.
 */
export function claimDie(paths: ContainerPaths, id: string): boolean {
  try {
    fs.closeSync(fs.openSync(paths.dieClaim(id), 'wx', 0o600));
    return true;
  } catch {
    // EEXIST: another process announced it; ENOENT: the container is being removed
    return false;
  }
}
