// Go's text/template parser: the lexer's items to a tree, with Go's checks and messages
// (undefined functions and variables, {{end}} and {{else}} out of place, empty pipelines).
import { TemplateError } from './errors.js';
import { type Item, lex } from './lex.js';
import type { Arg, Command, Node, Pipe, Variable } from './nodes.js';
import { unquote } from './quote.js';

export interface Tree {
  root: Node[];
  defines: Map<string, Node[]>; // {{define "x"}} and {{block "x"}}
}

type ListEnd = { kind: 'end' | 'else'; pos: number; line: number; keyword?: 'if' | 'with' };

export function parseTemplate(text: string, name: string, hasFunction: (name: string) => boolean): Tree {
  const items = lex(text, name);
  const defines = new Map<string, Node[]>();
  let at = 0;
  let vars: string[] = ['$'];
  let rangeDepth = 0;

  const peek = () => items[at];
  const next = () => items[at++];
  const peekNonSpace = () => {
    while (items[at].type === 'space') at++;
    return items[at];
  };
  const nextNonSpace = () => {
    peekNonSpace();
    return items[at++];
  };
  const fail = (message: string, item: Item = items[Math.max(0, at - 1)]): never => {
    throw new TemplateError(`template: ${name}:${item.line}: ${message}`);
  };
  const unexpected = (item: Item, context: string): never => fail(`unexpected ${itemText(item)} in ${context}`, item);
  const expect = (type: Item['type'], context: string): Item => {
    const item = nextNonSpace();
    if (item.type !== type) unexpected(item, context);
    return item;
  };

  const root: Node[] = [];
  while (peek().type !== 'eof') {
    if (peek().type === 'leftDelim') {
      const mark = at;
      next();
      const word = nextNonSpace();
      if (word.type === 'keyword' && word.value === 'define') {
        parseDefinition();
        continue;
      }
      at = mark;
    }
    const n = textOrAction();
    if ('kind' in n && (n.kind === 'end' || n.kind === 'else')) fail(`unexpected {{${n.kind}}}`);
    root.push(n as Node);
  }
  return { root, defines };

  function parseDefinition(): void {
    const context = 'define clause';
    const nameItem = nextNonSpace();
    if (nameItem.type !== 'string' && nameItem.type !== 'rawString') unexpected(nameItem, context);
    expect('rightDelim', context);
    const saved = vars;
    vars = ['$'];
    const [list, end] = itemList();
    if (end.kind !== 'end') fail(`unexpected {{${end.kind}}} in ${context}`);
    vars = saved;
    defines.set(unquoteItem(nameItem), list);
  }

  function itemList(): [Node[], ListEnd] {
    const list: Node[] = [];
    while (peekNonSpace().type !== 'eof') {
      const n = textOrAction();
      if (n.kind === 'end' || n.kind === 'else') return [list, n as ListEnd];
      list.push(n as Node);
    }
    return fail('unexpected EOF');
  }

  function textOrAction(): Node | ListEnd {
    const item = nextNonSpace();
    if (item.type === 'text') return { kind: 'text', pos: item.pos, text: item.value };
    if (item.type === 'leftDelim') return action();
    return unexpected(item, 'input');
  }

  function action(): Node | ListEnd {
    const item = nextNonSpace();
    if (item.type === 'keyword') {
      switch (item.value) {
        case 'block': return blockControl();
        case 'break':
        case 'continue': {
          const close = nextNonSpace();
          if (close.type !== 'rightDelim') unexpected(close, `{{${item.value}}}`);
          if (rangeDepth === 0) fail(`{{${item.value}}} outside {{range}}`);
          return { kind: item.value, pos: item.pos, line: item.line };
        }
        case 'else': {
          const after = peekNonSpace();
          if (after.type === 'keyword' && (after.value === 'if' || after.value === 'with')) return { kind: 'else', pos: after.pos, line: after.line, keyword: after.value };
          expect('rightDelim', 'else');
          return { kind: 'else', pos: item.pos, line: item.line };
        }
        case 'end':
          return { kind: 'end', pos: expect('rightDelim', 'end').pos, line: item.line };
        case 'if':
        case 'with':
        case 'range':
          return control(item.value);
        case 'template': return templateControl();
        default: return unexpected(item, 'command'); // define below the top level
      }
    }
    at--;
    const start = peek();
    return { kind: 'action', pos: start.pos, line: start.line, pipe: pipeline('command', 'rightDelim') };
  }

  function control(context: 'if' | 'with' | 'range'): Node {
    const savedVars = vars.length;
    const pipe = pipeline(context, 'rightDelim');
    if (context === 'range') rangeDepth++;
    let [list, end] = itemList();
    if (context === 'range') rangeDepth--;
    let elseList: Node[] | undefined;
    if (end.kind === 'else') {
      if (end.keyword && end.keyword === context) {
        // {{else if b}} is {{else}}{{if b}}…{{end}}, its {{end}} closing both
        next();
        elseList = [control(context)];
      } else {
        [elseList, end] = itemList();
        if (end.kind !== 'end') fail('expected end; found {{else}}');
      }
    }
    vars.length = savedVars;
    return { kind: context, pos: pipe.pos, line: items[at - 1].line, pipe, list, elseList } as Node;
  }

  function templateControl(): Node {
    const context = 'template clause';
    const item = nextNonSpace();
    if (item.type !== 'string' && item.type !== 'rawString') unexpected(item, context);
    let pipe: Pipe | undefined;
    if (nextNonSpace().type !== 'rightDelim') {
      at--;
      pipe = pipeline(context, 'rightDelim');
    }
    return { kind: 'template', pos: item.pos, line: item.line, name: unquoteItem(item), pipe };
  }

  function blockControl(): Node {
    const context = 'block clause';
    const item = nextNonSpace();
    if (item.type !== 'string' && item.type !== 'rawString') unexpected(item, context);
    const pipe = pipeline(context, 'rightDelim');
    const saved = vars;
    vars = ['$'];
    const [list, end] = itemList();
    if (end.kind !== 'end') fail(`unexpected {{${end.kind}}} in ${context}`);
    vars = saved;
    const blockName = unquoteItem(item);
    defines.set(blockName, list);
    return { kind: 'template', pos: item.pos, line: item.line, name: blockName, pipe };
  }

  function pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe {
    const pipe: Pipe = { pos: peekNonSpace().pos, decl: [], isAssign: false, cmds: [] };
    for (;;) {
      const v = peekNonSpace();
      if (v.type !== 'variable') break;
      const mark = at;
      next();
      const after = peekNonSpace();
      if (after.type === 'assign' || after.type === 'declare') {
        pipe.isAssign = after.type === 'assign';
        next();
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: [v.value] });
        vars.push(v.value);
        break;
      }
      if (after.type === 'char' && after.value === ',') {
        next();
        pipe.decl.push({ kind: 'variable', pos: v.pos, ident: [v.value] });
        vars.push(v.value);
        if (context === 'range' && pipe.decl.length < 2) {
          const t = peekNonSpace().type;
          if (t === 'variable' || t === 'rightDelim' || t === 'rightParen') continue;
          fail('range can only initialize variables');
        }
        fail(`too many declarations in ${context}`);
      }
      at = mark;
      break;
    }
    for (;;) {
      const item = nextNonSpace();
      if (item.type === end) {
        if (pipe.cmds.length === 0) fail(`missing value for ${context}`);
        pipe.cmds.slice(1).forEach((c, i) => {
          if (['bool', 'dot', 'nil', 'number', 'string'].includes(c.args[0].kind)) fail(`non executable command in pipeline stage ${i + 2}`);
        });
        return pipe;
      }
      if (['bool', 'charConstant', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen'].includes(item.type)) {
        at--;
        pipe.cmds.push(command());
      } else {
        unexpected(item, context);
      }
    }
  }

  function command(): Command {
    const cmd: Command = { pos: peekNonSpace().pos, args: [] };
    for (;;) {
      peekNonSpace();
      const a = operand();
      if (a) cmd.args.push(a);
      const item = next();
      if (item.type === 'space') continue;
      if (item.type === 'rightDelim' || item.type === 'rightParen') at--;
      else if (item.type !== 'pipe') unexpected(item, 'operand');
      break;
    }
    if (cmd.args.length === 0) fail('empty command');
    return cmd;
  }

  function operand(): Arg | undefined {
    const node = term();
    if (!node || peek().type !== 'field') return node;
    const pos = peek().pos;
    const fields: string[] = [];
    while (peek().type === 'field') fields.push(next().value.slice(1));
    switch (node.kind) {
      case 'field': return { kind: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable': return { kind: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return fail(`unexpected . after term ${JSON.stringify(node.kind === 'string' || node.kind === 'number' ? node.text : node.kind === 'bool' ? String(node.value) : node.kind === 'nil' ? 'nil' : '.')}`);
      default:
        return { kind: 'chain', pos, node, field: fields };
    }
  }

  function term(): Arg | undefined {
    const item = nextNonSpace();
    switch (item.type) {
      case 'identifier':
        if (!hasFunction(item.value)) fail(`function ${JSON.stringify(item.value)} not defined`);
        return { kind: 'identifier', pos: item.pos, name: item.value };
      case 'dot': return { kind: 'dot', pos: item.pos };
      case 'nil': return { kind: 'nil', pos: item.pos };
      case 'variable': {
        const v: Variable = { kind: 'variable', pos: item.pos, ident: [item.value] };
        if (!vars.includes(item.value)) fail(`undefined variable ${JSON.stringify(item.value)}`);
        return v;
      }
      case 'field': return { kind: 'field', pos: item.pos, ident: [item.value.slice(1)] };
      case 'bool': return { kind: 'bool', pos: item.pos, value: item.value === 'true' };
      case 'charConstant':
      case 'number':
        return numberNode(item);
      case 'leftParen': return { kind: 'pipe', pos: item.pos, pipe: pipeline('parenthesized pipeline', 'rightParen') };
      case 'string':
      case 'rawString':
        return { kind: 'string', pos: item.pos, text: item.value, value: unquoteItem(item) };
    }
    at--;
    return undefined;
  }

  function numberNode(item: Item): Arg {
    const text = item.value;
    if (item.type === 'charConstant') {
      const s = unquote(text);
      if (s === undefined || [...s].length !== 1) fail(`malformed character constant: ${text}`);
      return { kind: 'number', pos: item.pos, text, value: s!.codePointAt(0)!, isFloat: false };
    }
    const value = parseGoNumber(text);
    if (value === undefined) fail(`illegal number syntax: ${JSON.stringify(text)}`);
    const hex = /^[+-]?0[xX]/.test(text);
    const isFloat = !hex && /[.eEpP]/.test(text);
    return { kind: 'number', pos: item.pos, text, value: value!, isFloat };
  }

  function unquoteItem(item: Item): string {
    const s = unquote(item.value);
    if (s === undefined) fail('invalid syntax');
    return s!;
  }
}

function parseGoNumber(text: string): number | undefined {
  const clean = text.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const body = clean.replace(/^[+-]/, '');
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[oO]?[0-7]+$/.test(body)) n = parseInt(body.replace(/^0[oO]?/, ''), 8);
  else if (/^0[bB][01]+$/.test(body)) n = parseInt(body.slice(2), 2);
  else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) n = Number(body);
  else return undefined;
  return sign * n;
}

function itemText(item: Item): string {
  if (item.type === 'eof') return 'EOF';
  if (item.type === 'keyword') return `<${item.value}>`;
  const chars = [...item.value];
  if (chars.length > 10) return `${JSON.stringify(chars.slice(0, 10).join(''))}...`;
  return JSON.stringify(item.value);
}
