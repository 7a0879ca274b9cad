// Verbs that read a container's changes: commit (a new image from them) and diff (list them).
import { type CommandSpec, flagList, flagString, parseVerbArgs } from './args.js';
import type { VerbMain } from './context.js';
import { SUMMARIES } from './summaries.js';

const SPECS: Record<string, CommandSpec> = {
  commit: {
    name: 'commit',
    usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
    summary: SUMMARIES.commit,
    flags: [
      { long: 'author', short: 'a', kind: 'string', help: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
      { long: 'change', short: 'c', kind: 'list', help: 'Apply Dockerfile instruction to the created image' },
      { long: 'message', short: 'm', kind: 'string', help: 'Commit message' },
      { long: 'pause', short: 'p', kind: 'bool', help: 'Pause container during commit (default true; --pause=false to not)' },
    ],
    minArgs: 1,
    maxArgs: 2,
  },
  diff: {
    name: 'diff',
    usage: 'CONTAINER',
    summary: SUMMARIES.diff,
    flags: [],
    minArgs: 1,
    maxArgs: 1,
  },
};

export const main: VerbMain = async (verb, argv, ctx) => {
  const spec = SPECS[verb];
  const parsed = parseVerbArgs(argv, spec, ctx);
  if (!parsed) return 0;
  const engine = await ctx.engine();
  if (verb === 'diff') {
    const changes = await engine.diffContainer(parsed.args[0]);
    ctx.stdout.write(changes.map((c) => `${c.kind} ${c.path}\n`).join(''));
    return 0;
  }
  const image = await engine.commitContainer(parsed.args[0], parsed.args[1], {
    author: flagString(parsed, 'author'),
    message: flagString(parsed, 'message'),
    changes: flagList(parsed, 'change'),
    pause: parsed.flags.pause !== false,
  });
  ctx.stdout.write(`${image.id}\n`);
  return 0;
};
