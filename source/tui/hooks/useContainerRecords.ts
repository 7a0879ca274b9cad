// Every container's full record (mounts, network), read again when the container list changes
// and only while a pane that needs them is shown: what the volumes and networks panes need
// to say which containers use each.
import { useEffect, useState } from 'react';
import type { ContainerRecord } from '../../engine/api.js';
import { useServices } from '../contexts/services.js';
import { useRefreshCounter } from './useEngineEvents.js';
import { useContainerList } from './useEngineList.js';

export function useContainerRecords(active: boolean): readonly ContainerRecord[] {
  const { engine } = useServices();
  const { containers } = useContainerList();
  // A connect/disconnect changes a record but not the container list: the networks topic says so.
  const networkChanges = useRefreshCounter('networks');
  const [records, setRecords] = useState<readonly ContainerRecord[]>([]);
  useEffect(() => {
    if (!active) return;
    let current = true;
    // A container removed between the list and its read is simply left out.
    void Promise.all(containers.map((c) => engine.inspectContainer(c.id).catch(() => undefined))).then((read) => {
      if (current) setRecords(read.filter((r): r is ContainerRecord => r !== undefined));
    });
    return () => {
      current = false;
    };
  }, [active, containers, engine, networkChanges]);
  return records;
}
