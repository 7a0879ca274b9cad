// strata logs: stdout lines to our stdout and stderr lines to our stderr, as docker does.
import { type CommandSpec, flagBool, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { parseTail, parseTimeArg } from './values.js';
import type { LogReadOptions } from '../engine/api.js';
import { SUMMARIES } from './summaries.js';

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

function write(stream: NodeJS.WriteStream, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', resolve));
}

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
  const abort = new AbortController();
  opts.signal = abort.signal;
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    for await (const entry of engine.readLogs(parsed.args[0], opts)) {
      const text = timestamps ? `${entry.time} ${entry.line}` : entry.line;
      const pending = write(entry.stream === 'stderr' ? ctx.stderr : ctx.stdout, text);
      if (pending) await pending;
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  return 0;
};
