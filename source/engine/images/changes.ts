// `commit --change` / `import --change`: Dockerfile instructions that set image config fields,
// applied by the instruction table (instructions.ts) as a build applies them; the others are
// refused with the list of what works.
import type { ImageConfig } from '../api.js';
import { EngineError } from '../errors.js';
import { shellWords } from '../format/shell-words.js';
import { CHANGE_INSTRUCTIONS, meaningOf, type ArgReader, type ConfigState } from './instructions.js';

// A --change has no variables: its words are read as written.
const LITERAL: ArgReader = {
  line: (text) => text,
  words: (text) => shellWords(text, { strict: false }),
  word: (text) => shellWords(text, { strict: false }).join(' '),
};

export function applyChanges(base: ImageConfig, changes: readonly string[]): ImageConfig {
  // ENTRYPOINT keeps the image's CMD here (cmdSetInStage), as strata's --change always has.
  const state: ConfigState = { config: structuredClone(base), cmdSetInStage: true };
  for (const change of changes) applyChange(state, change);
  return state.config;
}

function applyChange(state: ConfigState, change: string): void {
  const m = /^\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(change);
  if (!m) throw new EngineError(`invalid change ${JSON.stringify(change)}: expected a Dockerfile instruction such as 'CMD ["sh"]'`, 'invalid');
  const keyword = m[1].toUpperCase();
  const args = (m[2] ?? '').trim();
  const fail = (why: string) => new EngineError(`invalid change ${JSON.stringify(change)}: ${why}`, 'invalid');
  const meaning = meaningOf(keyword);
  if (!meaning?.change || !meaning.apply) throw fail(`${keyword} cannot be applied to an image; supported: ${CHANGE_INSTRUCTIONS.join(', ')}`);
  if (args === '' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT') throw fail(`${keyword} needs an argument`);
  meaning.apply({ keyword, args, json: jsonArray(args), flags: {} }, state, LITERAL, fail);
}

/** JSON (exec) form when it is one; anything else is shell form, as docker falls back to. */
function jsonArray(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value = JSON.parse(args) as unknown;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch { /* not JSON: shell form */ }
  return undefined;
}
