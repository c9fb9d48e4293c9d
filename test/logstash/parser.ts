/**
 * Parser for the Logstash pipeline configuration language ("LSCL").
 *
 * Written from (not copied from) the treetop grammar in elastic/logstash,
 * `logstash-core/lib/logstash/config/grammar.treetop` (read at commit
 * 5e5356567fd548a0390c14def8ebd70acf85d04a). It is a hand-written PEG
 * parser that mirrors that grammar rule for rule, including its ordered
 * choice and the fact that PEG repetition never backtracks into itself:
 *
 *   config           cs plugin_section cs (cs plugin_section)* cs
 *   comment          (whitespace? "#" [^\r\n]* ("\r"? "\n" / !.))+
 *   cs               (comment / whitespace)*
 *   whitespace       [ \t\r\n]+
 *   plugin_section   ("input"/"filter"/"output") cs "{" cs (branch_or_plugin cs)* "}"
 *   branch_or_plugin branch / plugin
 *   plugin           name cs "{" cs (attribute (whitespace cs attribute)*)? cs "}"
 *   name             [A-Za-z0-9_-]+ / string
 *   attribute        name cs "=>" cs value
 *   value            plugin / bareword / string / number / array / hash
 *   bareword         [A-Za-z_] [A-Za-z0-9_]+          (two characters minimum)
 *   double_quoted    '"' ('\"' / !'"' .)* '"'          (the treetop literal '\"' is backslash + quote)
 *   single_quoted    "'" ("\\'" / !"'" .)* "'"         (the Ruby literal "\\'" is backslash + quote)
 *   regexp           '/' ('\/' / !'/' .)* '/'
 *   number           "-"? [0-9]+ ("." [0-9]*)?
 *   array            "[" cs (value (cs "," cs value)*)? cs "]"
 *   hash             "{" cs (hashentry (cs hashentry)*)? cs "}"
 *   hashentry        (number / bareword / string) cs "=>" cs value
 *   branch           if (cs else_if)* (cs else)?
 *   if               "if" cs condition cs "{" cs (branch_or_plugin cs)* "}"
 *   else_if          "else" cs "if" cs condition cs "{" cs (branch_or_plugin cs)* "}"
 *   else             "else" cs "{" cs (branch_or_plugin cs)* "}"
 *   condition        expression (cs ("and"/"or"/"xor"/"nand") cs expression)*
 *   expression       "(" cs condition cs ")" / negative_expression / in_expression
 *                    / not_in_expression / compare_expression / regexp_expression / rvalue
 *   negative_expr    "!" cs "(" cs condition cs ")" / "!" cs selector
 *   in_expression    rvalue cs "in" cs rvalue
 *   not_in_expr      rvalue cs "not " cs "in" cs rvalue
 *   rvalue           string / number / selector / array / method_call / regexp
 *   method_call      bareword cs "(" cs (rvalue (cs "," cs rvalue)*)? cs ")"
 *   compare_expr     rvalue cs ("=="/"!="/"<="/">="/"<"/">") cs rvalue
 *   regexp_expr      rvalue cs ("=~"/"!~") cs (string / regexp)
 *   selector         ("[" [^\]\[,]+ "]")+
 *
 * String values are kept raw, exactly as Logstash does by default
 * (`config.support_escapes: false`): the value is the text between the
 * quotes, backslashes included (lscl.rb: `text_value[1...-1]`).
 *
 * Syntax errors are reported like treetop does: at the furthest input
 * position any terminal failed to match, with the terminals expected there.
 */

export interface Loc {
  /** 0-based character offset into the input. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export type SectionKind = "input" | "filter" | "output";

export interface Config {
  type: "Config";
  sections: PluginSection[];
}

export interface PluginSection {
  type: "PluginSection";
  kind: SectionKind;
  body: BranchOrPlugin[];
  loc: Loc;
}

export type BranchOrPlugin = Branch | Plugin;

/** `[A-Za-z0-9_-]+` name (plugin or attribute name). */
export interface BareName {
  type: "Name";
  value: string;
  loc: Loc;
}

export type Name = BareName | StringValue;

export interface Plugin {
  type: "Plugin";
  name: Name;
  attributes: Attribute[];
  loc: Loc;
}

export interface Attribute {
  type: "Attribute";
  name: Name;
  value: Value;
  loc: Loc;
}

export interface StringValue {
  type: "String";
  quote: '"' | "'";
  /** The text between the quotes, verbatim (no escape processing). */
  value: string;
  loc: Loc;
}

export interface NumberValue {
  type: "Number";
  /** Source text, e.g. `-1.` */
  raw: string;
  /** Decimal interpretation of `raw`. */
  value: number;
  /** Logstash makes it a Float when the text contains a ".", else an Integer. */
  isFloat: boolean;
  loc: Loc;
}

export interface Bareword {
  type: "Bareword";
  value: string;
  loc: Loc;
}

export interface ArrayValue {
  type: "Array";
  elements: Value[];
  loc: Loc;
}

export interface HashEntry {
  type: "HashEntry";
  key: NumberValue | Bareword | StringValue;
  value: Value;
  loc: Loc;
}

export interface HashValue {
  type: "Hash";
  entries: HashEntry[];
  loc: Loc;
}

export type Value = Plugin | Bareword | StringValue | NumberValue | ArrayValue | HashValue;

export interface RegexpValue {
  type: "Regexp";
  /** The text between the slashes, verbatim (`\/` stays as is). */
  pattern: string;
  loc: Loc;
}

export interface Selector {
  type: "Selector";
  /** Source text, e.g. `[a][b]`. */
  raw: string;
  /** Element contents, e.g. `["a", "b"]`. */
  path: string[];
  loc: Loc;
}

export interface MethodCall {
  type: "MethodCall";
  name: string;
  args: RValue[];
  loc: Loc;
}

export type RValue = StringValue | NumberValue | Selector | ArrayValue | MethodCall | RegexpValue;

export type BooleanOperator = "and" | "or" | "xor" | "nand";
export type CompareOperator = "==" | "!=" | "<=" | ">=" | "<" | ">";
export type RegexpOperator = "=~" | "!~";

/** Flat, as in the grammar: `first (op expr)*`. */
export interface Condition {
  type: "Condition";
  first: Expression;
  rest: { op: BooleanOperator; expr: Expression }[];
  loc: Loc;
}

export interface ParenExpression {
  type: "Paren";
  condition: Condition;
  loc: Loc;
}

export interface NegativeExpression {
  type: "Not";
  operand: Condition | Selector;
  loc: Loc;
}

export interface InExpression {
  type: "In";
  negated: boolean;
  left: RValue;
  right: RValue;
  loc: Loc;
}

export interface CompareExpression {
  type: "Compare";
  op: CompareOperator;
  left: RValue;
  right: RValue;
  loc: Loc;
}

export interface RegexpExpression {
  type: "RegexpMatch";
  op: RegexpOperator;
  left: RValue;
  right: StringValue | RegexpValue;
  loc: Loc;
}

export type Expression =
  | ParenExpression
  | NegativeExpression
  | InExpression
  | CompareExpression
  | RegexpExpression
  | RValue;

export interface ConditionalClause {
  condition: Condition;
  body: BranchOrPlugin[];
  loc: Loc;
}

export interface Branch {
  type: "Branch";
  /** The `if` clause followed by any `else if` clauses. */
  clauses: ConditionalClause[];
  elseBody?: BranchOrPlugin[];
  loc: Loc;
}

export class LogstashSyntaxError extends Error {
  override name = "LogstashSyntaxError";
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly offset: number,
    readonly expected: string[],
  ) {
    super(message);
  }
}

const FAIL = null;
type R<T> = T | null;

function locate(input: string, offset: number): Loc {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < input.length; i++) {
    if (input.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isAlpha = (c: string | undefined) =>
  c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
const isWs = (c: string | undefined) => c === " " || c === "\t" || c === "\r" || c === "\n";

class Parser {
  private pos = 0;
  private failPos = 0;
  private expected = new Set<string>();

  constructor(private readonly input: string) {}

  // ---- failure bookkeeping (treetop style: furthest failure wins) ----

  private fail(what: string, at = this.pos): null {
    if (at > this.failPos) {
      this.failPos = at;
      this.expected = new Set([what]);
    } else if (at === this.failPos) {
      this.expected.add(what);
    }
    return FAIL;
  }

  private loc(offset: number): Loc {
    return locate(this.input, offset);
  }

  /** Run `fn`; on failure restore the position. */
  private attempt<T>(fn: () => R<T>): R<T> {
    const start = this.pos;
    const r = fn();
    if (r === FAIL) this.pos = start;
    return r;
  }

  private lit(s: string): boolean {
    if (this.input.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    this.fail(JSON.stringify(s));
    return false;
  }

  private peek(): string | undefined {
    return this.input[this.pos];
  }

  // ---- whitespace and comments ----

  private whitespace(): boolean {
    if (!isWs(this.peek())) {
      this.fail("[ \\t\\r\\n]");
      return false;
    }
    while (isWs(this.peek())) this.pos++;
    return true;
  }

  /** One `whitespace? "#" [^\r\n]* newline_or_eoi` item. */
  private commentItem(): boolean {
    const start = this.pos;
    if (isWs(this.peek())) this.whitespace();
    if (!this.lit("#")) {
      this.pos = start;
      return false;
    }
    while (this.pos < this.input.length && this.peek() !== "\r" && this.peek() !== "\n") this.pos++;
    // newline_or_eoi: ("\r"? "\n") / !.
    if (this.pos >= this.input.length) return true;
    const save = this.pos;
    if (this.peek() === "\r") this.pos++;
    if (this.peek() === "\n") {
      this.pos++;
      return true;
    }
    this.fail('"\\n"');
    this.pos = save;
    this.fail("end of input");
    this.pos = start;
    return false;
  }

  private cs(): void {
    for (;;) {
      if (this.commentItem()) continue;
      if (this.whitespace()) continue;
      return;
    }
  }

  // ---- top level ----

  parseConfig(): Config {
    this.cs();
    const sections: PluginSection[] = [];
    const first = this.pluginSection();
    if (first === FAIL) this.raise();
    sections.push(first);
    this.cs();
    for (;;) {
      const s = this.attempt(() => {
        this.cs();
        return this.pluginSection();
      });
      if (s === FAIL) break;
      sections.push(s);
    }
    this.cs();
    if (this.pos < this.input.length) {
      this.fail("end of input");
      this.raise();
    }
    return { type: "Config", sections };
  }

  private raise(): never {
    const at = this.failPos;
    const loc = this.loc(at);
    const expected = [...this.expected];
    const after = this.input.slice(Math.max(0, at - 20), at);
    throw new LogstashSyntaxError(
      `Expected one of [${expected.join(", ")}] at line ${loc.line}, column ${loc.column} (offset ${at}) after ${JSON.stringify(after)}`,
      loc.line,
      loc.column,
      at,
      expected,
    );
  }

  private pluginSection(): R<PluginSection> {
    return this.attempt(() => {
      const start = this.pos;
      let kind: SectionKind | undefined;
      for (const k of ["input", "filter", "output"] as const) {
        if (this.lit(k)) {
          kind = k;
          break;
        }
      }
      if (kind === undefined) return FAIL;
      this.cs();
      if (!this.lit("{")) return FAIL;
      this.cs();
      const body = this.body();
      if (!this.lit("}")) return FAIL;
      return { type: "PluginSection", kind, body, loc: this.loc(start) };
    });
  }

  /** `(branch_or_plugin cs)*` */
  private body(): BranchOrPlugin[] {
    const out: BranchOrPlugin[] = [];
    for (;;) {
      const item = this.attempt<BranchOrPlugin>(() => this.branch() ?? this.plugin());
      if (item === FAIL) return out;
      out.push(item);
      this.cs();
    }
  }

  private plugin(): R<Plugin> {
    return this.attempt(() => {
      const start = this.pos;
      const name = this.name();
      if (name === FAIL) return FAIL;
      this.cs();
      if (!this.lit("{")) return FAIL;
      this.cs();
      const attributes: Attribute[] = [];
      const first = this.attribute();
      if (first !== FAIL) {
        attributes.push(first);
        for (;;) {
          const next = this.attempt(() => {
            if (!this.whitespace()) return FAIL;
            this.cs();
            return this.attribute();
          });
          if (next === FAIL) break;
          attributes.push(next);
        }
      }
      this.cs();
      if (!this.lit("}")) return FAIL;
      return { type: "Plugin", name, attributes, loc: this.loc(start) };
    });
  }

  private name(): R<Name> {
    const start = this.pos;
    const isNameChar = (c: string | undefined) => isAlpha(c) || isDigit(c) || c === "_" || c === "-";
    if (isNameChar(this.peek())) {
      while (isNameChar(this.peek())) this.pos++;
      return { type: "Name", value: this.input.slice(start, this.pos), loc: this.loc(start) };
    }
    this.fail("[A-Za-z0-9_-]");
    return this.string();
  }

  private attribute(): R<Attribute> {
    return this.attempt(() => {
      const start = this.pos;
      const name = this.name();
      if (name === FAIL) return FAIL;
      this.cs();
      if (!this.lit("=>")) return FAIL;
      this.cs();
      const value = this.value();
      if (value === FAIL) return FAIL;
      return { type: "Attribute", name, value, loc: this.loc(start) };
    });
  }

  private value(): R<Value> {
    return (
      this.plugin() ?? this.bareword() ?? this.string() ?? this.number() ?? this.array() ?? this.hash()
    );
  }

  private bareword(): R<Bareword> {
    const start = this.pos;
    const c = this.peek();
    if (!(isAlpha(c) || c === "_")) return this.fail("[A-Za-z_]");
    this.pos++;
    const isTail = (ch: string | undefined) => isAlpha(ch) || isDigit(ch) || ch === "_";
    if (!isTail(this.peek())) {
      this.fail("[A-Za-z0-9_]");
      this.pos = start;
      return FAIL;
    }
    while (isTail(this.peek())) this.pos++;
    return { type: "Bareword", value: this.input.slice(start, this.pos), loc: this.loc(start) };
  }

  /**
   * `q ( "\" q / !q . )* q` — the body loop never backtracks, so a backslash
   * immediately before the intended closing quote escapes it and the string
   * runs on to the next unescaped quote.
   */
  private delimited(q: string): R<string> {
    const start = this.pos;
    if (!this.lit(q)) return FAIL;
    const bodyStart = this.pos;
    for (;;) {
      if (this.input.startsWith("\\" + q, this.pos)) {
        this.pos += 2;
        continue;
      }
      if (this.pos >= this.input.length) {
        this.fail(JSON.stringify(q));
        this.pos = start;
        return FAIL;
      }
      if (this.peek() === q) break;
      this.pos++;
    }
    const body = this.input.slice(bodyStart, this.pos);
    this.pos++; // closing quote
    return body;
  }

  private string(): R<StringValue> {
    const start = this.pos;
    const dq = this.delimited('"');
    if (dq !== FAIL) return { type: "String", quote: '"', value: dq, loc: this.loc(start) };
    const sq = this.delimited("'");
    if (sq !== FAIL) return { type: "String", quote: "'", value: sq, loc: this.loc(start) };
    return FAIL;
  }

  private regexp(): R<RegexpValue> {
    const start = this.pos;
    const body = this.delimited("/");
    if (body === FAIL) return FAIL;
    return { type: "Regexp", pattern: body, loc: this.loc(start) };
  }

  private number(): R<NumberValue> {
    const start = this.pos;
    if (this.peek() === "-") this.pos++;
    if (!isDigit(this.peek())) {
      this.fail("[0-9]");
      this.pos = start;
      return FAIL;
    }
    while (isDigit(this.peek())) this.pos++;
    let isFloat = false;
    if (this.peek() === ".") {
      isFloat = true;
      this.pos++;
      while (isDigit(this.peek())) this.pos++;
    }
    const raw = this.input.slice(start, this.pos);
    return { type: "Number", raw, value: Number(raw), isFloat, loc: this.loc(start) };
  }

  private array(): R<ArrayValue> {
    return this.attempt(() => {
      const start = this.pos;
      if (!this.lit("[")) return FAIL;
      this.cs();
      const elements: Value[] = [];
      const first = this.value();
      if (first !== FAIL) {
        elements.push(first);
        for (;;) {
          const next = this.attempt(() => {
            this.cs();
            if (!this.lit(",")) return FAIL;
            this.cs();
            return this.value();
          });
          if (next === FAIL) break;
          elements.push(next);
        }
      }
      this.cs();
      if (!this.lit("]")) return FAIL;
      return { type: "Array", elements, loc: this.loc(start) };
    });
  }

  private hash(): R<HashValue> {
    return this.attempt(() => {
      const start = this.pos;
      if (!this.lit("{")) return FAIL;
      this.cs();
      const entries: HashEntry[] = [];
      const first = this.hashEntry();
      if (first !== FAIL) {
        entries.push(first);
        for (;;) {
          const next = this.attempt(() => {
            this.cs();
            return this.hashEntry();
          });
          if (next === FAIL) break;
          entries.push(next);
        }
      }
      this.cs();
      if (!this.lit("}")) return FAIL;
      return { type: "Hash", entries, loc: this.loc(start) };
    });
  }

  private hashEntry(): R<HashEntry> {
    return this.attempt(() => {
      const start = this.pos;
      const key = this.number() ?? this.bareword() ?? this.string();
      if (key === FAIL) return FAIL;
      this.cs();
      if (!this.lit("=>")) return FAIL;
      this.cs();
      const value = this.value();
      if (value === FAIL) return FAIL;
      return { type: "HashEntry", key, value, loc: this.loc(start) };
    });
  }

  // ---- conditionals ----

  private branch(): R<Branch> {
    return this.attempt(() => {
      const start = this.pos;
      const first = this.clause(() => this.lit("if"));
      if (first === FAIL) return FAIL;
      const clauses = [first];
      for (;;) {
        const next = this.attempt(() => {
          this.cs();
          return this.clause(() => {
            if (!this.lit("else")) return false;
            this.cs();
            return this.lit("if");
          });
        });
        if (next === FAIL) break;
        clauses.push(next);
      }
      const elseBody = this.attempt(() => {
        this.cs();
        if (!this.lit("else")) return FAIL;
        this.cs();
        if (!this.lit("{")) return FAIL;
        this.cs();
        const body = this.body();
        if (!this.lit("}")) return FAIL;
        return body;
      });
      const branch: Branch = { type: "Branch", clauses, loc: this.loc(start) };
      if (elseBody !== FAIL) branch.elseBody = elseBody;
      return branch;
    });
  }

  private clause(keyword: () => boolean): R<ConditionalClause> {
    return this.attempt(() => {
      const start = this.pos;
      if (!keyword()) return FAIL;
      this.cs();
      const condition = this.condition();
      if (condition === FAIL) return FAIL;
      this.cs();
      if (!this.lit("{")) return FAIL;
      this.cs();
      const body = this.body();
      if (!this.lit("}")) return FAIL;
      return { condition, body, loc: this.loc(start) };
    });
  }

  private condition(): R<Condition> {
    return this.attempt(() => {
      const start = this.pos;
      const first = this.expression();
      if (first === FAIL) return FAIL;
      const rest: Condition["rest"] = [];
      for (;;) {
        const next = this.attempt(() => {
          this.cs();
          let op: BooleanOperator | undefined;
          for (const o of ["and", "or", "xor", "nand"] as const) {
            if (this.lit(o)) {
              op = o;
              break;
            }
          }
          if (op === undefined) return FAIL;
          this.cs();
          const expr = this.expression();
          if (expr === FAIL) return FAIL;
          return { op, expr };
        });
        if (next === FAIL) break;
        rest.push(next);
      }
      return { type: "Condition", first, rest, loc: this.loc(start) };
    });
  }

  private parenCondition(): R<Condition> {
    return this.attempt(() => {
      if (!this.lit("(")) return FAIL;
      this.cs();
      const c = this.condition();
      if (c === FAIL) return FAIL;
      this.cs();
      if (!this.lit(")")) return FAIL;
      return c;
    });
  }

  private expression(): R<Expression> {
    const start = this.pos;
    const paren = this.parenCondition();
    if (paren !== FAIL) return { type: "Paren", condition: paren, loc: this.loc(start) };
    return (
      this.negativeExpression() ??
      this.inExpression(false) ??
      this.inExpression(true) ??
      this.compareExpression() ??
      this.regexpExpression() ??
      this.rvalue()
    );
  }

  private negativeExpression(): R<NegativeExpression> {
    const start = this.pos;
    const operand =
      this.attempt<Condition | Selector>(() => {
        if (!this.lit("!")) return FAIL;
        this.cs();
        return this.parenCondition();
      }) ??
      this.attempt<Condition | Selector>(() => {
        if (!this.lit("!")) return FAIL;
        this.cs();
        return this.selector();
      });
    if (operand === FAIL) return FAIL;
    return { type: "Not", operand, loc: this.loc(start) };
  }

  private inExpression(negated: boolean): R<InExpression> {
    return this.attempt(() => {
      const start = this.pos;
      const left = this.rvalue();
      if (left === FAIL) return FAIL;
      this.cs();
      if (negated) {
        if (!this.lit("not ")) return FAIL;
        this.cs();
      }
      if (!this.lit("in")) return FAIL;
      this.cs();
      const right = this.rvalue();
      if (right === FAIL) return FAIL;
      return { type: "In", negated, left, right, loc: this.loc(start) };
    });
  }

  private compareExpression(): R<CompareExpression> {
    return this.attempt(() => {
      const start = this.pos;
      const left = this.rvalue();
      if (left === FAIL) return FAIL;
      this.cs();
      let op: CompareOperator | undefined;
      for (const o of ["==", "!=", "<=", ">=", "<", ">"] as const) {
        if (this.lit(o)) {
          op = o;
          break;
        }
      }
      if (op === undefined) return FAIL;
      this.cs();
      const right = this.rvalue();
      if (right === FAIL) return FAIL;
      return { type: "Compare", op, left, right, loc: this.loc(start) };
    });
  }

  private regexpExpression(): R<RegexpExpression> {
    return this.attempt(() => {
      const start = this.pos;
      const left = this.rvalue();
      if (left === FAIL) return FAIL;
      this.cs();
      let op: RegexpOperator | undefined;
      for (const o of ["=~", "!~"] as const) {
        if (this.lit(o)) {
          op = o;
          break;
        }
      }
      if (op === undefined) return FAIL;
      this.cs();
      const right = this.string() ?? this.regexp();
      if (right === FAIL) return FAIL;
      return { type: "RegexpMatch", op, left, right, loc: this.loc(start) };
    });
  }

  private rvalue(): R<RValue> {
    return (
      this.string() ?? this.number() ?? this.selector() ?? this.array() ?? this.methodCall() ?? this.regexp()
    );
  }

  private methodCall(): R<MethodCall> {
    return this.attempt(() => {
      const start = this.pos;
      const method = this.bareword();
      if (method === FAIL) return FAIL;
      this.cs();
      if (!this.lit("(")) return FAIL;
      this.cs();
      const args: RValue[] = [];
      const first = this.rvalue();
      if (first !== FAIL) {
        args.push(first);
        for (;;) {
          const next = this.attempt(() => {
            this.cs();
            if (!this.lit(",")) return FAIL;
            this.cs();
            return this.rvalue();
          });
          if (next === FAIL) break;
          args.push(next);
        }
      }
      this.cs();
      if (!this.lit(")")) return FAIL;
      return { type: "MethodCall", name: method.value, args, loc: this.loc(start) };
    });
  }

  private selector(): R<Selector> {
    const start = this.pos;
    const path: string[] = [];
    for (;;) {
      const el = this.attempt(() => {
        if (!this.lit("[")) return FAIL;
        const s = this.pos;
        while (this.pos < this.input.length && !"[],".includes(this.peek() as string)) this.pos++;
        if (this.pos === s) return this.fail("[^\\]\\[,]");
        const text = this.input.slice(s, this.pos);
        if (!this.lit("]")) return FAIL;
        return text;
      });
      if (el === FAIL) break;
      path.push(el);
    }
    if (path.length === 0) return FAIL;
    return { type: "Selector", raw: this.input.slice(start, this.pos), path, loc: this.loc(start) };
  }
}

// ---------------------------------------------------------------- public API

export function parseLogstash(text: string): Config {
  return new Parser(text).parseConfig();
}

function nameText(n: Name): string {
  return n.type === "Name" ? n.value : n.value;
}

function* pluginsIn(body: BranchOrPlugin[]): Generator<Plugin> {
  for (const item of body) {
    if (item.type === "Plugin") {
      yield item;
    } else {
      for (const c of item.clauses) yield* pluginsIn(c.body);
      if (item.elseBody) yield* pluginsIn(item.elseBody);
    }
  }
}

/** All plugins of a section kind, in source order, including those inside conditionals. */
export function findPlugins(config: Config, section: SectionKind, plugin?: string): Plugin[] {
  const out: Plugin[] = [];
  for (const s of config.sections) {
    if (s.kind !== section) continue;
    for (const p of pluginsIn(s.body)) {
      if (plugin === undefined || nameText(p.name) === plugin) out.push(p);
    }
  }
  return out;
}

/** First attribute `name` of the first `plugin` in `section` that has it (conditionals included). */
export function findAttribute(
  config: Config,
  section: SectionKind,
  plugin: string,
  name: string,
): Attribute | undefined {
  for (const p of findPlugins(config, section, plugin)) {
    const a = p.attributes.find((attr) => nameText(attr.name) === name);
    if (a) return a;
  }
  return undefined;
}

/**
 * The raw value of a string attribute (or string value): the text between the
 * quotes exactly as written, as Logstash uses it with escapes disabled.
 */
export function stringValue(node: Attribute | Value | undefined): string {
  const v = node?.type === "Attribute" ? node.value : node;
  if (v?.type !== "String") {
    throw new TypeError(`expected a string value, got ${v === undefined ? "nothing" : v.type}`);
  }
  return v.value;
}
