// Go's text/template with docker's functions, for every -f/--format: `{{.State.Status}}`,
// `{{range $i, $e := .Args}}…{{end}}`, `{{printf "%-10s" .Name}}`, `{{json .Config}}`, and
// docker's `table …` formats with a header row and aligned columns. The engine is in template/.
import { CliError } from '../errors.js';
import { BUILTINS } from './template/builtins.js';
import { DOCKER_FUNCTIONS, HEADER_FUNCTIONS } from './template/docker-functions.js';
import { execute } from './template/exec.js';
import type { FuncMap } from './template/functions.js';
import { type Tree, parseTemplate } from './template/parse.js';
import { tabwrite } from './template/tabwriter.js';

export { goString } from './template/values.js';

const FUNCTIONS: FuncMap = { ...BUILTINS, ...DOCKER_FUNCTIONS };
const HEADER: FuncMap = { ...BUILTINS, ...HEADER_FUNCTIONS };
const parsed = new Map<string, Tree>();

function parse(text: string, name: string): Tree {
  const key = `${name}\0${text}`;
  let tree = parsed.get(key);
  if (!tree) {
    tree = parseTemplate(text, name, (f) => f in FUNCTIONS);
    parsed.set(key, tree);
  }
  return tree;
}

function asCliError(err: unknown): never {
  if ((err as Error).name === 'TemplateError') throw new CliError(`template parsing error: ${(err as Error).message}`);
  throw err;
}

// docker's Format.templateString: `\t` and `\n` typed in the shell become a tab and a newline
function expand(format: string): string {
  return format.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
}

/** One rendering of a template over data (Go's text/template semantics, docker's functions). */
export function renderTemplate(template: string, data: unknown, name = ''): string {
  const text = expand(template);
  const out: string[] = [];
  try {
    execute(parse(text, name), data, FUNCTIONS, name, text, out);
  } catch (err) {
    asCliError(err);
  }
  return out.join('');
}

// Fail on a bad template before doing any work, as docker does.
export function checkTemplate(template: string): void {
  try {
    parse(isTableFormat(template) ? tableTemplate(template) : expand(template), '');
  } catch (err) {
    asCliError(err);
  }
}

export function isTableFormat(format: string): boolean {
  return format.startsWith('table');
}

function tableTemplate(format: string): string {
  return expand(format.slice('table'.length).replace(/^ +| +$/g, ''));
}

/**
 * Rows under a --format, one line each; `table {{.A}}\t{{.B}}` adds a header row made by running
 * the template over the column names (`header`, docker's names per verb) and aligns the columns
 * with docker's tabwriter. A header that fails to render stops where it failed, as in docker.
 */
export function renderRows(format: string, rows: object[], header: Record<string, string> = {}): string {
  if (!isTableFormat(format)) return rows.map((r) => `${renderTemplate(format, r)}\n`).join('');
  const text = tableTemplate(format);
  const body = rows.map((r) => `${renderTemplate(text, r)}\n`).join('');
  const head: string[] = [];
  try {
    execute(parse(text, ''), header, HEADER, '', text, head);
  } catch {
    // docker ignores it too: the header is what rendered before the error
  }
  return tabwrite(`${head.join('')}\n${body}`, 10, 3);
}
