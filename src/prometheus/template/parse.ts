/**
 * Parser for Go text/template, mirroring go1.19
 * src/text/template/parse/parse.go (pipeline, command, operand, term,
 * parseControl, ...) so that what parses, what does not, and the error
 * message all match Go. Go aborts at the first error; so do we, returning
 * it in `errors` instead of throwing.
 */

import { isKeyword, lex, type Item, type ItemType } from "./lex.js";
import { parseFloat64, parseGoInt, quote, unquote, unquoteChar } from "./strconv.js";

// ---- AST ---------------------------------------------------------------------

export interface TextNode {
  readonly type: "text";
  readonly pos: number;
  readonly text: string;
}
export interface ActionNode {
  readonly type: "action";
  readonly pos: number;
  readonly pipe: PipeNode;
}
export interface BranchNode {
  readonly type: "if" | "with" | "range";
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}
export interface LoopControlNode {
  readonly type: "break" | "continue";
  readonly pos: number;
}
export interface ListNode {
  readonly type: "list";
  readonly pos: number;
  readonly nodes: TemplateNode[];
}
export type TemplateNode = TextNode | ActionNode | BranchNode | LoopControlNode;

export interface PipeNode {
  readonly type: "pipe";
  readonly pos: number;
  isAssign: boolean;
  readonly decl: VariableNode[];
  readonly cmds: CommandNode[];
}
export interface CommandNode {
  readonly type: "command";
  readonly pos: number;
  readonly args: ArgNode[];
}
export interface IdentifierNode {
  readonly type: "identifier";
  readonly pos: number;
  readonly name: string;
}
/** `$x` or `$x.a.b`: ident[0] is the variable name including "$". */
export interface VariableNode {
  readonly type: "variable";
  readonly pos: number;
  readonly ident: readonly string[];
}
/** `.a.b`: ident is ["a", "b"]. */
export interface FieldNode {
  readonly type: "field";
  readonly pos: number;
  readonly ident: readonly string[];
}
/** `(pipeline).a.b` or `ident.a`. */
export interface ChainNode {
  readonly type: "chain";
  readonly pos: number;
  readonly node: ArgNode;
  readonly field: readonly string[];
}
export interface DotNode {
  readonly type: "dot";
  readonly pos: number;
}
export interface NilNode {
  readonly type: "nil";
  readonly pos: number;
}
export interface BoolNode {
  readonly type: "bool";
  readonly pos: number;
  readonly value: boolean;
}
export interface StringNode {
  readonly type: "string";
  readonly pos: number;
  /** The literal as written, with quotes. */
  readonly quoted: string;
  readonly value: string;
}
/** Go's NumberNode: a literal may be usable as several numeric kinds at once. */
export interface NumberNode {
  readonly type: "number";
  readonly pos: number;
  readonly text: string;
  readonly isInt: boolean;
  readonly isUint: boolean;
  readonly isFloat: boolean;
  readonly isComplex: boolean;
  readonly int64: bigint;
  readonly uint64: bigint;
  readonly float64: number;
}
export type ArgNode =
  | IdentifierNode
  | VariableNode
  | FieldNode
  | ChainNode
  | DotNode
  | NilNode
  | BoolNode
  | StringNode
  | NumberNode
  | PipeNode;

export interface TemplateParseError {
  readonly message: string;
  /** Index into the parsed text (UTF-16 code units) of the offending token. */
  readonly offset: number;
  /** "syntax": Go rejects it too; "unsupported": valid Go we do not handle. */
  readonly kind: "syntax" | "unsupported";
}

export interface ParseResult {
  readonly nodes: TemplateNode[];
  readonly errors: TemplateParseError[];
}

export interface ParseOptions {
  /** Variables in scope before the text (besides "$"). */
  readonly predeclared?: readonly string[];
  /** Whether a function name is defined (Go checks this at parse time). */
  readonly isFunction?: (name: string) => boolean;
}

// ---- String() of nodes, for messages -------------------------------------------

export function nodeString(n: ArgNode | CommandNode | TemplateNode | ListNode): string {
  switch (n.type) {
    case "identifier":
      return n.name;
    case "variable":
      return n.ident.join(".");
    case "field":
      return n.ident.map((id) => "." + id).join("");
    case "chain":
      return (n.node.type === "pipe" ? "(" + nodeString(n.node) + ")" : nodeString(n.node)) +
        n.field.map((f) => "." + f).join("");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return n.value ? "true" : "false";
    case "string":
      return n.quoted;
    case "number":
      return n.text;
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(", ") + " := ";
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? "(" + nodeString(a) + ")" : nodeString(a))).join(" ");
    case "text":
      return quote(n.text);
    case "action":
      return "{{" + nodeString(n.pipe) + "}}";
    case "if":
    case "with":
    case "range":
      return (
        `{{${n.type} ${nodeString(n.pipe)}}}` +
        nodeString(n.list) +
        (n.elseList ? "{{else}}" + nodeString(n.elseList) : "") +
        "{{end}}"
      );
    case "break":
    case "continue":
      return `{{${n.type}}}`;
    case "list":
      return n.nodes.map(nodeString).join("");
  }
}

// ---- parser ------------------------------------------------------------------------

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly kind: "syntax" | "unsupported",
  ) {
    super(message);
  }
}

/** Go's item.String(), used in "unexpected %s in %s". */
function itemString(i: Item): string {
  if (i.typ === "EOF") return "EOF";
  if (i.typ === "error") return i.val;
  if (isKeyword(i.typ)) return `<${i.val}>`;
  const runes = [...i.val];
  if (runes.length > 10) return quote(runes.slice(0, 10).join("")) + "...";
  return quote(i.val);
}

type EndMarker = { type: "end"; pos: number } | { type: "else"; pos: number };

class Parser {
  private idx = 0;
  private lastPos = 0;
  private vars: string[];
  private rangeDepth = 0;

  constructor(
    private readonly items: Item[],
    private readonly textLength: number,
    predeclared: readonly string[],
    private readonly isFunction: (name: string) => boolean,
  ) {
    this.vars = ["$", ...predeclared];
  }

  private item(i: number): Item {
    // Past the end (after an error item) Go would read a zero item; the
    // parser never gets there in practice because errors abort first.
    return this.items[i] ?? { typ: "EOF", pos: this.textLength, val: "" };
  }

  next(): Item {
    const it = this.item(this.idx++);
    this.lastPos = it.pos;
    return it;
  }
  backup(): void {
    this.idx--;
  }
  peek(): Item {
    const it = this.item(this.idx);
    this.lastPos = it.pos;
    return it;
  }
  nextNonSpace(): Item {
    let it: Item;
    do it = this.next();
    while (it.typ === "space");
    return it;
  }
  peekNonSpace(): Item {
    const it = this.nextNonSpace();
    this.backup();
    return it;
  }

  errorf(msg: string, offset = this.lastPos): never {
    throw new ParseFailure(msg, offset, "syntax");
  }
  unsupported(msg: string, offset: number): never {
    throw new ParseFailure(msg, offset, "unsupported");
  }
  unexpected(token: Item, context: string): never {
    if (token.typ === "error") this.errorf(token.val, token.pos);
    this.errorf(`unexpected ${itemString(token)} in ${context}`, token.pos);
  }
  expect(expected: ItemType, context: string): Item {
    const token = this.nextNonSpace();
    if (token.typ !== expected) this.unexpected(token, context);
    return token;
  }

  parse(): TemplateNode[] {
    const nodes: TemplateNode[] = [];
    while (this.peek().typ !== "EOF") {
      if (this.peek().typ === "leftDelim") {
        const delimIdx = this.idx;
        this.next();
        const kw = this.nextNonSpace();
        if (kw.typ === "define") this.unsupported("{{define}} is not supported", kw.pos);
        this.idx = delimIdx;
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected {{${n.type}}}`, n.pos);
      nodes.push(n);
    }
    return nodes;
  }

  itemList(): { list: ListNode; next: EndMarker } {
    const list: ListNode = { type: "list", pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== "EOF") {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return { list, next: n };
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  textOrAction(): TemplateNode | EndMarker {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "text":
        return { type: "text", pos: token.pos, text: token.val };
      case "leftDelim":
        return this.action();
      default:
        this.unexpected(token, "input");
    }
  }

  action(): TemplateNode | EndMarker {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "block":
        this.unsupported("{{block}} is not supported", token.pos);
      // falls through (unreachable)
      case "template":
        this.unsupported("{{template}} is not supported", token.pos);
      // falls through (unreachable)
      case "break":
      case "continue":
        return this.loopControl(token);
      case "else":
        return this.elseControl();
      case "end":
        return { type: "end", pos: this.expect("rightDelim", "end").pos };
      case "if":
      case "range":
      case "with":
        return this.control(token.typ);
    }
    this.backup();
    const start = this.peek();
    return { type: "action", pos: start.pos, pipe: this.pipeline("command", "rightDelim") };
  }

  loopControl(token: Item): LoopControlNode {
    const name = token.typ as "break" | "continue";
    const t = this.nextNonSpace();
    if (t.typ !== "rightDelim") this.unexpected(t, `{{${name}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${name}}} outside {{range}}`, token.pos);
    return { type: name, pos: token.pos };
  }

  elseControl(): EndMarker {
    const peek = this.peekNonSpace();
    if (peek.typ === "if") return { type: "else", pos: peek.pos };
    const token = this.expect("rightDelim", "else");
    return { type: "else", pos: token.pos };
  }

  control(kind: "if" | "range" | "with"): BranchNode {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(kind, "rightDelim");
      if (kind === "range") this.rangeDepth++;
      const { list, next } = this.itemList();
      if (kind === "range") this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === "else") {
        if (kind === "if" && this.peek().typ === "if") {
          // {{else if ...}} is sugar for {{else}}{{if ...}}...{{end}}{{end}}.
          this.next();
          elseList = { type: "list", pos: next.pos, nodes: [this.control("if")] };
        } else {
          const r = this.itemList();
          elseList = r.list;
          if (r.next.type !== "end") this.errorf(`expected end; found {{${r.next.type}}}`, r.next.pos);
        }
      }
      return { type: kind, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  pipeline(context: string, end: ItemType): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: "pipe", pos: first.pos, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== "variable") break;
      const vIdx = this.idx;
      this.next();
      const tokenAfterVariable = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === "assign" || next.typ === "declare") {
        pipe.isAssign = next.typ === "assign";
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
      } else if (next.typ === "char" && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push({ type: "variable", pos: v.pos, ident: [v.val] });
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === "variable" || p === "rightDelim" || p === "rightParen") continue decls;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (tokenAfterVariable.typ === "space") {
        this.idx = vIdx; // backup3(v, space)
      } else {
        this.idx = vIdx; // backup2(v)
      }
      break;
    }
    for (;;) {
      const token = this.nextNonSpace();
      if (token.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (token.typ) {
        case "bool":
        case "charConstant":
        case "complex":
        case "dot":
        case "field":
        case "identifier":
        case "number":
        case "nil":
        case "rawString":
        case "string":
        case "variable":
        case "leftParen":
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(token, context);
      }
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0]?.type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 2}`, c.pos);
      }
    });
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace(); // skip leading spaces
      const operand = this.operand();
      if (operand !== undefined) cmd.args.push(operand);
      const token = this.next();
      if (token.typ === "space") continue;
      if (token.typ === "rightDelim" || token.typ === "rightParen") this.backup();
      else if (token.typ !== "pipe") this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  operand(): ArgNode | undefined {
    let node = this.term();
    if (node === undefined) return undefined;
    if (this.peek().typ === "field") {
      const chainPos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === "field") fields.push(this.next().val.slice(1));
      switch (node.type) {
        case "field":
          node = { type: "field", pos: chainPos, ident: [...node.ident, ...fields] };
          break;
        case "variable":
          node = { type: "variable", pos: chainPos, ident: [...node.ident, ...fields] };
          break;
        case "bool":
        case "string":
        case "number":
        case "nil":
        case "dot":
          this.errorf(`unexpected . after term ${quote(nodeString(node))}`);
        // falls through (unreachable)
        default:
          node = { type: "chain", pos: chainPos, node, field: fields };
      }
    }
    return node;
  }

  term(): ArgNode | undefined {
    const token = this.nextNonSpace();
    switch (token.typ) {
      case "identifier":
        if (!this.isFunction(token.val)) this.errorf(`function ${quote(token.val)} not defined`, token.pos);
        return { type: "identifier", pos: token.pos, name: token.val };
      case "dot":
        return { type: "dot", pos: token.pos };
      case "nil":
        return { type: "nil", pos: token.pos };
      case "variable":
        return this.useVar(token);
      case "field":
        return { type: "field", pos: token.pos, ident: token.val.slice(1).split(".") };
      case "bool":
        return { type: "bool", pos: token.pos, value: token.val === "true" };
      case "charConstant":
      case "complex":
      case "number":
        return this.newNumber(token);
      case "leftParen":
        return this.pipeline("parenthesized pipeline", "rightParen");
      case "string":
      case "rawString": {
        const u = unquote(token.val);
        if (!u.ok) {
          if (u.invalidUtf8) this.unsupported("string literal is not valid UTF-8", token.pos);
          this.errorf("invalid syntax", token.pos);
        }
        return { type: "string", pos: token.pos, quoted: token.val, value: u.value };
      }
    }
    this.backup();
    return undefined;
  }

  useVar(token: Item): VariableNode {
    const name = token.val.split(".")[0] as string;
    if (!this.vars.includes(name)) this.errorf(`undefined variable ${quote(name)}`, token.pos);
    return { type: "variable", pos: token.pos, ident: [token.val] };
  }

  /** parse.newNumber: decide which numeric kinds a literal can be. */
  newNumber(token: Item): NumberNode {
    const text = token.val;
    const base = { type: "number" as const, pos: token.pos, text };
    if (token.typ === "charConstant") {
      const r = unquoteChar(text.slice(1), text[0] as string);
      if (r === undefined) this.errorf("invalid syntax", token.pos);
      if (r.tail !== "'") this.errorf(`malformed character constant: ${text}`, token.pos);
      const v = BigInt(r.value);
      return { ...base, isInt: true, isUint: true, isFloat: true, isComplex: false, int64: v, uint64: v, float64: r.value };
    }
    if (token.typ === "complex" || text.endsWith("i")) {
      // Complex constants are valid Go but are not supported by this renderer.
      if (token.typ === "complex" || parseFloat64(text.slice(0, -1)).ok) {
        return { ...base, isInt: false, isUint: false, isFloat: false, isComplex: true, int64: 0n, uint64: 0n, float64: 0 };
      }
    }
    let isInt = false;
    let isUint = false;
    let isFloat = false;
    let int64 = 0n;
    let uint64 = 0n;
    let float64 = 0;
    const u = parseGoInt(text, true);
    if (u !== undefined) {
      isUint = true;
      uint64 = u;
    }
    const i = parseGoInt(text, false);
    if (i !== undefined) {
      isInt = true;
      int64 = i;
      if (i === 0n) {
        isUint = true; // in case of -0
        uint64 = 0n;
      }
    }
    if (isInt) {
      isFloat = true;
      float64 = Number(int64);
    } else if (isUint) {
      isFloat = true;
      float64 = Number(uint64);
    } else {
      const f = parseFloat64(text);
      if (f.ok) {
        if (!/[.eEpP]/.test(text)) this.errorf(`integer overflow: ${quote(text)}`, token.pos);
        isFloat = true;
        float64 = f.value;
        if (Number.isInteger(float64) && float64 >= -(2 ** 63) && float64 < 2 ** 63) {
          isInt = true;
          int64 = BigInt(float64);
        }
        if (Number.isInteger(float64) && float64 >= 0 && float64 < 2 ** 64) {
          isUint = true;
          uint64 = BigInt(float64);
        }
      }
    }
    if (!isInt && !isUint && !isFloat) this.errorf(`illegal number syntax: ${quote(text)}`, token.pos);
    return { ...base, isInt, isUint, isFloat, isComplex: false, int64, uint64, float64 };
  }
}

/**
 * Parses Go text/template source. Never throws: a Go parse error (or a
 * construct we do not support) is returned in `errors`, with `nodes` empty.
 */
export function parseGoTemplate(text: string, options: ParseOptions = {}): ParseResult {
  const p = new Parser(lex(text), text.length, options.predeclared ?? [], options.isFunction ?? (() => true));
  try {
    return { nodes: p.parse(), errors: [] };
  } catch (e) {
    if (e instanceof ParseFailure) {
      return { nodes: [], errors: [{ message: e.message, offset: e.offset, kind: e.kind }] };
    }
    // An internal bug must still not escape as an exception.
    return { nodes: [], errors: [{ message: `internal error: ${String(e)}`, offset: 0, kind: "unsupported" }] };
  }
}
