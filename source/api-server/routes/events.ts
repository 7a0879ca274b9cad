// GET /events: the store's events journal (every strata process's events, docker's message
// shape), replayed from `since` and followed until `until` or the client leaves, with filters.
import type { EventMessage } from '../../engine/api.js';
import { type Call, filters, timeParam } from '../call.js';
import type { Routes } from '../router.js';

export function registerEvents(r: Routes): void {
  r.on('GET', '/events', events);
}

async function events(call: Call): Promise<void> {
  const f = filters(call);
  const since = timeParam(call, 'since');
  const until = timeParam(call, 'until');
  const abort = new AbortController();
  const out = call.reply.stream(200, 'application/json');
  call.reply.onClose(() => abort.abort());
  try {
    for await (const message of call.engine.events({ ...(since ? { since } : {}), ...(until ? { until } : {}), signal: abort.signal })) {
      if (!matches(message, f)) continue;
      if (!out.writable) break;
      out.write(JSON.stringify(message) + '\n');
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  }
  out.end();
}

function matches(m: EventMessage, f: Record<string, string[]>): boolean {
  const attrs = m.Actor.Attributes;
  const name = attrs.name ?? '';
  const oneOf = (key: string, ok: (v: string) => boolean) => !f[key]?.length || f[key].some(ok);
  return oneOf('type', (v) => v === m.Type)
    && oneOf('event', (v) => v === m.Action || m.Action.startsWith(`${v}:`))
    && oneOf('container', (v) => m.Type === 'container' && (m.Actor.ID.startsWith(v) || name === v))
    && oneOf('image', (v) => (m.Type === 'image' && (m.Actor.ID.startsWith(v) || name === v)) || attrs.image === v || m.from === v)
    && oneOf('network', (v) => m.Type === 'network' && (m.Actor.ID.startsWith(v) || name === v))
    && oneOf('volume', (v) => m.Type === 'volume' && (m.Actor.ID === v || name === v))
    && (!f.label?.length || f.label.every((l) => {
      const [k, ...val] = l.split('=');
      return val.length ? attrs[k] === val.join('=') : k in attrs;
    }));
}
