// The rules docs/design.md marks "(checked)", read off the real import graph of source/:
// no circles, front ends through the engine's public surface only, no arrow back up, and
// only the folders the document names calling the native wrapper, each with its own calls.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const SOURCE = path.resolve('source');
const DESIGN = fs.readFileSync(path.resolve('docs/design.md'), 'utf8');

interface Edge { from: string; to: string; names: string[]; typeOnly: boolean; dynamic: boolean }

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

function resolveTarget(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.') || spec.endsWith('.json')) return undefined; // a package, a built-in, data
  const base = path.resolve(path.dirname(from), spec).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  throw new Error(`${rel(from)} imports ${spec}, which does not exist`);
}

const rel = (file: string) => path.relative(SOURCE, file);

function edgesOf(file: string): Edge[] {
  const text = fs.readFileSync(file, 'utf8');
  const edges: Edge[] = [];
  const statement = /^(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms;
  for (const m of text.matchAll(statement)) {
    const to = resolveTarget(file, m[4]);
    if (!to) continue;
    const names = [...(m[3].match(/\{([^}]*)\}/)?.[1] ?? '').split(',')].map((n) => n.trim()).filter(Boolean);
    const valueNames = names.filter((n) => !n.startsWith('type ')).map((n) => n.split(/\s+as\s+/)[0]);
    const typeOnly = Boolean(m[2]) || (names.length > 0 && valueNames.length === 0 && !/\*|^\w/.test(m[3].trim()));
    edges.push({ from: file, to, names: valueNames, typeOnly, dynamic: false });
  }
  for (const m of text.matchAll(/import\('([^']+)'\)/g)) {
    const to = resolveTarget(file, m[1]);
    if (to) edges.push({ from: file, to, names: [], typeOnly: false, dynamic: true });
  }
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) {
    const to = resolveTarget(file, m[1]);
    if (to) edges.push({ from: file, to, names: [], typeOnly: false, dynamic: false });
  }
  return edges;
}

const files = sourceFiles(SOURCE);
const edges = files.flatMap(edgesOf);
const under = (file: string, folder: string) => rel(file).startsWith(`${folder}/`) || rel(file) === folder;
// The front ends: each reaches the engine only through its public surface, and none imports another.
const FRONT_ENDS = ['cli', 'tui', 'api-server'];
const FRONT_END_ENTRIES = ['tui/index.tsx', 'api-server/serve.ts'];
// Layers between the front ends and the engine (compose projects): they use the engine as a front
// end does, through its public surface, and no front end; every front end may use them.
const PROJECT_LAYERS = ['compose'];

describe('the architecture in docs/design.md', () => {
  it('has no import circle, type-only imports included', () => {
    const next = new Map<string, string[]>();
    for (const e of edges) if (!(e.dynamic && e.typeOnly)) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      state.set(file, 'open');
      for (const to of next.get(file) ?? []) {
        if (state.get(to) === 'open') circles.push([...trail.slice(trail.indexOf(to)), to].map(rel).join(' → '));
        else if (!state.has(to)) visit(to, [...trail, to]);
      }
      state.set(file, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f, [f]);
    assert.deepEqual(circles, []);
  });

  it('lets the front ends reach the engine only through its public surface', () => {
    const surface = ['engine/api.ts', 'engine/engine.ts', 'engine/container-list.ts', 'engine/demo.ts', 'engine/rootless/paths.ts', 'engine/rootless/enter.ts'];
    const surfaceFolders = ['engine/format', 'engine/docker-shape'];
    const wrong = edges
      .filter((e) => [...FRONT_ENDS, ...PROJECT_LAYERS].some((f) => under(e.from, f)) && under(e.to, 'engine'))
      .filter((e) => !surface.includes(rel(e.to)) && !surfaceFolders.some((f) => under(e.to, f)))
      .map((e) => `${rel(e.from)} → ${rel(e.to)}`);
    assert.deepEqual(wrong, []);
    for (const name of [...surface, ...surfaceFolders.map((f) => `${f}/`)]) assert.ok(DESIGN.includes(`\`${name}\``), `design.md names ${name} as public surface`);
  });

  it('has no arrow back up: the engine imports no front end, and the front ends not each other', () => {
    const wrong = edges.filter((e) => {
      if (under(e.from, 'engine') || rel(e.from) === 'native.ts') return [...FRONT_ENDS, ...PROJECT_LAYERS].some((f) => under(e.to, f));
      if (PROJECT_LAYERS.some((l) => under(e.from, l))) return FRONT_ENDS.some((f) => under(e.to, f));
      const from = FRONT_ENDS.find((f) => under(e.from, f));
      const to = FRONT_ENDS.find((f) => under(e.to, f));
      if (!from || !to || from === to) return false;
      // The CLI starts the other front ends, each by one lazy import of its entry.
      const entry = rel(e.from) === 'cli/system.ts' && e.dynamic && FRONT_END_ENTRIES.includes(rel(e.to));
      return !entry;
    }).map((e) => `${rel(e.from)} → ${rel(e.to)}`);
    assert.deepEqual(wrong, []);
  });

  it('keeps engine internals off the public API for anything but types', () => {
    const wrong = edges
      .filter((e) => under(e.from, 'engine') && rel(e.to) === 'engine/api.ts' && !e.typeOnly && rel(e.from) !== 'engine/engine.ts')
      .map((e) => `${rel(e.from)} imports ${e.names.join(', ')} from api.ts`);
    assert.deepEqual(wrong, []);
  });

  it('calls source/native.ts only from the folders the table names, each with its own calls', () => {
    const table = new Map<string, Set<string>>();
    for (const row of DESIGN.matchAll(/^ {2}\| `(\w+)\/` \| ([^|]+) \|/gm)) {
      table.set(`engine/${row[1]}`, new Set([...row[2].matchAll(/`(\w+)`/g)].map((m) => m[1])));
    }
    assert.ok(table.size >= 5, 'design.md has the table of native callers');
    const wrong: string[] = [];
    for (const e of edges.filter((x) => rel(x.to) === 'native.ts' && !x.typeOnly)) {
      const folder = [...table.keys()].find((f) => under(e.from, f));
      if (!folder) { wrong.push(`${rel(e.from)} is in no folder the table allows`); continue; }
      for (const name of e.names) {
        if (!table.get(folder)!.has(name)) wrong.push(`${rel(e.from)} calls ${name}, which the table does not give ${folder}/`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
