// Dockerfile text → instructions, as BuildKit's parser reads it: parser directives (`syntax`,
// `escape`) at the top, comments, line continuations with the escape character, heredocs
// (`<<EOF`, `<<-EOF`, quoted delimiters) and `--flag=value` options. Each instruction keeps its
// line so every error can name it. Variable expansion is not done here: which arguments expand
// depends on the instruction and the step's environment (expand.ts).
//
// Why our own parser and not `dockerfile-ast`: that one is an editor AST (LSP ranges, tolerant
// of broken input, heredocs only as text ranges); the builder needs the strict semantics instead
// — exact continuation/escape rules, heredoc bodies, JSON-form detection — and each is a few
// lines here.
import { EngineError } from '../errors.js';
import { execForm } from '../images/exec-form.js';
import { meaningOf } from '../images/instructions.js';

export interface Heredoc {
  name: string;
  body: string;
  expand: boolean; // unquoted delimiter: variables in the body expand (COPY)
}

export interface Instruction {
  keyword: string; // upper case
  line: number; // 1-based, where it starts
  flags: Record<string, string[]>; // --from=x → { from: ['x'] }
  args: string; // the rest of the logical line, continuations joined
  json?: string[]; // exec (JSON) form when args is a JSON string array
  heredocs: Heredoc[];
  original: string; // as written (logical line), for messages
}

export interface ParsedDockerfile {
  escape: string;
  syntax?: string;
  instructions: Instruction[];
}

const HEREDOC_CAPABLE = new Set(['RUN', 'COPY', 'ADD']);
const JSON_CAPABLE = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'VOLUME', 'COPY', 'ADD']);

export function dockerfileError(line: number, message: string): EngineError {
  return new EngineError(`Dockerfile:${line}: ${message}`, 'invalid');
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let escape = '\\';
  let syntax: string | undefined;
  let i = 0;
  // Directives: only in the first comment lines, before anything else.
  for (; i < lines.length; i++) {
    const m = /^\s*#\s*([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*?)\s*$/.exec(lines[i]);
    if (!m) break;
    const key = m[1].toLowerCase();
    if (key === 'escape') {
      if (m[2] !== '\\' && m[2] !== '`') throw dockerfileError(i + 1, `invalid escape token ${JSON.stringify(m[2])}: it must be \` or \\`);
      escape = m[2];
    } else if (key === 'syntax') {
      syntax = m[2];
    }
  }

  const instructions: Instruction[] = [];
  const isComment = (l: string) => /^\s*#/.test(l);
  while (i < lines.length) {
    const raw = lines[i];
    if (raw.trim() === '' || isComment(raw)) {
      i++;
      continue;
    }
    const start = i + 1;
    let logical = '';
    // Continuations: a line ending (ignoring trailing blanks) with the escape character.
    for (;;) {
      const current = lines[i++];
      const trimmed = current.replace(/\s+$/, '');
      if (trimmed.endsWith(escape)) {
        logical += trimmed.slice(0, -1);
        // Comment and empty lines inside a continued instruction are dropped.
        while (i < lines.length && (isComment(lines[i]) || lines[i].trim() === '')) i++;
        if (i >= lines.length) break;
        continue;
      }
      logical += current;
      break;
    }
    const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(logical)!;
    const keyword = m[1].toUpperCase();
    if (!meaningOf(keyword)) throw dockerfileError(start, `unknown instruction: ${m[1]}`);
    let rest = m[2].trim();

    const flags: Record<string, string[]> = {};
    for (;;) {
      const f = /^--([a-zA-Z][a-zA-Z0-9-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest);
      if (!f) break;
      (flags[f[1]] ??= []).push(f[2] ?? 'true');
      rest = rest.slice(f[0].length);
    }

    const heredocs: Heredoc[] = [];
    if (HEREDOC_CAPABLE.has(keyword)) {
      const marker = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
      for (const h of rest.matchAll(marker)) {
        const strip = h[1] === '-';
        const body: string[] = [];
        for (;;) {
          if (i >= lines.length) throw dockerfileError(start, `unterminated heredoc ${h[3]}`);
          const l = lines[i++];
          const candidate = strip ? l.replace(/^\t+/, '') : l;
          if (candidate === h[3]) break;
          body.push(candidate);
        }
        heredocs.push({ name: h[3], body: body.length ? `${body.join('\n')}\n` : '', expand: h[2] === '' });
      }
    }

    let json: string[] | undefined;
    if (JSON_CAPABLE.has(keyword) && rest.startsWith('[') && heredocs.length === 0) {
      json = execForm(rest, (why) => dockerfileError(start, `${keyword}: ${why}`));
    }
    instructions.push({ keyword, line: start, flags, args: rest, json, heredocs, original: logical.trim() });
  }
  return { escape, syntax, instructions };
}
