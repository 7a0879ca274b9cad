// Image housekeeping verbs: history and image prune.
import type { ImageHistoryEntry } from '../engine/api.js';
import { type CommandSpec, type ParsedCommand, flagBool, flagString, parseVerbArgs } from './args.js';
import type { CliContext, VerbMain } from './context.js';
import { ellipsis, shortId } from '../engine/docker-shape/command.js';
import { dockerTimestamp, timeAgo } from '../engine/format/duration.js';
import { humanSize } from '../engine/format/size.js';
import { renderTable } from './format/table.js';
import { HISTORY_HEADER } from './format/headers.js';
import { checkRowFormat, formatRows } from './format/rows.js';
import { SUMMARIES } from './summaries.js';
import { confirm } from './confirm.js';
import { deletedImagesText } from './prune.js';

const SPECS: Record<string, CommandSpec> = {
  history: {
    name: 'history',
    usage: '[OPTIONS] IMAGE',
    summary: SUMMARIES.history,
    flags: [
      { long: 'human', short: 'H', kind: 'string', value: 'bool', help: 'Print sizes and dates in human readable format (default true)' },
      { long: 'no-trunc', kind: 'bool', help: "Don't truncate output" },
      { long: 'quiet', short: 'q', kind: 'bool', help: 'Only show image IDs' },
      { long: 'format', kind: 'string', help: "Format output using a custom template: 'table', 'json' or a Go template" },
    ],
    minArgs: 1,
    maxArgs: 1,
  },
  'image prune': {
    name: 'image prune',
    usage: '[OPTIONS]',
    summary: SUMMARIES['image prune'],
    flags: [
      { long: 'all', short: 'a', kind: 'bool', help: 'Remove all unused images, not just dangling ones' },
      { long: 'force', short: 'f', kind: 'bool', help: 'Do not prompt for confirmation' },
    ],
    maxArgs: 0,
  },
};

export const main: VerbMain = async (verb, argv, ctx) => {
  const spec = SPECS[verb];
  const parsed = parseVerbArgs(argv, spec, ctx);
  if (!parsed) return 0;
  return verb === 'history' ? historyVerb(parsed, ctx) : pruneVerb(parsed, ctx);
};

function historyRow(h: ImageHistoryEntry, noTrunc: boolean, human: boolean, now: Date) {
  const createdBy = h.createdBy.replace(/\t/g, ' ');
  return {
    ID: h.id === '<missing>' || noTrunc ? h.id : shortId(h.id),
    CreatedSince: h.created ? (human ? timeAgo(h.created, now) : h.created) : 'N/A',
    CreatedAt: h.created ? dockerTimestamp(h.created) : 'N/A',
    CreatedBy: noTrunc ? createdBy : ellipsis(createdBy, 45),
    Size: human ? humanSize(h.size) : String(h.size),
    Comment: h.comment,
    Tags: h.tags.join(', '),
  };
}

async function historyVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const format = flagString(p, 'format');
  checkRowFormat(format);
  const humanFlag = flagString(p, 'human');
  const human = humanFlag === undefined || /^(1|t|true)$/i.test(humanFlag);
  const noTrunc = flagBool(p, 'no-trunc');
  const entries = await (await ctx.engine()).imageHistory(p.args[0]);
  const now = new Date();
  const rows = entries.map((h) => historyRow(h, noTrunc, human, now));
  if (flagBool(p, 'quiet')) ctx.stdout.write(rows.map((r) => `${r.ID}\n`).join(''));
  else ctx.stdout.write(formatRows(format, rows, () => renderTable(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], rows.map((r) => [r.ID, r.CreatedSince, r.CreatedBy, r.Size, r.Comment])), HISTORY_HEADER));
  return 0;
}

async function pruneVerb(p: ParsedCommand, ctx: CliContext): Promise<number> {
  const all = flagBool(p, 'all');
  if (!flagBool(p, 'force')) {
    const warning = all
      ? 'WARNING! This will remove all images without at least one container associated to them.'
      : 'WARNING! This will remove all dangling images.';
    if (!(await confirm(ctx, warning))) {
      ctx.stdout.write('\n');
      return 0;
    }
  }
  const report = await (await ctx.engine()).pruneImages(all);
  const deleted = deletedImagesText(report);
  if (deleted) ctx.stdout.write(`${deleted}\n`);
  ctx.stdout.write(`Total reclaimed space: ${humanSize(report.spaceReclaimed)}\n`);
  return 0;
}
