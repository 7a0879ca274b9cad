// One compose file read as YAML (anchors, aliases and `<<` merge keys resolved, alias bombs
// refused) with the line of every key kept, so an error names where it is.
import fs from 'node:fs';
import { LineCounter, parseDocument, type Document, type ScalarTag } from 'yaml';
import { ComposeError } from './errors.js';

export interface ComposeSource {
  file: string;
  data: Record<string, unknown>;
  /** The line of the value at `path` (or of its nearest parent that exists). */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

// go-yaml (docker compose's parser) reads 0440 as octal, as file modes are written; YAML 1.2 alone would say 440.
const GO_OCTAL: ScalarTag = {
  identify: (value) => typeof value === 'number',
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^0[0-7]+$/,
  resolve: (text) => parseInt(text, 8),
};

export function parseComposeText(text: string, file: string): ComposeSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, merge: true, prettyErrors: true, uniqueKeys: true, customTags: (tags) => [GO_OCTAL, ...tags] });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    throw new ComposeError(`invalid YAML: ${first.message.split('\n')[0]}`, { file, line: pos?.line });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ComposeError(`invalid YAML: ${(error as Error).message}`, { file });
  }
  if (data === null || data === undefined) data = {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new ComposeError('top-level object must be a mapping', { file, line: 1 });
  return {
    file,
    data: data as Record<string, unknown>,
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

export function readComposeFile(file: string): ComposeSource {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ComposeError(code === 'ENOENT' ? `open ${file}: no such file or directory` : code === 'EISDIR' ? `${file} is a directory, not a compose file` : `cannot read ${file}: ${(error as Error).message}`);
  }
  return parseComposeText(text, file);
}
