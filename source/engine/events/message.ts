// An engine event as docker's events API reports it (moby's events.Message): Type, Action, the
// Actor with its attributes, the time, and the deprecated status/id/from for containers and images.
import type { EngineEvent, EventMessage } from '../api.js';

/** Nanoseconds since the epoch: the millisecond clock, made finer by the monotonic one. */
export function nowNano(): number {
  return Date.now() * 1e6 + Number(process.hrtime.bigint() % 1_000_000n);
}

function actorOf(event: EngineEvent): { Type: EventMessage['Type']; ID: string; Attributes: Record<string, string> } | undefined {
  if (event.type === 'progress' || event.type === 'store-changed') return undefined; // not docker's events
  switch (event.type) {
    case 'container': {
      // docker puts the container's labels among the attributes, then its own keys over them
      const attrs: Record<string, string> = { ...event.labels };
      if (event.image !== undefined) attrs.image = event.image;
      attrs.name = event.name;
      if (event.exitCode !== undefined) attrs.exitCode = String(event.exitCode);
      if (event.signal !== undefined) attrs.signal = event.signal;
      return { Type: 'container', ID: event.id, Attributes: attrs };
    }
    case 'image':
      return { Type: 'image', ID: event.id, Attributes: event.ref ? { name: event.ref } : {} };
    case 'network': {
      const attrs: Record<string, string> = { name: event.name, type: event.driver };
      if (event.container) attrs.container = event.container;
      return { Type: 'network', ID: event.id, Attributes: attrs };
    }
    case 'volume':
      return { Type: 'volume', ID: event.name, Attributes: { driver: event.driver } };
    case 'build': {
      const { type: _type, action: _action, id, ...fields } = event;
      const attrs = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
      return { Type: 'builder', ID: id, Attributes: attrs };
    }
  }
}

export function eventMessage(event: EngineEvent, timeNano = nowNano()): EventMessage | undefined {
  const actor = actorOf(event);
  if (!actor || event.type === 'progress' || event.type === 'store-changed') return undefined;
  // docker omits them when empty (omitempty)
  const legacy: Pick<EventMessage, 'status' | 'id' | 'from'> = {};
  // docker's health event says its result in the action: "health_status: healthy"
  const action = event.type === 'container' && event.health ? `${event.action}: ${event.health}` : event.action;
  if (actor.Type === 'container' || actor.Type === 'image') Object.assign(legacy, { status: action, id: actor.ID });
  if (actor.Type === 'container' && actor.Attributes.image) legacy.from = actor.Attributes.image;
  return {
    ...legacy,
    Type: actor.Type,
    Action: action,
    // sorted, as Go marshals a map
    Actor: { ID: actor.ID, Attributes: Object.fromEntries(Object.entries(actor.Attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) },
    scope: 'local',
    time: Math.floor(timeNano / 1e9),
    timeNano,
  };
}
