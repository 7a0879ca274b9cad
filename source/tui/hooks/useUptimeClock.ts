// The time relative times ("Up 4 minutes", "2 hours ago") are drawn at: it moves on exactly when
// the words of one of the shown times change (each second in a container's first minute, then
// each minute, then each hour), only while they are on screen, and at once when they come back
// on screen — no re-listing just for the clock.
import { useEffect, useMemo, useState } from 'react';
import type { ContainerSummary } from '../../engine/api.js';
import { statusSince } from '../model/container-rows.js';
import { uptimeTickMs } from '../model/uptime.js';

/** `times` (ms epoch, memoized): a new list (a new read) redraws at once. */
export function useRelativeClock(times: ReadonlyArray<number | undefined>, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (active) setNow(Date.now());
  }, [times, active]);
  useEffect(() => {
    if (!active) return;
    const tick = uptimeTickMs(times, Date.now());
    if (tick === undefined) return;
    const timer = setTimeout(() => setNow(Date.now()), tick);
    return () => clearTimeout(timer);
  }, [active, times, now]);
  return now;
}

export function useUptimeClock(containers: readonly ContainerSummary[], active: boolean): number {
  const times = useMemo(() => containers.map(statusSince), [containers]);
  return useRelativeClock(times, active);
}
