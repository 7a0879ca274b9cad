// strata events: the store's events journal, replayed from --since and/or followed live, in
// docker's line format or a --format template, one event a line.
import { type CommandSpec, flagList, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { parseTimeArg } from './values.js';
import type { EventMessage, EventsOptions } from '../engine/api.js';
import { checkTemplate, renderTemplate } from './format/template.js';
import { eventMatches, parseEventFilters } from './event-filters.js';
import { SUMMARIES } from './summaries.js';
import { untilInterrupted, write } from './follow.js';

const SPEC: CommandSpec = {
  name: 'events',
  usage: '[OPTIONS]',
  summary: SUMMARIES.events,
  flags: [
    { long: 'filter', short: 'f', kind: 'list', help: 'Filter output based on conditions provided' },
    { long: 'format', kind: 'string', help: "Format output using a custom template: 'json' or a Go template" },
    { long: 'since', kind: 'string', help: 'Show all events created since timestamp' },
    { long: 'until', kind: 'string', help: 'Stream events until this timestamp' },
  ],
  maxArgs: 0,
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Go's "2006-01-02T15:04:05.000000000Z07:00" in local time, as the docker CLI prints it. */
export function eventTime(timeNano: number): string {
  const seconds = Math.floor(timeNano / 1e9);
  const nanos = Math.max(0, Math.round(timeNano - seconds * 1e9));
  const d = new Date(seconds * 1000);
  const offset = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + offset * 60_000);
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${local.toISOString().slice(0, 19)}.${pad(nanos, 9)}${zone}`;
}

/** docker's default line: time, type, action, actor id, then the attributes sorted by key. */
export function eventLine(m: EventMessage): string {
  const attrs = Object.keys(m.Actor.Attributes).sort().map((k) => `${k}=${m.Actor.Attributes[k]}`);
  return `${eventTime(m.timeNano)} ${m.Type} ${m.Action} ${m.Actor.ID}${attrs.length ? ` (${attrs.join(', ')})` : ''}`;
}

export const main: VerbMain = async (_verb, argv, ctx) => {
  const parsed = parseVerbArgs(argv, SPEC, ctx);
  if (!parsed) return 0;
  const now = new Date();
  const filters = parseEventFilters(flagList(parsed, 'filter'));
  let format = flagString(parsed, 'format');
  if (format === 'json') format = '{{json .}}';
  if (format) checkTemplate(format);
  const opts: EventsOptions = {};
  const since = flagString(parsed, 'since');
  if (since !== undefined) opts.since = parseTimeArg(since, '--since', now);
  const until = flagString(parsed, 'until');
  if (until !== undefined) opts.until = parseTimeArg(until, '--until', now);

  const engine = await ctx.engine();
  await untilInterrupted(async (signal) => {
    for await (const message of engine.events({ ...opts, signal })) {
      if (!eventMatches(filters, message)) continue;
      const pending = write(ctx.stdout, `${format ? renderTemplate(format, message) : eventLine(message)}\n`);
      if (pending) await pending;
    }
  });
  return 0;
};
