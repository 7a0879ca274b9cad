// Instructions that only change the image config (no layer), for the builder: the instruction
// table (images/instructions.ts) applies them with this step's variables expanded, and the
// history line is docker's builder's (`/bin/sh -c #(nop)  CMD ["sh"]`).
import type { ImageConfig } from '../api.js';
import { EngineError } from '../errors.js';
import { meaningOf, shellOf, type ArgReader, type ConfigState } from '../images/instructions.js';
import { expandKeepingQuotes, expandWord, expandWords, type Vars } from './expand.js';
import { dockerfileError, type Instruction } from './parser.js';

export interface MetadataState extends ConfigState {
  vars: Vars; // what ${X} expands to in this step
  escape: string;
}

/** docker's history line for a step that adds no layer. */
export function nopLine(config: ImageConfig, text: string): string {
  return `${shellOf(config).join(' ')} #(nop)  ${text}`;
}

/** Applies a metadata instruction to state.config; returns the history line. */
export function applyMetadata(ins: Instruction, state: MetadataState): string {
  const apply = meaningOf(ins.keyword)?.apply;
  if (!apply) throw new EngineError(`${ins.keyword} is not a metadata instruction`, 'internal');
  const read: ArgReader = {
    line: (text) => expandKeepingQuotes(text, state.vars, state.escape),
    words: (text) => expandWords(text, state.vars, state.escape),
    word: (text) => expandWord(text, state.vars, state.escape),
  };
  const text = apply(ins, state, read, (why) => dockerfileError(ins.line, `${ins.keyword}: ${why}`));
  return nopLine(state.config, text);
}
