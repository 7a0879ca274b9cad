// `import --change`: Dockerfile instructions that set image config fields. Only the instructions
// that change metadata make sense here; anything else is refused with the list of what works.
import type { ImageConfig } from '../api.js';
import { EngineError } from '../errors.js';

const SUPPORTED = ['CMD', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'LABEL', 'ONBUILD', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR'];

export function applyChanges(base: ImageConfig, changes: readonly string[]): ImageConfig {
  const config: ImageConfig = structuredClone(base);
  for (const change of changes) applyChange(config, change);
  return config;
}

function applyChange(config: ImageConfig, change: string): void {
  const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(change);
  if (!m) throw new EngineError(`invalid change ${JSON.stringify(change)}: expected a Dockerfile instruction such as 'CMD ["sh"]'`, 'invalid');
  const instruction = m[1].toUpperCase();
  const args = (m[2] ?? '').trim();
  const fail = (why: string) => new EngineError(`invalid change ${JSON.stringify(change)}: ${why}`, 'invalid');
  if (!SUPPORTED.includes(instruction)) throw fail(`${instruction} cannot be applied to an image; supported: ${SUPPORTED.join(', ')}`);
  if (args === '' && instruction !== 'CMD' && instruction !== 'ENTRYPOINT') throw fail(`${instruction} needs an argument`);

  switch (instruction) {
    case 'CMD':
      config.Cmd = commandForm(args);
      break;
    case 'ENTRYPOINT':
      config.Entrypoint = commandForm(args);
      break;
    case 'ENV': {
      const env = config.Env ?? [];
      for (const [key, value] of keyValues(args, true, fail)) {
        const i = env.findIndex((e) => e.split('=', 1)[0] === key);
        if (i >= 0) env[i] = `${key}=${value}`;
        else env.push(`${key}=${value}`);
      }
      config.Env = env;
      break;
    }
    case 'LABEL':
      config.Labels ??= {};
      for (const [key, value] of keyValues(args, false, fail)) config.Labels[key] = value;
      break;
    case 'EXPOSE':
      config.ExposedPorts ??= {};
      for (const word of words(args)) for (const port of exposedPorts(word, fail)) config.ExposedPorts[port] = {};
      break;
    case 'VOLUME': {
      config.Volumes ??= {};
      const list = jsonArray(args) ?? words(args);
      if (list.length === 0 || list.some((v) => v === '')) throw fail('VOLUME needs a path');
      for (const volume of list) config.Volumes[volume] = {};
      break;
    }
    case 'WORKDIR': {
      const dir = words(args).join(' ');
      config.WorkingDir = dir.startsWith('/') ? dir : `${(config.WorkingDir ?? '/').replace(/\/$/, '')}/${dir}`;
      break;
    }
    case 'USER':
      config.User = words(args).join(' ');
      break;
    case 'STOPSIGNAL':
      config.StopSignal = args;
      break;
    case 'ONBUILD': {
      // Stored as written, run by a later build FROM this image; chaining and FROM/MAINTAINER are refused as docker refuses them.
      const trigger = /^\s*([A-Za-z]+)/.exec(args)![1].toUpperCase();
      if (['ONBUILD', 'FROM', 'MAINTAINER'].includes(trigger)) throw fail(`${trigger} isn't allowed as an ONBUILD trigger`);
      config.OnBuild = [...(config.OnBuild ?? []), args];
      break;
    }
  }
}

/** JSON (exec) form as given; anything else is shell form, run by /bin/sh -c. */
function commandForm(args: string): string[] {
  return jsonArray(args) ?? (args === '' ? [] : ['/bin/sh', '-c', args]);
}

function jsonArray(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value = JSON.parse(args) as unknown;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch { /* not JSON: docker falls back to shell form too */ }
  return undefined;
}

/** Splits on unquoted whitespace, removing quotes and backslash escapes the way Dockerfile words do. */
export function words(input: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < input.length) word += input[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < input.length) {
      word += input[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

function keyValues(args: string, legacyForm: boolean, fail: (why: string) => EngineError): Array<[string, string]> {
  const list = words(args);
  if (legacyForm && list.length > 0 && !list[0].includes('=')) {
    // `ENV KEY value with spaces`: the first word is the key, the rest of the line the value
    const key = list[0];
    const value = args.slice(args.indexOf(key) + key.length).trim();
    return [[key, words(value).join(' ')]];
  }
  return list.map((pair) => {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw fail(`expected KEY=VALUE, got ${JSON.stringify(pair)}`);
    return [pair.slice(0, eq), pair.slice(eq + 1)];
  });
}

function exposedPorts(word: string, fail: (why: string) => EngineError): string[] {
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
