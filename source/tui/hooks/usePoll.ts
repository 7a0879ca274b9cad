// Runs `task` every `intervalMs` while `active`, never two at once (a slow sample is not
// stacked on by the next tick). Stops entirely when inactive: nothing runs while idle.
import { useEffect, useRef } from 'react';

export function usePoll(task: () => Promise<void> | void, intervalMs: number, active: boolean, runAtOnce = true): void {
  const ref = useRef(task);
  ref.current = task;
  useEffect(() => {
    if (!active) return;
    let busy = false;
    let stopped = false;
    const tick = async () => {
      if (busy || stopped) return;
      busy = true;
      try {
        await ref.current();
      } finally {
        busy = false;
      }
    };
    if (runAtOnce) void tick();
    const timer = setInterval(() => void tick(), intervalMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [intervalMs, active, runAtOnce]);
}
