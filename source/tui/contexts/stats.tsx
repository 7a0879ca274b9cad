// Samples the stats of the running containers some pane is showing, every refresh interval,
// and keeps a short history of each for sparklines. When no pane wants stats, nothing runs.
import React, { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { StatsSample } from '../../engine/api.js';
import { addSamples, type StatsHistory } from '../model/stats-history.js';
import { usePoll } from '../hooks/usePoll.js';
import { useServices } from './services.js';

interface StatsControl {
  history: StatsHistory;
  want(owner: string, ids: readonly string[]): void;
}

const StatsContext = createContext<StatsControl | undefined>(undefined);

export function StatsProvider({ children }: { children: React.ReactNode }) {
  const { engine, config } = useServices();
  const [history, setHistory] = useState<StatsHistory>(new Map());
  const [wanted, setWanted] = useState<ReadonlyMap<string, readonly string[]>>(new Map());
  const want = useCallback((owner: string, ids: readonly string[]) => {
    setWanted((current) => {
      const before = current.get(owner) ?? [];
      if (before.length === ids.length && before.every((id, i) => id === ids[i])) return current;
      const next = new Map(current);
      if (ids.length === 0) next.delete(owner);
      else next.set(owner, ids);
      return next;
    });
  }, []);
  const ids = useMemo(() => [...new Set([...wanted.values()].flat())], [wanted]);
  const idsRef = useRef(ids);
  idsRef.current = ids;

  usePoll(async () => {
    const targets = idsRef.current;
    // A container that stopped between listing and sampling is simply skipped.
    const results = await Promise.all(targets.map((id) => engine.stats(id).catch(() => undefined)));
    const samples = results.filter((s): s is StatsSample => s !== undefined);
    setHistory((h) => addSamples(h, samples, config.statsHistory, new Set([...h.keys(), ...targets])));
  }, config.refreshMs, ids.length > 0);

  const value = useMemo(() => ({ history, want }), [history, want]);
  return <StatsContext.Provider value={value}>{children}</StatsContext.Provider>;
}

function useStatsControl(): StatsControl {
  const control = useContext(StatsContext);
  if (!control) throw new Error('stats hooks outside StatsProvider');
  return control;
}

/** Every sampled container's recent history. */
export function useStatsHistory(): StatsHistory {
  return useStatsControl().history;
}

/** Asks for stats of `ids` while `active` (as one `owner`; each pane is one). */
export function useWantStats(owner: string, ids: readonly string[], active: boolean): void {
  const { want } = useStatsControl();
  const key = active ? ids.join(',') : '';
  useEffect(() => {
    want(owner, key ? key.split(',') : []);
  }, [owner, key, want]);
  useEffect(() => () => want(owner, []), [owner, want]);
}
