// The time the uptime column is drawn at: moves on only as often as the youngest container's
// uptime words change (every 10 s in its first minute, then each minute, then rarely), and
// only while the column is shown.
import { useEffect, useMemo, useState } from 'react';
import type { ContainerSummary } from '../../engine/api.js';
import { upSinceOf } from '../model/container-rows.js';
import { uptimeTickMs } from '../model/uptime.js';

export function useUptimeClock(containers: readonly ContainerSummary[], readAt: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  const sinces = useMemo(() => containers.map(upSinceOf), [containers]);
  useEffect(() => setNow(Date.now()), [readAt]);
  useEffect(() => {
    if (!active) return;
    const tick = uptimeTickMs(sinces, Date.now());
    if (tick === undefined) return;
    const timer = setTimeout(() => setNow(Date.now()), tick);
    return () => clearTimeout(timer);
  }, [active, sinces, now]);
  return now;
}
