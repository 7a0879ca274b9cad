// What each Dockerfile instruction means for an image config, in one table that the builder
// and `commit`/`import --change` both apply: adding an instruction is one entry here (plus its
// execution in the builder when it needs one: a layer, a stage, build args).
import path from 'node:path';
import type { ImageConfig } from '../api.js';
import { healthcheck } from './healthcheck.js';

/** An instruction as written: keyword (upper case), its flags, the rest, and its exec form. */
export interface InstructionText {
  keyword: string;
  args: string;
  json?: string[]; // the args as a JSON string array, when they are one
  flags: Record<string, string[]>;
}

/** How the caller reads an instruction's words: the builder expands ${X}; a --change is literal. */
export interface ArgReader {
  line(text: string): string; // variables expanded, quotes kept (ENV, LABEL: parsed as KEY=VALUE after)
  words(text: string): string[]; // words, quotes removed
  word(text: string): string; // one word, quotes removed, whitespace kept
}

export interface ConfigState {
  config: ImageConfig; // changed in place
  cmdSetInStage: boolean; // ENTRYPOINT clears an inherited CMD only
  author?: string; // MAINTAINER
}

/** The caller's error for a failure, already worded for it (a Dockerfile line, a --change). */
export type Fail = (why: string) => Error;

export interface InstructionMeaning {
  change: boolean; // allowed in `commit --change` / `import --change`
  // Sets the config; returns the history text (`CMD ["sh"]`). None: the builder runs it.
  apply?: (ins: InstructionText, state: ConfigState, read: ArgReader, fail: Fail) => string;
}

export const DEFAULT_SHELL = ['/bin/sh', '-c'];

export function shellOf(config: ImageConfig): string[] {
  return config.Shell && config.Shell.length > 0 ? config.Shell : DEFAULT_SHELL;
}

/** CMD and ENTRYPOINT: the exec form as given, else the shell form through SHELL. */
function command(ins: InstructionText, config: ImageConfig): string[] {
  return ins.json ?? (ins.args === '' ? [] : [...shellOf(config), ins.args]);
}

function atLeastOne(ins: InstructionText, fail: Fail): void {
  if (ins.args === '') throw fail(`${ins.keyword} requires at least one argument`);
}

function exactlyOne(ins: InstructionText, value: string, fail: Fail): string {
  if (value === '') throw fail(`${ins.keyword} requires exactly one argument`);
  return value;
}

/**
 * ENV and LABEL: KEY=VALUE pairs, set one by one; or BuildKit's legacy `KEY value with  spaces`
 * (no `=` in the first word), where the value is the rest of the line verbatim, as one word.
 */
function pairs(set: (config: ImageConfig, key: string, value: string) => void): InstructionMeaning {
  return {
    change: true,
    apply(ins, state, read, fail) {
      atLeastOne(ins, fail);
      const legacy = /^(\S+)\s+(\S[\s\S]*)$/.exec(ins.args.trim());
      if (legacy && !legacy[1].includes('=')) {
        const key = read.word(legacy[1]);
        const value = read.word(legacy[2]);
        set(state.config, key, value);
        return `${ins.keyword} ${key}=${value}`;
      }
      // split before expanding, as BuildKit does: NAME=$X keeps X's spaces in the one value
      for (const [key, value] of keyValues(ins.args, fail)) set(state.config, read.word(key), read.word(value));
      return `${ins.keyword} ${read.line(ins.args)}`;
    },
  };
}

export const INSTRUCTIONS: Record<string, InstructionMeaning> = {
  FROM: { change: false },
  RUN: { change: false },
  COPY: { change: false },
  ADD: { change: false },
  ARG: { change: false },
  CMD: {
    change: true,
    apply(ins, state) {
      state.config.Cmd = command(ins, state.config);
      state.cmdSetInStage = true;
      return `CMD ${JSON.stringify(state.config.Cmd)}`;
    },
  },
  ENTRYPOINT: {
    change: true,
    apply(ins, state) {
      state.config.Entrypoint = command(ins, state.config);
      if (!state.cmdSetInStage) delete state.config.Cmd;
      return `ENTRYPOINT ${JSON.stringify(state.config.Entrypoint)}`;
    },
  },
  ENV: pairs((config, key, value) => {
    const env = (config.Env ??= []);
    const i = env.findIndex((e) => e.split('=', 1)[0] === key);
    if (i >= 0) env[i] = `${key}=${value}`;
    else env.push(`${key}=${value}`);
  }),
  LABEL: pairs((config, key, value) => {
    (config.Labels ??= {})[key] = value;
  }),
  EXPOSE: {
    change: true,
    apply(ins, state, read, fail) {
      atLeastOne(ins, fail);
      const words = read.words(ins.args);
      state.config.ExposedPorts ??= {};
      for (const word of words) for (const port of exposedPorts(word, fail)) state.config.ExposedPorts[port] = {};
      return `EXPOSE ${words.join(' ')}`;
    },
  },
  VOLUME: {
    change: true,
    apply(ins, state, read, fail) {
      atLeastOne(ins, fail);
      const list = ins.json ? ins.json.map((v) => read.word(v)) : read.words(ins.args);
      if (list.length === 0 || list.some((v) => v === '')) throw fail('VOLUME needs a path');
      state.config.Volumes ??= {};
      for (const volume of list) state.config.Volumes[volume] = {};
      return `VOLUME [${list.join(' ')}]`;
    },
  },
  WORKDIR: {
    change: true,
    apply(ins, state, read, fail) {
      const value = exactlyOne(ins, read.word(ins.args), fail);
      state.config.WorkingDir = path.posix.resolve(state.config.WorkingDir || '/', value);
      return `WORKDIR ${state.config.WorkingDir}`;
    },
  },
  USER: {
    change: true,
    apply(ins, state, read, fail) {
      state.config.User = exactlyOne(ins, read.word(ins.args), fail);
      return `USER ${state.config.User}`;
    },
  },
  STOPSIGNAL: {
    change: true,
    apply(ins, state, read, fail) {
      state.config.StopSignal = exactlyOne(ins, read.word(ins.args), fail);
      return `STOPSIGNAL ${state.config.StopSignal}`;
    },
  },
  ONBUILD: {
    // Stored as written, run by a later build FROM this image.
    change: true,
    apply(ins, state, _read, fail) {
      const trigger = /^\s*(\S+)/.exec(ins.args)?.[1]?.toUpperCase();
      if (!trigger) throw fail('ONBUILD requires an instruction');
      if (trigger === 'ONBUILD') throw fail('chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
      if (trigger === 'FROM' || trigger === 'MAINTAINER') throw fail(`${trigger} isn't allowed as an ONBUILD trigger`);
      if (!meaningOf(trigger)) throw fail(`unknown instruction: ${trigger}`);
      (state.config.OnBuild ??= []).push(ins.args.trim());
      return `ONBUILD ${ins.args.trim()}`;
    },
  },
  SHELL: {
    change: false,
    apply(ins, state, _read, fail) {
      if (!ins.json || ins.json.length === 0) throw fail('SHELL requires the arguments to be in JSON form, e.g. SHELL ["/bin/sh", "-c"]');
      state.config.Shell = ins.json;
      return `SHELL [${ins.json.join(' ')}]`;
    },
  },
  HEALTHCHECK: {
    change: false,
    apply(ins, state, _read, fail) {
      state.config.Healthcheck = healthcheck(ins, fail);
      return `HEALTHCHECK &{${JSON.stringify(state.config.Healthcheck.Test)}}`;
    },
  },
  MAINTAINER: {
    change: false,
    apply(ins, state, read) {
      state.author = read.word(ins.args);
      return `MAINTAINER ${state.author}`;
    },
  },
};

/** The meaning of a keyword (upper case); undefined for one that is not an instruction. */
export function meaningOf(keyword: string): InstructionMeaning | undefined {
  return Object.hasOwn(INSTRUCTIONS, keyword) ? INSTRUCTIONS[keyword] : undefined;
}

/** The instructions a --change may give, for its error message. */
export const CHANGE_INSTRUCTIONS = Object.keys(INSTRUCTIONS).filter((k) => INSTRUCTIONS[k].change).sort();

/** KEY=VALUE words as written (quotes kept, for the reader to remove), split on unquoted blanks. */
function keyValues(args: string, fail: Fail): Array<[string, string]> {
  const words = args.match(/(?:[^\s"'\\]|\\[\s\S]?|"(?:[^"\\]|\\[\s\S])*"?|'[^']*'?)+/g) ?? [];
  return words.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw fail(`expected KEY=VALUE, got ${JSON.stringify(pair)}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

function exposedPorts(word: string, fail: Fail): string[] {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(word);
  if (!m) throw fail(`bad port ${JSON.stringify(word)}`);
  const first = Number(m[1]);
  const last = m[2] ? Number(m[2]) : first;
  if (first < 1 || last > 65535 || last < first) throw fail(`bad port range ${JSON.stringify(word)}`);
  const proto = (m[3] ?? 'tcp').toLowerCase();
  const out: string[] = [];
  for (let p = first; p <= last; p++) out.push(`${p}/${proto}`);
  return out;
}
