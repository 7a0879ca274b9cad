// The containers of RUN steps belong to the build that made them (label io.strata.build-step:
// the building process's pid). A build killed mid-step cannot remove its container, so the next
// strata process does — as a daemon's builder cleans up on restart — and until then listings
// hide it: it is nobody's container.
import type { ContainerRecord } from '../api.js';
import { processAlive } from '../store/abandoned.js';

export const BUILD_STEP_LABEL = 'io.strata.build-step';

/** Whether the container is a step of a build whose process is gone. */
export function abandonedBuildStep(labels: Record<string, string> | undefined): boolean {
  const owner = labels?.[BUILD_STEP_LABEL];
  if (owner === undefined) return false;
  const pid = Number(owner);
  return !(Number.isSafeInteger(pid) && pid > 0 && (pid === process.pid || processAlive(pid)));
}

export function abandonedBuildSteps(records: ContainerRecord[]): ContainerRecord[] {
  return records.filter((r) => abandonedBuildStep(r.config.labels));
}
