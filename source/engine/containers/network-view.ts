// The containers as the network service sees them: records, their dirs, and whether a shim
// still runs for one (its pid file's, else the recorded one).
import type { ContainerView } from '../network/service.js';
import type { ContainerPaths } from './paths.js';
import type { RecordStore } from './record-store.js';
import { readPidFile, shimAlive } from './state.js';

export function networkView(records: RecordStore, paths: ContainerPaths): ContainerView {
  return {
    read: (id) => records.read(id),
    all: () => records.all(),
    dir: (id) => paths.dir(id),
    runDir: (id) => paths.runDir(id),
    isLive: (id) => {
      const r = records.read(id);
      return !!r && shimAlive(readPidFile(paths.pidFile(id))?.shimPid || r.state.shimPid, id);
    },
  };
}
