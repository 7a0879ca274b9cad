// strata search: docker's NAME/DESCRIPTION/STARS/OFFICIAL table of what a registry holds
// (Docker Hub's search, or `host[:port]/term` through that registry's catalog).
import type { SearchResult } from '../engine/api.js';
import { type CommandSpec, flagBool, flagList, flagString, parseInteger, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { CliError } from './errors.js';
import { ellipsis } from '../engine/docker-shape/command.js';
import { checkRowFormat, formatRows } from './format/rows.js';
import { renderTable } from './format/table.js';
import { SUMMARIES } from './summaries.js';

const SPEC: CommandSpec = {
  name: 'search',
  usage: '[OPTIONS] TERM',
  summary: SUMMARIES.search,
  flags: [
    { long: 'filter', short: 'f', kind: 'list', value: 'filter', help: 'Filter output based on conditions provided (stars=N, is-official=true|false, is-automated=true|false)' },
    { long: 'format', kind: 'string', help: 'Pretty-print search using a Go template' },
    { long: 'limit', kind: 'string', value: 'int', help: 'Max number of search results (default 25)' },
    { long: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
  ],
  minArgs: 1,
  maxArgs: 1,
};

const HEADER = { Name: 'NAME', Description: 'DESCRIPTION', StarCount: 'STARS', IsOfficial: 'OFFICIAL', IsAutomated: 'AUTOMATED' };

function matcher(entries: string[]): (r: SearchResult) => boolean {
  const tests = entries.map((entry): ((r: SearchResult) => boolean) => {
    const [key, value = ''] = entry.split(/=(.*)/s);
    if (key === 'stars') {
      const min = Number(value);
      if (!Number.isInteger(min)) throw new CliError(`invalid filter 'stars=${value}'`, 125);
      return (r) => r.stars >= min;
    }
    if (key === 'is-official' || key === 'is-automated') {
      if (!/^(true|false)$/i.test(value)) throw new CliError(`invalid filter '${entry}'`, 125);
      const wanted = value.toLowerCase() === 'true';
      return (r) => (key === 'is-official' ? r.official : r.automated) === wanted;
    }
    throw new CliError(`invalid filter '${key}'`, 125);
  });
  return (r) => tests.every((t) => t(r));
}

export const main: VerbMain = async (_verb, argv, ctx) => {
  const p = parseVerbArgs(argv, SPEC, ctx);
  if (!p) return 0;
  const format = flagString(p, 'format');
  checkRowFormat(format);
  const limitRaw = flagString(p, 'limit');
  const limit = limitRaw === undefined ? 25 : parseInteger(limitRaw, '--limit', { min: 1 });
  const keep = matcher(flagList(p, 'filter'));
  const noTrunc = flagBool(p, 'no-trunc');
  const results = (await (await ctx.engine()).searchImages(p.args[0], limit)).filter(keep);
  const rows = results.map((r) => {
    const description = r.description.replace(/\n/g, ' ');
    return { Name: r.name, Description: noTrunc ? description : ellipsis(description, 45), StarCount: String(r.stars), IsOfficial: r.official ? '[OK]' : '', IsAutomated: r.automated ? '[OK]' : '' };
  });
  ctx.stdout.write(formatRows(format, rows, () => renderTable(['NAME', 'DESCRIPTION', 'STARS', 'OFFICIAL'], rows.map((r) => [r.Name, r.Description, r.StarCount, r.IsOfficial])), HEADER));
  return 0;
};
