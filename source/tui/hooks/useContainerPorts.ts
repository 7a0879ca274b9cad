// The published ports of the running containers on screen, re-read when the container list
// changes (ports only change when a container starts or stops).
import { useEffect, useState } from 'react';
import type { PublishedPort } from '../../engine/api.js';
import { useServices } from '../contexts/services.js';

/** docker ps's way: "0.0.0.0:8080->80/tcp", several joined with ", ". */
export function formatPorts(ports: readonly PublishedPort[]): string {
  return ports.map((p) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}->${p.containerPort}/${p.protocol}`).join(', ');
}

export function useContainerPorts(ids: readonly string[], refresh: unknown): ReadonlyMap<string, string> {
  const { engine } = useServices();
  const [ports, setPorts] = useState<ReadonlyMap<string, string>>(new Map());
  const key = ids.join(',');
  useEffect(() => {
    // An engine without networking has no ports to show.
    if (typeof engine.containerPorts !== 'function' || ids.length === 0) return;
    let current = true;
    void Promise.all(ids.map(async (id) => [id, formatPorts(await (async () => engine.containerPorts(id))().catch(() => []))] as const)).then((entries) => {
      if (current) setPorts(new Map(entries.filter(([, text]) => text !== '')));
    });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, key, refresh]);
  return ports;
}
