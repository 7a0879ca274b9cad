// A small docker/pflag-compatible flag parser. Hand-written rather than commander because
// docker's rules differ (run/exec stop at the image so the command keeps its own flags,
// `-h` is --hostname for run/create) and because `strata ps` must start fast.
import { CliError } from './errors.js';

export type FlagKind = 'bool' | 'string' | 'list';

export interface FlagSpec {
  long: string;
  short?: string;
  kind: FlagKind;
  value?: string; // placeholder in help: "string", "list", "int"…
  help: string;
  hidden?: boolean;
}

export interface CommandSpec {
  name: string; // "run", "system check"
  usage: string; // "[OPTIONS] IMAGE [COMMAND] [ARG...]"
  summary: string;
  flags: FlagSpec[];
  // Flags end at the first positional (docker run/exec/create): the rest belongs to the command.
  stopAtFirstPositional?: boolean;
  minArgs?: number;
  maxArgs?: number;
}

export type FlagValues = Record<string, boolean | string | string[] | undefined>;

export interface ParsedCommand {
  flags: FlagValues;
  args: string[];
  help: boolean;
}

const HELP_FLAG: FlagSpec = { long: 'help', kind: 'bool', help: 'Print usage' };

function flagLabel(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.long}` : `--${spec.long}`;
}

function parseBool(raw: string, spec: FlagSpec): boolean {
  if (/^(1|t|true|TRUE|True)$/.test(raw)) return true;
  if (/^(0|f|false|FALSE|False)$/.test(raw)) return false;
  throw new CliError(`invalid argument "${raw}" for "${flagLabel(spec)}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
}

export function parseCommandLine(argv: readonly string[], spec: CommandSpec): ParsedCommand {
  const specs = [...spec.flags];
  const hasShortH = specs.some((f) => f.short === 'h');
  const help: FlagSpec = hasShortH ? HELP_FLAG : { ...HELP_FLAG, short: 'h' };
  specs.push(help);
  const byLong = new Map(specs.map((f) => [f.long, f]));
  const byShort = new Map(specs.filter((f) => f.short).map((f) => [f.short!, f]));

  const flags: FlagValues = {};
  const args: string[] = [];
  let wantsHelp = false;

  const assign = (f: FlagSpec, value: string | boolean) => {
    if (f === help) {
      wantsHelp = value === true;
      return;
    }
    if (f.kind === 'list') {
      const list = (flags[f.long] as string[] | undefined) ?? [];
      list.push(String(value));
      flags[f.long] = list;
    } else {
      flags[f.long] = value;
    }
  };

  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const f = byLong.get(name);
      if (!f) throw new CliError(`unknown flag: --${name}`, undefined, spec.name);
      if (f.kind === 'bool') {
        assign(f, eq === -1 ? true : parseBool(arg.slice(eq + 1), f));
      } else if (eq !== -1) {
        assign(f, arg.slice(eq + 1));
      } else {
        if (i + 1 >= argv.length) throw new CliError(`flag needs an argument: --${name}`, undefined, spec.name);
        assign(f, argv[++i]);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A cluster of short flags (-it, -dit); a valued flag takes the rest of the cluster or the next arg.
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j];
        const f = byShort.get(letter);
        if (!f) throw new CliError(`unknown shorthand flag: '${letter}' in ${arg}`, undefined, spec.name);
        if (f.kind === 'bool') {
          if (arg[j + 1] === '=') {
            assign(f, parseBool(arg.slice(j + 2), f));
            break;
          }
          assign(f, true);
          continue;
        }
        let rest = arg.slice(j + 1);
        if (rest.startsWith('=')) rest = rest.slice(1);
        if (rest !== '' || arg[j + 1] === '=') {
          assign(f, rest);
        } else {
          if (i + 1 >= argv.length) throw new CliError(`flag needs an argument: '${letter}' in -${letter}`, undefined, spec.name);
          assign(f, argv[++i]);
        }
        break;
      }
      continue;
    }
    args.push(arg);
    if (spec.stopAtFirstPositional) {
      i++;
      break;
    }
  }
  args.push(...argv.slice(i));

  if (!wantsHelp) {
    if (spec.minArgs !== undefined && args.length < spec.minArgs) {
      const need = spec.minArgs === 1 ? '1 argument' : `at least ${spec.minArgs} arguments`;
      const exact = spec.maxArgs === spec.minArgs ? `exactly ${spec.minArgs} argument${spec.minArgs === 1 ? '' : 's'}` : need;
      throw new CliError(`"strata ${spec.name}" requires ${exact}.`, undefined, spec.name);
    }
    if (spec.maxArgs !== undefined && args.length > spec.maxArgs) {
      const what = spec.maxArgs === 0 ? 'no arguments' : `at most ${spec.maxArgs} argument${spec.maxArgs === 1 ? '' : 's'}`;
      throw new CliError(`"strata ${spec.name}" accepts ${what}.`, undefined, spec.name);
    }
  }
  return { flags, args, help: wantsHelp };
}

/** A verb's arguments, or undefined when --help asked for its usage, which is printed (exit 0). */
export function parseVerbArgs(argv: readonly string[], spec: CommandSpec, out: { stdout: NodeJS.WritableStream }): ParsedCommand | undefined {
  const parsed = parseCommandLine(argv, spec);
  if (!parsed.help) return parsed;
  out.stdout.write(formatHelp(spec));
  return undefined;
}

export function formatHelp(spec: CommandSpec): string {
  const lines = [``, `Usage:  strata ${spec.name} ${spec.usage}`.trimEnd(), ``, spec.summary, ``];
  const visible = spec.flags.filter((f) => !f.hidden);
  if (visible.length > 0) {
    lines.push('Options:');
    const left = visible.map((f) => {
      const names = f.short ? `-${f.short}, --${f.long}` : `    --${f.long}`;
      return f.kind === 'bool' ? names : `${names} ${f.value ?? (f.kind === 'list' ? 'list' : 'string')}`;
    });
    const width = Math.max(...left.map((l) => l.length));
    visible.forEach((f, k) => lines.push(`  ${left[k].padEnd(width)}   ${f.help}`));
    lines.push('');
  }
  return lines.join('\n');
}

// Typed accessors, so verb code reads `flagString(p, 'name')` instead of casts.
export function flagBool(p: ParsedCommand, long: string): boolean {
  return p.flags[long] === true;
}
export function flagString(p: ParsedCommand, long: string): string | undefined {
  const v = p.flags[long];
  return typeof v === 'string' ? v : undefined;
}
export function flagList(p: ParsedCommand, long: string): string[] {
  const v = p.flags[long];
  return Array.isArray(v) ? v : [];
}

export function parseInteger(raw: string, flag: string, { min }: { min?: number } = {}): number {
  if (!/^[-+]?\d+$/.test(raw.trim())) throw invalidValue(flag, raw, `strconv.ParseInt: parsing "${raw}": invalid syntax`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw invalidValue(flag, raw, `strconv.ParseInt: parsing "${raw}": value out of range`);
  if (min !== undefined && n < min) throw invalidValue(flag, raw, `must be at least ${min}`);
  return n;
}

export function invalidValue(flag: string, raw: string, why: string): CliError {
  return new CliError(`invalid argument "${raw}" for "${flag}" flag: ${why}`);
}
