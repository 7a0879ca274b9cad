// Instructions that only change the image config (no layer): what each sets, and the history
// line docker's builder writes for it (`/bin/sh -c #(nop)  CMD ["sh"]`). The config fields
// shared with `import --change` (ENV LABEL EXPOSE VOLUME USER STOPSIGNAL) go through the same
// code, after this instruction's variables are expanded.
import type { HealthConfig, ImageConfig } from '../api.js';
import { EngineError } from '../errors.js';
import { applyChanges } from '../images/changes.js';
import { expandKeepingQuotes, expandWord, expandWords, type Vars } from './expand.js';
import { dockerfileError, KNOWN, parseDockerfile, type Instruction } from './parser.js';

export interface MetadataState {
  config: ImageConfig;
  vars: Vars; // what ${X} expands to in this step
  escape: string;
  cmdSetInStage: boolean; // ENTRYPOINT clears an inherited CMD only
  author?: string;
}

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

export function shellOf(config: ImageConfig): string[] {
  return config.Shell && config.Shell.length > 0 ? config.Shell : DEFAULT_SHELL;
}

/** docker's history line for a step that adds no layer. */
export function nopLine(config: ImageConfig, text: string): string {
  return `${shellOf(config).join(' ')} #(nop)  ${text}`;
}

/** Applies a metadata instruction; returns the history line. */
export function applyMetadata(ins: Instruction, state: MetadataState): string {
  const fail = (why: string) => dockerfileError(ins.line, `${ins.keyword}: ${why}`);
  const config = state.config;
  const expanded = () => expandKeepingQuotes(ins.args, state.vars, state.escape);
  const viaChanges = (text: string) => {
    try {
      state.config = applyChanges(config, [`${ins.keyword} ${text}`]);
    } catch (err) {
      throw fail((err as Error).message.replace(/^invalid change "[^"]*": /, ''));
    }
  };
  switch (ins.keyword) {
    case 'CMD':
    case 'ENTRYPOINT': {
      const command = ins.json ?? (ins.args === '' ? [] : [...shellOf(config), ins.args]);
      if (ins.keyword === 'CMD') {
        config.Cmd = command;
        state.cmdSetInStage = true;
      } else {
        config.Entrypoint = command;
        if (!state.cmdSetInStage) delete config.Cmd;
      }
      return nopLine(config, `${ins.keyword} ${JSON.stringify(command)}`);
    }
    case 'ENV':
    case 'LABEL': {
      if (ins.args === '') throw fail(`${ins.keyword} requires at least one argument`);
      const text = expanded();
      viaChanges(text);
      return nopLine(state.config, `${ins.keyword} ${text}`);
    }
    case 'EXPOSE':
    case 'VOLUME': {
      if (ins.args === '') throw fail(`${ins.keyword} requires at least one argument`);
      const text = ins.json ? JSON.stringify(ins.json.map((v) => expandWord(v, state.vars, state.escape))) : expandWords(ins.args, state.vars, state.escape).join(' ');
      viaChanges(text);
      return nopLine(state.config, `${ins.keyword} ${ins.keyword === 'VOLUME' ? `[${(ins.json ?? expandWords(ins.args, state.vars, state.escape)).join(' ')}]` : text}`);
    }
    case 'USER':
    case 'STOPSIGNAL': {
      const value = expandWord(ins.args, state.vars, state.escape);
      if (value === '') throw fail(`${ins.keyword} requires exactly one argument`);
      if (ins.keyword === 'USER') config.User = value;
      else config.StopSignal = value;
      return nopLine(config, `${ins.keyword} ${value}`);
    }
    case 'SHELL': {
      if (!ins.json || ins.json.length === 0) throw fail('SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]');
      config.Shell = ins.json;
      return nopLine(config, `SHELL [${ins.json.join(' ')}]`);
    }
    case 'HEALTHCHECK': {
      config.Healthcheck = healthcheck(ins, fail);
      return nopLine(config, `HEALTHCHECK &{${JSON.stringify(config.Healthcheck.Test)}}`);
    }
    case 'ONBUILD': {
      const trigger = /^\s*(\S+)/.exec(ins.args)?.[1]?.toUpperCase();
      if (!trigger) throw fail('ONBUILD requires an instruction');
      if (trigger === 'ONBUILD') throw fail('chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (trigger === 'FROM' || trigger === 'MAINTAINER') throw fail(`${trigger} isn't allowed as an ONBUILD trigger`);
      if (!KNOWN.has(trigger)) throw fail(`unknown instruction: ${trigger}`);
      (config.OnBuild ??= []).push(ins.args.trim());
      return nopLine(config, `ONBUILD ${ins.args.trim()}`);
    }
    case 'MAINTAINER':
      state.author = expandWord(ins.args, state.vars, state.escape);
      return nopLine(config, `MAINTAINER ${state.author}`);
    default:
      throw new EngineError(`${ins.keyword} is not a metadata instruction`, 'internal');
  }
}

function healthcheck(ins: Instruction, fail: (why: string) => EngineError): HealthConfig {
  const words = ins.args.trim();
  if (/^NONE$/i.test(words)) {
    if (Object.keys(ins.flags).length > 0) throw fail('HEALTHCHECK NONE takes no options');
    return { Test: ['NONE'] };
  }
  const m = /^CMD\s+([\s\S]+)$/i.exec(words);
  if (!m) throw fail('HEALTHCHECK requires CMD <command> or NONE');
  const rest = m[1].trim();
  // The CMD part has CMD's own forms: JSON (exec) or shell.
  const json = rest.startsWith('[') ? parseDockerfile(`CMD ${rest}`).instructions[0].json : undefined;
  const health: HealthConfig = { Test: json ? ['CMD', ...json] : ['CMD-SHELL', rest] };
  const durations: Record<string, keyof HealthConfig> = { interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' };
  for (const [flag, values] of Object.entries(ins.flags)) {
    const value = values.at(-1)!;
    if (flag === 'retries') {
      if (!/^\d+$/.test(value)) throw fail(`--retries must be a whole number, got ${JSON.stringify(value)}`);
      health.Retries = Number(value);
    } else if (durations[flag]) {
      (health as unknown as Record<string, number>)[durations[flag]] = goDuration(value, fail);
    } else {
      throw fail(`unknown flag: --${flag}`);
    }
  }
  return health;
}

/** Go's time.ParseDuration ("1m30s", "500ms") in nanoseconds. */
export function goDuration(text: string, fail: (why: string) => EngineError): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (text === '0') return 0;
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) throw fail(`invalid duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return Math.round(total);
}
