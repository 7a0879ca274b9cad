// The `.env` file and `env_file:` entries as docker compose reads them: KEY=VALUE lines,
// `export ` allowed, # comments, single quotes literal, double quotes with \n escapes,
// unquoted values cut at ` #`, a bare KEY taking the value from the environment.
import fs from 'node:fs';
import { ComposeError } from './errors.js';

export function parseEnvFile(text: string, file: string, lookup: (name: string) => string | undefined = () => undefined): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('export ')) line = line.slice(7).trimStart();
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) throw new ComposeError(`unexpected character in variable name "${key}"`, { file, line: i + 1 });
    if (eq < 0) {
      const inherited = lookup(key);
      if (inherited !== undefined) out.set(key, inherited);
      continue;
    }
    let value = line.slice(eq + 1).trimStart();
    const quote = value[0];
    if (quote === "'" || quote === '"') {
      // A quoted value may run over several lines.
      let body = value.slice(1);
      let end = findClosingQuote(body, quote);
      while (end < 0 && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i]}`;
        end = findClosingQuote(body, quote);
      }
      if (end < 0) throw new ComposeError(`unterminated quoted value for ${key}`, { file, line: i + 1 });
      value = body.slice(0, end);
      if (quote === '"') value = value.replace(/\\(["\\nrt$])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
    } else {
      const comment = value.search(/\s#/);
      if (comment >= 0) value = value.slice(0, comment);
      value = value.trimEnd();
    }
    out.set(key, value);
  }
  return out;
}

function findClosingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') {
      i++;
      continue;
    }
    if (body[i] === quote) return i;
  }
  return -1;
}

export function readEnvFile(file: string, lookup?: (name: string) => string | undefined): Map<string, string> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ComposeError(code === 'ENOENT' ? `env file ${file} not found` : `cannot read env file ${file}: ${(error as Error).message}`);
  }
  return parseEnvFile(text, file, lookup);
}
