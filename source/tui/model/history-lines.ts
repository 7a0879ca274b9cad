// An image's history as `strata history` lays it out, as lines for a scrollable overlay.
import type { ImageHistoryEntry } from '../../engine/api.js';
import { fit, formatAge, formatBytes } from './format.js';

export function historyLines(entries: readonly ImageHistoryEntry[], width: number, now: number): string[] {
  const createdBy = Math.max(20, width - 12 - 14 - 8 - 3 - 4);
  const header = [fit('IMAGE', 12), fit('CREATED', 14), fit('CREATED BY', createdBy), fit('SIZE', 8, 'right')].join(' ');
  return [
    header,
    ...entries.map((e) => [fit(e.id === '<missing>' ? e.id : e.id.replace(/^sha256:/, '').slice(0, 12), 12), fit(e.created ? formatAge(e.created, now) : '-', 14), fit(e.createdBy, createdBy), fit(formatBytes(e.size), 8, 'right')].join(' ')),
  ];
}
