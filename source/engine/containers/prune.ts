// `container prune`: which stopped containers a prune takes, by docker's filters (until=, label=,
// label!=), and how much their writable layers held.
import type { ContainerPruneFilters, ContainerRecord } from '../api.js';

function hasLabel(labels: Record<string, string>, wanted: string): boolean {
  const eq = wanted.indexOf('=');
  return eq < 0 ? Object.hasOwn(labels, wanted) : labels[wanted.slice(0, eq)] === wanted.slice(eq + 1);
}

export function prunable(r: ContainerRecord, filters: ContainerPruneFilters = {}): boolean {
  if (r.state.running) return false;
  if (filters.until && new Date(r.created).getTime() >= filters.until.getTime()) return false;
  const labels = r.config.labels ?? {};
  if (filters.label?.some((l) => !hasLabel(labels, l))) return false;
  if (filters.labelNot?.some((l) => hasLabel(labels, l))) return false;
  return true;
}
