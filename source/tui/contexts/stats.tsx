// Samples the stats of the running containers some pane is showing, every refresh interval,
// and keeps a short history of each for sparklines. When no pane wants stats, nothing runs;
// when a sample changes no cell on screen (idle containers), nothing is redrawn.
import React, { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { StatsSample } from '../../engine/api.js';
import { addSamples, changesTables, type StatsHistory } from '../model/stats-history.js';
import { usePoll } from '../hooks/usePoll.js';
import { useServices } from './services.js';

interface StatsControl {
  history: StatsHistory;
  want(owner: string, ids: readonly string[], options?: { everySample?: boolean }): void;
}

const StatsContext = createContext<StatsControl | undefined>(undefined);

export function StatsProvider({ children }: { children: React.ReactNode }) {
  const { engine, config } = useServices();
  const [history, setHistory] = useState<StatsHistory>(new Map());
  const historyRef = useRef<StatsHistory>(history);
  const [wanted, setWanted] = useState<ReadonlyMap<string, readonly string[]>>(new Map());
  // Owners that draw every sample (sparklines move even when the values do not).
  const everySample = useRef(new Set<string>());
  const want = useCallback((owner: string, ids: readonly string[], options: { everySample?: boolean } = {}) => {
    if (options.everySample && ids.length > 0) everySample.current.add(owner);
    else everySample.current.delete(owner);
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
    // (Through an async function: a lookup that throws before the engine's promise exists is caught too.)
    const results = await Promise.all(targets.map(async (id) => engine.stats(id)).map((p) => p.catch(() => undefined)));
    const samples = results.filter((s): s is StatsSample => s !== undefined);
    const before = historyRef.current;
    const next = addSamples(before, samples, config.statsHistory, new Set([...before.keys(), ...targets]));
    historyRef.current = next;
    if (everySample.current.size > 0 || changesTables(before, next)) setHistory(next);
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
export function useWantStats(owner: string, ids: readonly string[], active: boolean, options: { everySample?: boolean } = {}): void {
  const { want } = useStatsControl();
  const key = active ? ids.join(',') : '';
  const everySample = options.everySample ?? false;
  useEffect(() => {
    want(owner, key ? key.split(',') : [], { everySample });
  }, [owner, key, want, everySample]);
  useEffect(() => () => want(owner, []), [owner, want]);
}
