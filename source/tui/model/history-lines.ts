// An image's history as `strata history` lays it out, as lines for a scrollable overlay.
import type { ImageHistoryEntry } from '../../engine/api.js';
import { timeAgo } from '../../engine/format/duration.js';
import { fit, formatBytes } from './format.js';

const CREATED = 18; // "About a minute ago": docker's words, as `strata history` prints them

export function historyLines(entries: readonly ImageHistoryEntry[], width: number, now: number): string[] {
  const createdBy = Math.max(20, width - 12 - CREATED - 8 - 3 - 4);
  const header = [fit('IMAGE', 12), fit('CREATED', CREATED), fit('CREATED BY', createdBy), fit('SIZE', 8, 'right')].join(' ');
  return [
    header,
    ...entries.map((e) => [fit(e.id === '<missing>' ? e.id : e.id.replace(/^sha256:/, '').slice(0, 12), 12), fit(e.created ? timeAgo(e.created, new Date(now)) : '-', CREATED), fit(e.createdBy, createdBy), fit(formatBytes(e.size), 8, 'right')].join(' ')),
  ];
}
