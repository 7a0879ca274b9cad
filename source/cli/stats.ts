// strata stats: docker's columns, one sample with --no-stream, otherwise a table redrawn every
// second (in place on a terminal) until interrupted.
import type { EngineApi, StatsSample } from '../engine/api.js';
import { type CommandSpec, flagBool, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { statsRow } from '../engine/docker-shape/list-rows.js';
import { renderTable } from './format/table.js';
import { STATS_HEADER } from './format/headers.js';
import { checkTemplate, renderRows } from './format/template.js';
import { SUMMARIES } from './summaries.js';

const SPEC: CommandSpec = {
  name: 'stats',
  usage: '[OPTIONS] [CONTAINER...]',
  summary: SUMMARIES.stats,
  flags: [
    { long: 'all', short: 'a', kind: 'bool', help: 'Show all containers (default shows just running)' },
    { long: 'no-stream', kind: 'bool', help: 'Disable streaming stats and only pull the first result' },
    { long: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
    { long: 'format', kind: 'string', help: "Format output using a custom template: 'table', 'json' or a Go template" },
  ],
};

const REFRESH_MS = 1000;
const HEADER = ['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS'];

interface Target {
  ref: string;
  label: string; // shown when its stats cannot be read
}

type Row = { sample: StatsSample } | { missing: Target };

export function renderStatsTable(rows: Row[], noTrunc: boolean): string {
  return renderTable(
    HEADER,
    rows.map((row) => {
      if ('missing' in row) return [row.missing.label, row.missing.label, '--', '-- / --', '--', '--', '--', '--'];
      const r = statsRow(row.sample, noTrunc);
      return [r.ID, r.Name, r.CPUPerc, r.MemUsage, r.MemPerc, r.NetIO, r.BlockIO, r.PIDs];
    }),
  );
}

async function sampleAll(engine: EngineApi, named: string[], all: boolean): Promise<Row[]> {
  const targets: Target[] = named.length
    ? named.map((ref) => ({ ref, label: ref }))
    : (await engine.listContainers(all)).map((c) => ({ ref: c.id, label: c.id.slice(0, 12) }));
  const rows = await Promise.all(
    targets.map((t) =>
      engine.stats(t.ref).then(
        (sample): Row => ({ sample }),
        (): Row => ({ missing: t }),
      ),
    ),
  );
  // Containers that went away between the listing and the sample are dropped unless named.
  return named.length ? rows : rows.filter((r) => 'sample' in r);
}

export const main: VerbMain = async (_verb, argv, ctx) => {
  const parsed = parseVerbArgs(argv, SPEC, ctx);
  if (!parsed) return 0;
  const format = flagString(parsed, 'format');
  if (format && format !== 'json' && format !== 'table') checkTemplate(format);
  const noTrunc = flagBool(parsed, 'no-trunc');
  const engine = await ctx.engine();

  // Named containers must exist up front, as in docker.
  for (const ref of parsed.args) await engine.inspectContainer(ref);

  const render = (rows: Row[]): string => {
    if (!format || format === 'table') return renderStatsTable(rows, noTrunc);
    const samples = rows.flatMap((r) => ('sample' in r ? [statsRow(r.sample, noTrunc)] : []));
    return format === 'json' ? samples.map((s) => `${JSON.stringify(s)}\n`).join('') : renderRows(format, samples, STATS_HEADER);
  };

  if (flagBool(parsed, 'no-stream')) {
    ctx.stdout.write(render(await sampleAll(engine, parsed.args, flagBool(parsed, 'all'))));
    return 0;
  }

  const live = ctx.stdout.isTTY === true;
  let stopped = false;
  let wake: () => void = () => undefined;
  const stop = () => {
    stopped = true;
    wake();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (live) ctx.stdout.write('\x1b[2J\x1b[?25l');
  try {
    while (!stopped) {
      const started = Date.now();
      const text = render(await sampleAll(engine, parsed.args, flagBool(parsed, 'all')));
      if (stopped) break;
      // Redraw in place: home, each line cleared to its end, then everything below cleared.
      ctx.stdout.write(live ? `\x1b[H${text.replace(/\n/g, '\x1b[K\n')}\x1b[J` : text);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.max(0, REFRESH_MS - (Date.now() - started)));
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (live) ctx.stdout.write('\x1b[?25h');
  }
  return 0;
};
