// `system check` for volumes: no half-created or half-removed volume directories.
import type { CheckProblem } from '../api.js';
import type { VolumeStore } from './volume-store.js';

export function checkVolumes(store: VolumeStore): CheckProblem[] {
  return store.inProgress().map(([entry]) => ({ kind: 'volume-partial', path: entry, detail: 'left over from an interrupted volume create or remove' }));
}
