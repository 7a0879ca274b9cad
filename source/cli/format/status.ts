// docker's STATUS column, from a container's state.
import type { ContainerState } from '../../engine/api.js';
import { humanDuration } from './duration.js';

const ZERO_TIME = '0001-01-01T00:00:00Z';

function since(time: string, now: Date): string {
  const t = Date.parse(time);
  return humanDuration(Number.isNaN(t) ? 0 : Math.max(0, now.getTime() - t));
}

export function containerStatusText(state: ContainerState, now: Date = new Date()): string {
  switch (state.status) {
    case 'running':
      return `Up ${since(state.startedAt, now)}`;
    case 'paused':
      return `Up ${since(state.startedAt, now)} (Paused)`;
    case 'restarting':
      return `Restarting (${state.exitCode}) ${since(state.finishedAt, now)} ago`;
    case 'exited':
      return state.finishedAt === ZERO_TIME ? `Exited (${state.exitCode})` : `Exited (${state.exitCode}) ${since(state.finishedAt, now)} ago`;
    case 'dead':
      return 'Dead';
    default:
      return 'Created';
  }
}
