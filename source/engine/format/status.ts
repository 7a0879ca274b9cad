// docker ps's STATUS column (docker's State.String()), from a container's state or its summary:
// both carry the status, the exit code and the times.
import { humanSince } from './duration.js';

export const ZERO_TIME = '0001-01-01T00:00:00Z';

/** After docker's words for a container whose monitor died under it (docker has no word for that). */
export const MONITOR_GONE_NOTE = ' (monitor gone)';

export interface StatusFields {
  status: 'created' | 'running' | 'paused' | 'restarting' | 'exited' | 'dead';
  exitCode: number;
  startedAt: string; // RFC3339Nano, ZERO_TIME when never
  finishedAt: string;
  health?: { status: 'starting' | 'healthy' | 'unhealthy' }; // with a health check
}

function isZero(time: string): boolean {
  return !(Date.parse(time) > 0); // ZERO_TIME, '' or unreadable
}

export function containerStatusText<S extends StatusFields>(s: S, now: number | Date = Date.now()): string {
  const at = typeof now === 'number' ? now : now.getTime();
  switch (s.status) {
    case 'running':
      if (s.health) return `Up ${humanSince(s.startedAt, at)} (${s.health.status === 'starting' ? 'health: starting' : s.health.status})`;
      return `Up ${humanSince(s.startedAt, at)}`;
    case 'paused':
      return `Up ${humanSince(s.startedAt, at)} (Paused)`;
    case 'restarting':
      return `Restarting (${s.exitCode}) ${humanSince(s.finishedAt, at)} ago`;
    case 'dead':
      return 'Dead';
    case 'created':
      return 'Created';
    default:
      // docker: "Created" for one that never started (also after a start that failed), nothing
      // for a stop with no finish time
      if (isZero(s.startedAt)) return 'Created';
      if (isZero(s.finishedAt)) return '';
      return `Exited (${s.exitCode}) ${humanSince(s.finishedAt, at)} ago`;
  }
}

/**
 * docker's State.Status (its StateString): a container that never started is "created", also
 * after a start that failed, which the record keeps as an exit (its code, its error).
 */
export function dockerStateName(s: Pick<StatusFields, 'status' | 'startedAt'>): StatusFields['status'] {
  return s.status === 'exited' && isZero(s.startedAt) ? 'created' : s.status;
}
