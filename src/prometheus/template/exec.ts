/**
 * Executes a parsed template the way go1.19 text/template does
 * (src/text/template/exec.go: walk, evalPipeline, evalCommand, evalField,
 * evalCall, evalArg, validateType, walkRange, printValue), with the
 * `missingkey=zero` option Prometheus sets.
 */

import { sprint } from "./gofmt.js";
import { goFloat, goInt, goString, type GoValue, goTypeName, UnsupportedError } from "./govalue.js";
import {
  FuncError,
  type FuncContext,
  FUNCS,
  type FuncSpec,
  INVALID,
  isTrue,
  type ParamType,
  type RV,
} from "./funcs.js";
import { compareGoStrings } from "./strconv.js";
import {
  type ArgNode,
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  type NumberNode,
  nodeString,
  type PipeNode,
  type TemplateNode,
  type VariableNode,
} from "./parse.js";

/** A Go template execution error (Prometheus renders "<error expanding template: ...>"). */
export class ExecError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Something valid that this implementation cannot evaluate faithfully. */
export class ExecUnsupported extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const BREAK = Symbol("break");
const CONTINUE = Symbol("continue");

/** Marks "no final value from a previous pipeline stage" (Go's missingVal). */
type Final = RV | undefined;

export interface Variable {
  name: string;
  value: RV;
}

export class Executor {
  private out = "";
  private vars: Variable[];
  private pos = 0;

  constructor(
    data: GoValue,
    private readonly ctx: FuncContext,
  ) {
    this.vars = [{ name: "$", value: data }];
  }

  /** Executes `nodes` with `dot`, after declaring `predeclared` variables. */
  runWithPredeclared(nodes: readonly TemplateNode[], dot: RV, predeclared: readonly Variable[]): string {
    for (const v of predeclared) this.vars.push({ name: v.name, value: v.value });
    return this.run(nodes, dot);
  }

  run(nodes: readonly TemplateNode[], dot: RV): string {
    try {
      for (const n of nodes) this.walk(dot, n);
    } catch (e) {
      if (e instanceof UnsupportedError) throw new ExecUnsupported(e.message, this.pos);
      throw e;
    }
    return this.out;
  }

  private errorf(msg: string): never {
    throw new ExecError(msg, this.pos);
  }

  private at(node: { pos: number }): void {
    this.pos = node.pos;
  }

  // ---- variables --------------------------------------------------------------

  private mark(): number {
    return this.vars.length;
  }
  private pop(mark: number): void {
    this.vars.length = mark;
  }
  private setVar(name: string, value: RV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private varValue(name: string): RV {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking ---------------------------------------------------------------------

  private walk(dot: RV, node: TemplateNode | ListNode): void {
    this.at(node);
    switch (node.type) {
      case "text":
        this.out += node.text;
        return;
      case "action": {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "if":
      case "with":
        return this.walkIfOrWith(dot, node);
      case "range":
        return this.walkRange(dot, node);
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
    }
  }

  private walkIfOrWith(dot: RV, node: BranchNode): void {
    const mark = this.mark();
    try {
      const val = this.evalPipeline(dot, node.pipe);
      const { truth, ok } = isTrue(val.goType === "nil" ? INVALID : val);
      if (!ok) this.errorf(`if/with can't use ${sprint([val])}`);
      if (truth) this.walk(node.type === "with" ? val : dot, node.list);
      else if (node.elseList) this.walk(dot, node.elseList);
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: RV, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.mark();
      const oneIteration = (key: RV, elem: RV): void => {
        // The declared variables were pushed by evalPipeline: elem is the
        // last one, the key/index the one before it.
        if (r.pipe.decl.length > 0) (this.vars[this.vars.length - 1] as Variable).value = elem;
        if (r.pipe.decl.length > 1) (this.vars[this.vars.length - 2] as Variable).value = key;
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      switch (val.goType) {
        case "map[string]string": {
          const m = val.value;
          if (m === null || m.size === 0) break;
          for (const k of [...m.keys()].sort(compareGoStrings)) oneIteration(goString(k), goString(m.get(k) ?? ""));
          return;
        }
        case "invalid":
        case "nil":
          break; // acts like an empty map
        default:
          this.at(r);
          this.errorf(`range can't iterate over ${sprint([val])}`);
      }
      if (r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  private printValue(node: TemplateNode, v: RV): void {
    this.at(node);
    this.out += v.goType === "invalid" ? "<no value>" : sprint([v]);
  }

  // ---- evaluation ---------------------------------------------------------------------

  private evalPipeline(dot: RV, pipe: PipeNode): RV {
    this.at(pipe);
    let value: Final;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      // An interface{} result is unwrapped; a nil interface becomes "no value".
      if (value.goType === "nil") value = INVALID;
    }
    const result = value ?? INVALID;
    for (const v of pipe.decl) {
      const name = v.ident[0] as string;
      if (pipe.isAssign) this.setVar(name, result);
      else this.vars.push({ name, value: result });
    }
    return result;
  }

  private notAFunction(args: readonly ArgNode[], final: Final): void {
    if (args.length > 1 || final !== undefined) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0] as ArgNode)}`);
    }
  }

  private evalCommand(dot: RV, cmd: CommandNode, final: Final): RV {
    const first = cmd.args[0] as ArgNode;
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return { goType: "bool", value: first.value };
      case "dot":
        return dot;
      case "nil":
        return this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return goString(first.value);
    }
  }

  private idealConstant(c: NumberNode): RV {
    this.at(c);
    if (c.isComplex) throw new ExecUnsupported("complex number constants are not supported", c.pos);
    const isHexInt = c.text.length > 2 && c.text[0] === "0" && /[xX]/.test(c.text[1] as string) && !/[pP]/.test(c.text);
    const isRuneInt = c.text.startsWith("'");
    if (c.isFloat && !isHexInt && !isRuneInt && /[.eEpP]/.test(c.text)) return goFloat(c.float64);
    if (c.isInt) return goInt(c.int64);
    if (c.isUint) this.errorf(`${c.text} overflows int`);
    return INVALID;
  }

  private evalFieldNode(dot: RV, field: FieldNode, args: readonly ArgNode[], final: Final): RV {
    this.at(field);
    return this.evalFieldChain(dot, dot, field.ident, args, final);
  }

  private evalChainNode(dot: RV, chain: ChainNode, args: readonly ArgNode[], final: Final): RV {
    this.at(chain);
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    this.at(chain);
    return this.evalFieldChain(dot, pipe, chain.field, args, final);
  }

  private evalVariableNode(dot: RV, v: VariableNode, args: readonly ArgNode[], final: Final): RV {
    this.at(v);
    const value = this.varValue(v.ident[0] as string);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v.ident.slice(1), args, final);
  }

  private evalFieldChain(_dot: RV, receiver: RV, ident: readonly string[], args: readonly ArgNode[], final: Final): RV {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(ident[i] as string, [], undefined, receiver);
    return this.evalField(ident[n - 1] as string, args, final, receiver);
  }

  private evalField(name: string, args: readonly ArgNode[], final: Final, receiver: RV): RV {
    if (receiver.goType === "invalid") return INVALID; // missingkey=zero: nil data has no key
    if (receiver.goType === "nil") this.errorf(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = args.length > 1 || final !== undefined;
    switch (receiver.goType) {
      case "struct": {
        const f = receiver.fields.find((x) => x.name === name);
        if (f !== undefined) {
          if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
          return f.value;
        }
        break;
      }
      case "map[string]string":
        if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
        // missingkey=zero: an absent key yields the element type's zero value, "".
        return goString(receiver.value?.get(name) ?? "");
      case "*time.Time":
        throw new ExecUnsupported(`methods and fields of time.Time (.${name}) are not supported`, this.pos);
    }
    return this.errorf(`can't evaluate field ${name} in type ${goTypeName(receiver)}`);
  }

  private evalFunction(dot: RV, node: IdentifierNode, args: readonly ArgNode[] | undefined, final: Final): RV {
    this.at(node);
    const fn = FUNCS.get(node.name);
    if (fn === undefined) this.errorf(`"${node.name}" is not a defined function`);
    if (fn.unsupported !== undefined) throw new ExecUnsupported(fn.unsupported, node.pos);
    return this.evalCall(dot, fn, node, node.name, args, final);
  }

  private evalCall(
    dot: RV,
    fn: FuncSpec,
    node: { pos: number },
    name: string,
    allArgs: readonly ArgNode[] | undefined,
    final: Final,
  ): RV {
    const args = allArgs === undefined ? [] : allArgs.slice(1);
    const numIn = args.length + (final !== undefined ? 1 : 0);
    const numParams = fn.params.length + (fn.variadic !== undefined ? 1 : 0);
    let numFixed = args.length;
    if (fn.variadic !== undefined) {
      numFixed = fn.params.length;
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${fn.params.length} got ${args.length}`);
      }
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }

    if (fn.builtin && (name === "and" || name === "or")) {
      // Short-circuit evaluation (go1.18+).
      let v: RV = INVALID;
      for (const arg of args) {
        v = this.evalArg(dot, "value", arg);
        if (isTrue(v.goType === "nil" ? INVALID : v).truth === (name === "or")) return v;
      }
      if (final !== undefined) v = this.validateType(final, "value");
      return v;
    }

    const argv: RV[] = [];
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i], args[i] as ArgNode));
    if (fn.variadic !== undefined) {
      for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i] as ArgNode));
    }
    if (final !== undefined) {
      let t: ParamType | undefined = fn.params[fn.params.length - 1];
      if (fn.variadic !== undefined) t = numIn - 1 < numFixed ? fn.params[numIn - 1] : fn.variadic;
      argv.push(this.validateType(final, t));
    }
    if (fn.call === undefined) throw new ExecUnsupported(`function ${name} is not supported`, node.pos);
    try {
      return fn.call(argv, this.ctx);
    } catch (e) {
      if (e instanceof FuncError) {
        this.at(node);
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      if (e instanceof UnsupportedError) throw new ExecUnsupported(e.message, node.pos);
      throw e;
    }
  }

  /** validateType: can `value` be passed where Go expects `typ`? */
  private validateType(value: RV, typ: ParamType | undefined): RV {
    if (value.goType === "invalid") {
      if (typ === undefined || typ === "value") return INVALID;
      if (typ === "any") return { goType: "nil" };
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === "string" && value.goType !== "string") {
      this.errorf(`wrong type for value; expected string; got ${goTypeName(value)}`);
    }
    return value;
  }

  private evalArg(dot: RV, typ: ParamType | undefined, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === "string") this.errorf("cannot assign nil to string");
        return typ === "any" ? { goType: "nil" } : INVALID;
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], undefined), typ);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, [], undefined), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, undefined, undefined), typ);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, [], undefined), typ);
    }
    // Literals: converted according to the parameter type.
    if (typ === "string") {
      if (n.type === "string") return goString(n.value);
      return this.errorf(`expected string; found ${nodeString(n)}`);
    }
    switch (n.type) {
      case "bool":
        return { goType: "bool", value: n.value };
      case "number":
        return this.idealConstant(n);
      case "string":
        return goString(n.value);
    }
  }
}
