// `events --filter`: docker's keys (container, image, event, type, label, network, volume);
// values of one key are alternatives, different keys must all match.
import type { EventMessage } from '../engine/api.js';
import { readFilterFlags } from './filter-flags.js';

const KEYS = ['container', 'image', 'event', 'type', 'label', 'network', 'volume'] as const;
type Key = (typeof KEYS)[number];
export type EventFilters = Map<Key, string[]>;

export function parseEventFilters(entries: string[]): EventFilters {
  return readFilterFlags(entries, KEYS) as EventFilters;
}

const withoutLatest = (ref: string) => ref.replace(/:latest$/, '');

function matchesOne(key: Key, value: string, m: EventMessage): boolean {
  const attrs = m.Actor.Attributes;
  switch (key) {
    case 'event': return m.Action === value;
    case 'type': return m.Type === value;
    case 'container': return m.Type === 'container' && (m.Actor.ID.startsWith(value) || attrs.name === value);
    case 'network': return m.Type === 'network' && (m.Actor.ID.startsWith(value) || attrs.name === value);
    case 'volume': return m.Type === 'volume' && m.Actor.ID === value;
    case 'image': {
      const image = m.Type === 'container' ? attrs.image : m.Type === 'image' ? attrs.name : undefined;
      if (m.Type === 'image' && m.Actor.ID.replace(/^sha256:/, '').startsWith(value.replace(/^sha256:/, ''))) return true;
      return image !== undefined && withoutLatest(image) === withoutLatest(value);
    }
    case 'label': {
      const eq = value.indexOf('=');
      return eq < 0 ? Object.hasOwn(attrs, value) : attrs[value.slice(0, eq)] === value.slice(eq + 1);
    }
  }
}

export function eventMatches(filters: EventFilters, m: EventMessage): boolean {
  // a build's progress is journaled for the TUI; docker's classic builder reports none: only on request
  if (m.Type === 'builder' && !filters.get('type')?.includes('builder')) return false;
  for (const [key, values] of filters) if (!values.some((v) => matchesOne(key, v, m))) return false;
  return true;
}
