// The process list of one container, re-read every refresh interval while shown.
import { useEffect, useState } from 'react';
import type { ProcessRow } from '../../engine/api.js';
import { useServices } from '../contexts/services.js';
import { errorText } from '../contexts/status.js';
import { usePoll } from './usePoll.js';

export function useProcessList(ref: string | undefined, active: boolean): { processes: ProcessRow[]; error?: string } {
  const { engine, config } = useServices();
  const [state, setState] = useState<{ processes: ProcessRow[]; error?: string }>({ processes: [] });
  useEffect(() => setState({ processes: [] }), [ref]);
  usePoll(async () => {
    if (!ref) return;
    try {
      const processes = await engine.top(ref);
      setState({ processes });
    } catch (error) {
      setState({ processes: [], error: errorText(error) });
    }
  }, config.refreshMs, active && ref !== undefined);
  return state;
}
