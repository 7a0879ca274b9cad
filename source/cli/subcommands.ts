// What docker's management verbs (`network`, `volume`) share: picking the subcommand, the
// per-object loops that go on after a failure, and --format output of lists and inspects.
import { type CommandSpec, type ParsedCommand, parseVerbArgs } from './args.js';
import type { CliContext } from './context.js';
import { CliError } from './errors.js';
import { checkTemplate, renderRows, renderTemplate } from './format/template.js';

const ALIASES: Record<string, string> = { list: 'ls', remove: 'rm' };

/** The chosen subcommand and its parsed flags, or undefined after help was printed. */
export function parseSubcommand(group: string, summary: string, specs: Record<string, CommandSpec>, argv: string[], ctx: CliContext): { sub: string; p: ParsedCommand } | number {
  const [raw, ...rest] = argv;
  const sub = ALIASES[raw] ?? raw;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    const width = Math.max(9, ...Object.keys(specs).map((k) => k.length));
    const rows = Object.values(specs).map((s) => `  ${s.name.split(' ')[1].padEnd(width)} ${s.summary}`);
    ctx.stdout.write(`\nUsage:  strata ${group} COMMAND\n\n${summary}\n\nCommands:\n${rows.join('\n')}\n\n`);
    return sub === undefined ? 1 : 0;
  }
  const spec = specs[sub];
  if (!spec) throw new CliError(`unknown command: strata ${group} ${sub}`);
  const p = parseVerbArgs(rest, spec, ctx);
  if (!p) return 0;
  return { sub, p };
}

/** Runs fn per name, printing the name on success and the error otherwise; 1 when any failed. */
export async function eachName(ctx: CliContext, names: string[], fn: (name: string) => Promise<unknown>, printName = true): Promise<number> {
  let failed = 0;
  for (const name of names) {
    try {
      await fn(name);
      if (printName) ctx.stdout.write(`${name}\n`);
    } catch (err) {
      ctx.stderr.write(`strata: ${(err as Error).message}\n`);
      failed = 1;
    }
  }
  return failed;
}

/** `inspect`: a JSON array, or a Go template per object. */
export async function printInspect(ctx: CliContext, format: string | undefined, names: string[], get: (name: string) => Promise<object>): Promise<number> {
  if (format && format !== 'json') checkTemplate(format);
  const found: object[] = [];
  const failed = await eachName(ctx, names, async (n) => found.push(await get(n)), false);
  if (format && format !== 'json') ctx.stdout.write(found.map((o) => `${renderTemplate(format, o)}\n`).join(''));
  else ctx.stdout.write(`${JSON.stringify(found, null, 4)}\n`);
  return failed;
}

/** `ls --format`: one JSON object or one rendered template per row (`header`: docker's column names). */
export function printFormattedRows(ctx: CliContext, format: string, rows: object[], header?: Record<string, string>): void {
  if (format === 'json') {
    ctx.stdout.write(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return;
  }
  checkTemplate(format);
  ctx.stdout.write(renderRows(format, rows, header));
}
