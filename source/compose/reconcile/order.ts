// The order services start in: every service after what it depends on (depends_on, and the
// service whose network it shares), a cycle refused by name as docker compose does.
import { ComposeError } from '../model/errors.js';
import type { ComposeService } from '../model/types.js';

export function dependencies(service: ComposeService): string[] {
  const fromNetwork = service.networkMode?.startsWith('service:') ? [service.networkMode.slice(8)] : [];
  return [...new Set([...Object.keys(service.dependsOn), ...fromNetwork])];
}

export function startOrder(services: ComposeService[]): ComposeService[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const out: ComposeService[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: ComposeService, trail: string[]) => {
    if (state.get(s.name) === 'done') return;
    if (state.get(s.name) === 'visiting') throw new ComposeError(`dependency cycle detected: ${[...trail, s.name].join(' -> ')}`);
    state.set(s.name, 'visiting');
    for (const dep of dependencies(s)) {
      const d = byName.get(dep);
      if (d) visit(d, [...trail, s.name]);
    }
    state.set(s.name, 'done');
    out.push(s);
  };
  for (const s of services) visit(s, []);
  return out;
}
