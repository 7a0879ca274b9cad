// Runs a parsed template over data as Go's text/template does: dot and variables, pipelines
// passing their value as the last argument, fields of maps and methods of rows, if/with/range,
// and execution errors in Go's words ("template: :1:2: executing "" at <.X>: …").
import { TemplateError } from './errors.js';
import type { FuncMap, Param, TemplateFunction } from './functions.js';
import { type Arg, type Command, type Node, type Pipe, argText, commandText, pipeText } from './nodes.js';
import type { Tree } from './parse.js';
import { GoFloat, MISSING, goString, goType, isFloat, isMap, sortedKeys, truth } from './values.js';

const NO_FINAL = Symbol('no final argument');
const BREAK = Symbol('break');
const CONTINUE = Symbol('continue');

interface Place {
  pos: number;
  text: () => string;
}

/** Appends the rendering to `out` as it goes, so a caller keeps what came before an error. */
export function execute(tree: Tree, data: unknown, funcs: FuncMap, name: string, source: string, out: string[]): void {
  new State(tree, funcs, name, source, out, data).walk(data, tree.root);
}

class State {
  private vars: { name: string; value: unknown }[];
  private at: Place | undefined;

  constructor(
    private readonly tree: Tree,
    private readonly funcs: FuncMap,
    private readonly name: string,
    private readonly source: string,
    private readonly out: string[],
    data: unknown,
  ) {
    this.vars = [{ name: '$', value: data }];
  }

  walk(dot: unknown, nodes: Node[]): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          this.out.push(node.text);
          break;
        case 'action': {
          const value = this.evalPipeline(dot, node.pipe);
          if (node.pipe.decl.length === 0) this.out.push(goString(value));
          break;
        }
        case 'if':
        case 'with': {
          const mark = this.vars.length;
          const value = this.evalPipeline(dot, node.pipe);
          if (truth(value)) this.walk(node.kind === 'with' ? value : dot, node.list);
          else if (node.elseList) this.walk(dot, node.elseList);
          this.vars.length = mark;
          break;
        }
        case 'range':
          this.walkRange(dot, node);
          break;
        case 'template': {
          const body = this.tree.defines.get(node.name);
          this.at = { pos: node.pos, text: () => `{{template ${JSON.stringify(node.name)}${node.pipe ? ` ${pipeText(node.pipe)}` : ''}}}` };
          if (!body) this.fail(`template ${JSON.stringify(node.name)} not defined`);
          const newDot = node.pipe ? this.evalPipeline(dot, node.pipe) : null;
          const inner = new State(this.tree, this.funcs, node.name, this.source, this.out, newDot);
          inner.walk(newDot, body!);
          break;
        }
        case 'break':
          throw BREAK;
        case 'continue':
          throw CONTINUE;
      }
    }
  }

  private walkRange(dot: unknown, node: Extract<Node, { kind: 'range' }>): void {
    const outer = this.vars.length;
    const value = this.evalPipeline(dot, node.pipe);
    const mark = this.vars.length;
    const decl = node.pipe.decl;
    const iteration = (key: unknown, elem: unknown) => {
      if (decl.length > 0) {
        if (node.pipe.isAssign) this.setVar(decl[0].ident[0], decl.length > 1 ? key : elem);
        else this.vars[this.vars.length - 1].value = elem;
      }
      if (decl.length > 1) {
        if (node.pipe.isAssign) this.setVar(decl[1].ident[0], elem);
        else this.vars[this.vars.length - 2].value = key;
      }
      try {
        this.walk(elem, node.list);
      } catch (signal) {
        if (signal !== CONTINUE) throw signal;
      } finally {
        this.vars.length = mark;
      }
    };
    let ran = false;
    try {
      if (Array.isArray(value)) {
        value.forEach((e, i) => iteration(i, e));
        ran = value.length > 0;
      } else if (isMap(value)) {
        const keys = sortedKeys(value);
        for (const k of keys) iteration(k, value[k]);
        ran = keys.length > 0;
      } else if (typeof value === 'number' && !isFloat(value)) {
        this.at = { pos: node.pos, text: () => `{{range ${pipeText(node.pipe)}}}` };
        if (decl.length > 1) this.fail(`can't use ${value} to iterate over more than one variable`);
        for (let i = 0; i < value; i++) iteration(i, i);
        ran = value > 0;
      } else if (value !== MISSING && value !== null) {
        this.at = { pos: node.pos, text: () => `{{range ${pipeText(node.pipe)}}}` };
        this.fail(`range can't iterate over ${goString(value)}`);
      }
    } catch (signal) {
      if (signal !== BREAK) throw signal;
      ran = true;
    }
    if (!ran && node.elseList) this.walk(dot, node.elseList);
    this.vars.length = outer;
  }

  private evalPipeline(dot: unknown, pipe: Pipe): unknown {
    let value: unknown = NO_FINAL;
    for (const cmd of pipe.cmds) value = this.evalCommand(dot, cmd, value);
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0], value);
      else this.vars.push({ name: v.ident[0], value });
    }
    return value;
  }

  private evalCommand(dot: unknown, cmd: Command, final: unknown): unknown {
    const first = cmd.args[0];
    switch (first.kind) {
      case 'field':
        this.atArg(first);
        return this.evalFieldChain(dot, dot, first.ident, cmd, final);
      case 'chain':
        return this.evalChain(dot, first, cmd, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, final);
      case 'pipe':
        this.notAFunction(cmd, final);
        return this.evalPipeline(dot, first.pipe);
      case 'variable':
        return this.evalVariable(dot, first, cmd, final);
    }
    this.atArg(first);
    this.notAFunction(cmd, final);
    switch (first.kind) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return this.fail('nil is not a command');
      case 'number': return first.isFloat ? new GoFloat(first.value) : first.value;
      case 'string': return first.value;
    }
  }

  private notAFunction(cmd: Command | undefined, final: unknown): void {
    if ((cmd && cmd.args.length > 1) || final !== NO_FINAL) this.fail(`can't give argument to non-function ${cmd ? argText(cmd.args[0]) : ''}`);
  }

  private evalChain(dot: unknown, chain: Extract<Arg, { kind: 'chain' }>, cmd: Command | undefined, final: unknown): unknown {
    this.atArg(chain);
    if (chain.node.kind === 'nil') this.fail(`indirection through explicit nil in ${argText(chain)}`);
    const receiver = this.evalArg(dot, 'value', chain.node);
    return this.evalFieldChain(dot, receiver, chain.field, cmd, final);
  }

  private evalVariable(dot: unknown, v: Extract<Arg, { kind: 'variable' }>, cmd: Command | undefined, final: unknown): unknown {
    this.atArg(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      this.notAFunction(cmd, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v.ident.slice(1), cmd, final);
  }

  private evalFieldChain(dot: unknown, receiver: unknown, ident: string[], cmd: Command | undefined, final: unknown): unknown {
    for (let i = 0; i < ident.length - 1; i++) receiver = this.evalField(dot, ident[i], undefined, NO_FINAL, receiver);
    return this.evalField(dot, ident[ident.length - 1], cmd, final, receiver);
  }

  private evalField(dot: unknown, field: string, cmd: Command | undefined, final: unknown, receiver: unknown): unknown {
    if (receiver === MISSING) return MISSING;
    if (receiver === null || receiver === undefined) this.fail(`nil pointer evaluating interface {}.${field}`);
    if (!isMap(receiver)) return this.fail(`can't evaluate field ${field} in type ${goType(receiver)}`);
    const value = receiver[field];
    if (typeof value === 'function') {
      const method = value as ((...args: unknown[]) => unknown) & { params?: Param[] };
      const declared: TemplateFunction = { params: method.params ?? new Array<Param>(method.length).fill('any'), call: (...args) => method.apply(receiver, args) };
      return this.evalCall(dot, declared, cmd, field, final);
    }
    if ((cmd && cmd.args.length > 1) || final !== NO_FINAL) this.fail(`${field} is not a method but has arguments`);
    return Object.prototype.hasOwnProperty.call(receiver, field) ? value : MISSING;
  }

  private evalFunction(dot: unknown, ident: Extract<Arg, { kind: 'identifier' }>, cmd: Command | undefined, final: unknown): unknown {
    this.atArg(ident);
    const f = this.funcs[ident.name];
    if (!f) this.fail(`${JSON.stringify(ident.name)} is not a defined function`);
    return this.evalCall(dot, f, cmd, ident.name, final);
  }

  // cmd's args after the first are the call's arguments; undefined when called bare as an argument
  private evalCall(dot: unknown, f: TemplateFunction, cmd: Command | undefined, name: string, final: unknown): unknown {
    const args = cmd ? cmd.args.slice(1) : [];
    const count = args.length + (final === NO_FINAL ? 0 : 1);
    if (f.variadic ? count < f.params.length : count !== f.params.length) {
      this.fail(`wrong number of args for ${name}: want ${f.variadic ? 'at least ' : ''}${f.params.length} got ${count}`);
    }
    const paramOf = (i: number) => f.params[i] ?? f.variadic!;
    if (f.shortCircuit) {
      let v: unknown;
      for (const a of args) {
        v = this.evalArg(dot, 'value', a);
        if (truth(v) === (f.shortCircuit === 'or')) return v;
      }
      return final === NO_FINAL ? v : final;
    }
    const values = args.map((a, i) => this.evalArg(dot, paramOf(i), a));
    if (final !== NO_FINAL) values.push(this.convert(final, paramOf(values.length)));
    try {
      return f.call(...values);
    } catch (err) {
      if (err instanceof TemplateError) throw err;
      if (cmd) this.at = { pos: cmd.pos, text: () => commandText(cmd) };
      return this.fail(`error calling ${name}: ${(err as Error).message}`);
    }
  }

  private evalArg(dot: unknown, param: Param, arg: Arg): unknown {
    this.atArg(arg);
    switch (arg.kind) {
      case 'dot': return this.convert(dot, param);
      case 'nil':
        if (param === 'any' || param === 'value') return null;
        return this.fail(`cannot assign nil to ${param}`);
      case 'field': return this.convert(this.evalFieldChain(dot, dot, arg.ident, undefined, NO_FINAL), param);
      case 'variable': return this.convert(this.evalVariable(dot, arg, undefined, NO_FINAL), param);
      case 'pipe': return this.convert(this.evalPipeline(dot, arg.pipe), param);
      case 'identifier': return this.convert(this.evalFunction(dot, arg, undefined, NO_FINAL), param);
      case 'chain': return this.convert(this.evalChain(dot, arg, undefined, NO_FINAL), param);
    }
    if (param === 'string') return arg.kind === 'string' ? arg.value : this.fail(`expected string; found ${argText(arg)}`);
    if (param === 'int') return arg.kind === 'number' && Number.isInteger(arg.value) ? arg.value : this.fail(`expected integer; found ${argText(arg)}`);
    if (arg.kind === 'number') return arg.isFloat ? new GoFloat(arg.value) : arg.value;
    return arg.kind === 'bool' ? arg.value : arg.value;
  }

  // a value handed to a parameter: Go's validateType
  private convert(value: unknown, param: Param): unknown {
    if (param === 'value') return value;
    if (value === MISSING) {
      if (param === 'any') return null;
      return this.fail(`invalid value; expected ${param}`);
    }
    if (param === 'string' && typeof value !== 'string') this.fail(`wrong type for value; expected string; got ${goType(value)}`);
    if (param === 'int' && (typeof value !== 'number' || !Number.isInteger(value))) this.fail(`wrong type for value; expected int; got ${goType(value)}`);
    return value;
  }

  private varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    return this.fail(`undefined variable: ${name}`);
  }

  private setVar(name: string, value: unknown): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.fail(`undefined variable: ${name}`);
  }

  private atArg(arg: Arg): void {
    this.at = { pos: arg.pos, text: () => argText(arg) };
  }

  private fail(message: string): never {
    if (!this.at) throw new TemplateError(`template: ${this.name}: ${message}`);
    const before = this.source.slice(0, this.at.pos);
    const newline = before.lastIndexOf('\n');
    const line = 1 + (before.match(/\n/g)?.length ?? 0);
    const col = newline === -1 ? this.at.pos : this.at.pos - newline - 1;
    const chars = [...this.at.text()];
    const context = chars.length > 20 ? `${chars.slice(0, 20).join('')}...` : chars.join('');
    throw new TemplateError(`template: ${this.name}:${line}:${col}: executing ${JSON.stringify(this.name)} at <${context}>: ${message}`);
  }
}
