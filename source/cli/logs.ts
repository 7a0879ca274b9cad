// strata logs: stdout lines to our stdout and stderr lines to our stderr, as docker does.
import { type CommandSpec, flagBool, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { parseTail, parseTimeArg } from './values.js';
import type { LogReadOptions } from '../engine/api.js';
import { SUMMARIES } from './summaries.js';
import { untilInterrupted, write } from './follow.js';

const SPEC: CommandSpec = {
  name: 'logs',
  usage: '[OPTIONS] CONTAINER',
  summary: SUMMARIES.logs,
  flags: [
    { long: 'follow', short: 'f', kind: 'bool', help: 'Follow log output' },
    { long: 'tail', short: 'n', kind: 'string', help: 'Number of lines to show from the end of the logs (default "all")' },
    { long: 'since', kind: 'string', help: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { long: 'until', kind: 'string', help: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { long: 'timestamps', short: 't', kind: 'bool', help: 'Show timestamps' },
    { long: 'details', kind: 'bool', help: 'Show extra details provided to logs', hidden: true },
  ],
  minArgs: 1,
  maxArgs: 1,
};

export const main: VerbMain = async (_verb, argv, ctx) => {
  const parsed = parseVerbArgs(argv, SPEC, ctx);
  if (!parsed) return 0;
  const now = new Date();
  const opts: LogReadOptions = { follow: flagBool(parsed, 'follow'), tail: parseTail(flagString(parsed, 'tail')) };
  const since = flagString(parsed, 'since');
  if (since !== undefined) opts.since = parseTimeArg(since, '--since', now);
  const until = flagString(parsed, 'until');
  if (until !== undefined) opts.until = parseTimeArg(until, '--until', now);
  const timestamps = flagBool(parsed, 'timestamps');

  const engine = await ctx.engine();
  await untilInterrupted(async (signal) => {
    opts.signal = signal;
    for await (const entry of engine.readLogs(parsed.args[0], opts)) {
      const text = timestamps ? `${entry.time} ${entry.line}` : entry.line;
      const pending = write(entry.stream === 'stderr' ? ctx.stderr : ctx.stdout, text);
      if (pending) await pending;
    }
  });
  return 0;
};
