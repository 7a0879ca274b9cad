// The parse tree of a template, as Go's text/template/parse has it, and each node's source text
// (Go quotes it in execution errors: `executing "" at <index .Args 5>`).
export type Node =
  | { kind: 'text'; pos: number; text: string }
  | { kind: 'action'; pos: number; line: number; pipe: Pipe }
  | { kind: 'if' | 'with'; pos: number; line: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { kind: 'range'; pos: number; line: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { kind: 'template'; pos: number; line: number; name: string; pipe?: Pipe }
  | { kind: 'break' | 'continue'; pos: number; line: number };

export interface Pipe {
  pos: number;
  decl: Variable[];
  isAssign: boolean;
  cmds: Command[];
}

export interface Command {
  pos: number;
  args: Arg[];
}

export interface Variable {
  kind: 'variable';
  pos: number;
  ident: string[]; // ["$x", "Field", ...]
}

export type Arg =
  | Variable
  | { kind: 'field'; pos: number; ident: string[] }
  | { kind: 'chain'; pos: number; node: Arg; field: string[] }
  | { kind: 'identifier'; pos: number; name: string }
  | { kind: 'pipe'; pos: number; pipe: Pipe }
  | { kind: 'dot'; pos: number }
  | { kind: 'nil'; pos: number }
  | { kind: 'bool'; pos: number; value: boolean }
  | { kind: 'number'; pos: number; text: string; value: number; isFloat: boolean }
  | { kind: 'string'; pos: number; text: string; value: string };

export function argText(a: Arg): string {
  switch (a.kind) {
    case 'variable': return a.ident.join('.');
    case 'field': return a.ident.map((f) => `.${f}`).join('');
    case 'chain': return `${a.node.kind === 'pipe' ? `(${pipeText(a.node.pipe)})` : argText(a.node)}${a.field.map((f) => `.${f}`).join('')}`;
    case 'identifier': return a.name;
    case 'pipe': return `(${pipeText(a.pipe)})`;
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(a.value);
    case 'number': return a.text;
    case 'string': return a.text;
  }
}

export function commandText(c: Command): string {
  return c.args.map(argText).join(' ');
}

export function pipeText(p: Pipe): string {
  const decl = p.decl.length ? `${p.decl.map(argText).join(', ')} ${p.isAssign ? '=' : ':='} ` : '';
  return decl + p.cmds.map(commandText).join(' | ');
}
