/**
 * PromQL parser: our own precedence-climbing parser over `lexer.ts`, built to accept exactly
 * what Prometheus' yacc grammar (promql/parser/generated_parser.y) accepts and to report the
 * first error at the same position. We do not build on `@prometheus-io/lezer-promql`: its
 * error recovery positions errors differently from promtool, it accepts inputs Prometheus
 * rejects (trailing syntax), and mapping its tree back costs more than parsing directly.
 *
 * Errors come in Prometheus' order: lexical and syntax errors end the parse; semantic errors
 * found while parsing (unknown function, bad duration, invalid regex, misplaced modifier) are
 * collected as they occur; type errors (`checkTypes`) only run on an error-free parse.
 */
import type {
  AggregateExpr,
  BinaryExpr,
  BinaryOp,
  Call,
  Expr,
  LabelMatcher,
  MatchOp,
  MatrixSelector,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from "./ast.js";
import { MAX_DURATION_MS, parseDurationChecked } from "./duration.js";
import { AGGREGATORS, goQuote, Lexer, type Token, type TokenKind } from "./lexer.js";
import { re2Error } from "./regex/match.js";
import { unquoteString } from "./strings.js";

export interface SyntaxError {
  message: string;
  start: number;
  end: number;
}

export type ParseResult = { ok: true; expr: Expr } | { ok: false; errors: SyntaxError[] };

export interface ParseOptions {
  /** Aggregation keywords of the target version (3.x adds `limitk`, `limit_ratio`). */
  aggregators?: ReadonlySet<string>;
  /** Aggregators that take a parameter (default: topk, bottomk, count_values, quantile). */
  paramAggregators?: ReadonlySet<string>;
  /** Why a function name is not available (unknown names are a parse error in Prometheus). */
  unknownFunction?: (name: string) => string | undefined;
}

/** Thrown to end the parse at the first lexical or syntax error. */
class Stop extends Error {}

const PRECEDENCE: Record<string, number> = {
  or: 1,
  and: 2,
  unless: 2,
  "==": 3,
  "!=": 3,
  "<=": 3,
  "<": 3,
  ">=": 3,
  ">": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
  "%": 5,
  atan2: 5,
  "^": 6,
};
const UNARY_OPERAND_PRECEDENCE = 6; // unary binds like `*`: only `^` binds tighter
const PARAM_AGGREGATORS = new Set(["topk", "bottomk", "count_values", "quantile"]);
/** Keywords that may name a metric (grammar rule metric_identifier). */
const METRIC_KEYWORDS = new Set([
  "avg", "bottomk", "by", "count", "count_values", "group", "and", "or", "unless", "max", "min", "offset",
  "quantile", "stddev", "stdvar", "sum", "topk", "without", "start", "end", "limitk", "limit_ratio",
]);
/** Keywords that may name a label in by/without/on/ignoring/group_x (grammar rule maybe_label: not `without`). */
const LABEL_KEYWORDS = new Set([
  "avg", "bool", "bottomk", "by", "count", "count_values", "group", "group_left", "group_right", "ignoring", "and", "or",
  "unless", "max", "min", "offset", "on", "quantile", "stddev", "stdvar", "sum", "topk", "start", "end", "atan2",
]);

export class Parser {
  private readonly lexer: Lexer;
  private look: Token | undefined;
  private readonly errors: SyntaxError[] = [];
  private readonly aggregators: ReadonlySet<string>;
  private readonly paramAggregators: ReadonlySet<string>;

  constructor(
    private readonly input: string,
    private readonly options: ParseOptions = {},
  ) {
    this.aggregators = options.aggregators ?? AGGREGATORS;
    this.paramAggregators = options.paramAggregators ?? PARAM_AGGREGATORS;
    this.lexer = new Lexer(input, this.aggregators);
  }

  parse(): ParseResult {
    let expr: Expr | undefined;
    try {
      if (this.peek().kind === "EOF") {
        this.fail("no expression found in input", 0, 0);
      }
      expr = this.expression(0);
      if (this.peek().kind !== "EOF") this.unexpected("", "");
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    if (this.errors.length > 0 || !expr) return { ok: false, errors: this.errors };
    return { ok: true, expr };
  }

  // ---- tokens ----

  private peek(): Token {
    return this.look ?? this.fill();
  }

  /** Reads the next token (comments skipped) into `look`; a lexical error ends the parse. */
  private fill(): Token {
    let t = this.lexer.next();
    while (t.kind === "COMMENT") t = this.lexer.next();
    if (t.kind === "ERROR") this.fail(t.message ?? "lexer error", t.start, t.end);
    this.look = t;
    return t;
  }

  private take(): Token {
    const t = this.look ?? this.fill();
    this.look = undefined;
    return t;
  }

  private is(kind: TokenKind): boolean {
    // The look-ahead token directly when there is one: this runs several times per token.
    return (this.look ?? this.fill()).kind === kind;
  }

  /** Whether the next token is keyword `a` (or `b`): two parameters, not a rest array per call. */
  private isKeyword(a: string, b?: string): boolean {
    const t = this.peek();
    return t.kind === "KEYWORD" && (t.keyword === a || (b !== undefined && t.keyword === b));
  }

  private addError(message: string, start: number, end: number): void {
    this.errors.push({ message, start, end });
  }

  private fail(message: string, start: number, end: number): never {
    this.addError(message, start, end);
    throw new Stop();
  }

  /** Prometheus' parser.unexpected: "unexpected <token> in <context>, expected <what>". */
  private unexpected(context: string, expected: string): never {
    const t = this.peek();
    let msg = `unexpected ${describe(t)}`;
    if (context) msg += ` in ${context}`;
    if (expected) msg += `, expected ${expected}`;
    this.fail(msg, t.start, t.end);
  }

  // ---- expressions ----

  private expression(minPrec: number): Expr {
    let left = this.postfix(this.unaryOrPrimary());
    for (;;) {
      const op = binaryOp(this.peek());
      if (op === undefined) return left;
      const prec = PRECEDENCE[op]!;
      if (prec < minPrec) return left;
      const opToken = this.take();
      const modifiers = this.binaryModifiers();
      const rhs = this.expression(op === "^" ? prec : prec + 1);
      const node: BinaryExpr = {
        type: "binary",
        op,
        lhs: left,
        rhs,
        bool: modifiers.bool,
        opStart: opToken.start,
        start: left.start,
        end: rhs.end,
      };
      if (modifiers.matching) node.matching = modifiers.matching;
      left = node;
    }
  }

  private unaryOrPrimary(): Expr {
    const t = this.peek();
    if (t.kind === "-" || t.kind === "+") {
      this.take();
      const operand = this.expression(UNARY_OPERAND_PRECEDENCE);
      if (operand.type === "number") {
        // Prometheus folds the sign into the literal and starts it at the sign.
        return { ...operand, value: t.kind === "-" ? -operand.value : operand.value, start: t.start };
      }
      return { type: "unary", op: t.kind, expr: operand, start: t.start, end: operand.end };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case "NUMBER":
        this.take();
        return { type: "number", value: this.number(t), start: t.start, end: t.end };
      case "STRING":
        this.take();
        return { type: "string", value: this.unquote(t), start: t.start, end: t.end };
      case "(": {
        this.take();
        const inner = this.expression(0);
        if (!this.is(")")) this.unexpected("paren expression", '")"');
        const close = this.take();
        return { type: "paren", expr: inner, start: t.start, end: close.end };
      }
      case "{":
        return this.selector(undefined);
      case "IDENTIFIER":
        this.take();
        if (this.is("(")) return this.call(t);
        return this.selector(t);
      case "METRIC_IDENTIFIER":
        this.take();
        return this.selector(t);
      case "KEYWORD": {
        const kw = t.keyword!;
        if (!this.aggregators.has(kw) && !METRIC_KEYWORDS.has(kw)) return this.unexpected("", "");
        this.take();
        if (this.aggregators.has(kw) && (this.is("(") || this.isKeyword("by", "without"))) return this.aggregate(t);
        return this.selector(t);
      }
      default:
        return this.unexpected("", "");
    }
  }

  /** `[range]`, `[range:step]`, `offset`, `@`: bind tighter than any operator. */
  private postfix(expr: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.kind === "[") expr = this.rangeOrSubquery(expr);
      else if (t.kind === "KEYWORD" && t.keyword === "offset") expr = this.offset(expr);
      else if (t.kind === "@") expr = this.at(expr);
      else return expr;
    }
  }

  private rangeOrSubquery(expr: Expr): Expr {
    const open = this.take();
    if (!this.is("DURATION")) this.unexpected("subquery selector", "duration");
    const range = this.duration(this.take());
    if (this.is("]")) {
      const close = this.take();
      let problem: string | undefined;
      if (expr.type !== "vector") problem = "ranges only allowed for vector selectors";
      else if (expr.offset !== undefined) problem = "no offset modifiers allowed before range";
      // Prometheus only looks at a numeric timestamp here: `foo @ start()[5m]` is accepted.
      else if (typeof expr.at === "number") problem = "no @ modifiers allowed before range";
      if (problem) this.addError(problem, open.start, close.end);
      const vector: VectorSelector = expr.type === "vector" ? expr : { type: "vector", matchers: [], start: expr.start, end: expr.end };
      return { type: "matrix", vector, range, start: expr.start, end: close.end } satisfies MatrixSelector;
    }
    if (!this.is(":")) this.unexpected("subquery or range", '":" or "]"');
    this.take();
    let step: number | undefined;
    if (this.is("DURATION")) step = this.duration(this.take());
    else if (!this.is("]")) this.unexpected("subquery selector", 'duration or "]"');
    if (!this.is("]")) this.unexpected("subquery selector", '"]"');
    const close = this.take();
    const sq: SubqueryExpr = { type: "subquery", expr, range, start: expr.start, end: close.end };
    if (step !== undefined) sq.step = step;
    return sq;
  }

  private offset(expr: Expr): Expr {
    this.take();
    let sign = 1;
    if (this.is("-")) {
      this.take();
      sign = -1;
    }
    if (!this.is("DURATION")) this.unexpected("offset", "duration");
    const d = this.take();
    const ms = sign * this.duration(d);
    const target = modifiable(expr);
    if (target === undefined) {
      this.addError("offset modifier must be preceded by an instant vector selector or range vector selector or a subquery", expr.start, expr.end);
      return expr;
    }
    if (target.offset !== undefined) this.addError("offset may not be set multiple times", expr.start, expr.end);
    else target.offset = ms;
    return { ...expr, end: d.end } as Expr;
  }

  private at(expr: Expr): Expr {
    this.take();
    let value: number | "start" | "end";
    let end: number;
    const t = this.peek();
    if (t.kind === "KEYWORD" && (t.keyword === "start" || t.keyword === "end")) {
      this.take();
      if (!this.is("(")) this.unexpected("@", "timestamp");
      this.take();
      if (!this.is(")")) this.unexpected("@", "timestamp");
      end = this.take().end;
      value = t.keyword;
    } else {
      let sign = 1;
      if (t.kind === "-" || t.kind === "+") {
        this.take();
        sign = t.kind === "-" ? -1 : 1;
      }
      if (!this.is("NUMBER")) this.unexpected("@", "timestamp");
      const n = this.take();
      value = sign * this.number(n);
      end = n.end;
      if (!Number.isFinite(value) || Math.abs(value) >= 9.223372036854775807e18) {
        this.addError(`timestamp out of bounds for @ modifier: ${goFloatF(value)}`, expr.start, expr.end);
      }
    }
    const target = modifiable(expr);
    if (target === undefined) {
      this.addError("@ modifier must be preceded by an instant vector selector or range vector selector or a subquery", expr.start, expr.end);
      return expr;
    }
    if (target.at !== undefined) {
      this.addError("@ <timestamp> may not be set multiple times", expr.start, expr.end);
      return expr;
    }
    target.at = value;
    return { ...expr, end } as Expr;
  }

  private binaryModifiers(): { bool: boolean; matching?: VectorMatching } {
    let bool = false;
    if (this.isKeyword("bool")) {
      this.take();
      bool = true;
    }
    if (!this.isKeyword("on", "ignoring")) return { bool };
    const on = this.take().keyword === "on";
    const labels = this.groupingLabels();
    const matching: VectorMatching = { card: "one-to-one", on, labels, include: [] };
    if (this.isKeyword("group_left", "group_right")) {
      matching.card = this.take().keyword === "group_left" ? "many-to-one" : "one-to-many";
      if (this.is("(")) matching.include = this.groupingLabels();
    }
    return { bool, matching };
  }

  /** `( label, ... )` with an optional trailing comma. */
  private groupingLabels(): string[] {
    if (!this.is("(")) this.unexpected("grouping opts", '"("');
    this.take();
    const labels: string[] = [];
    if (this.is(")")) {
      this.lastEnd = this.take().end;
      return labels;
    }
    for (;;) {
      const t = this.peek();
      const word = t.kind === "IDENTIFIER" || t.kind === "METRIC_IDENTIFIER" || (t.kind === "KEYWORD" && LABEL_KEYWORDS.has(t.keyword!));
      if (!word || !isLabelName(t.text)) this.unexpected("grouping opts", "label");
      labels.push(this.take().text);
      if (this.is(",")) {
        this.take();
        if (this.is(")")) break;
        continue;
      }
      if (this.is(")")) break;
      this.unexpected("grouping opts", '"," or ")"');
    }
    this.lastEnd = this.take().end;
    return labels;
  }

  private aggregate(opToken: Token): AggregateExpr {
    const op = opToken.keyword!;
    let grouping: string[] = [];
    let without = false;
    let hasGrouping = false;
    if (this.isKeyword("by", "without")) {
      without = this.take().keyword === "without";
      grouping = this.groupingLabels();
      hasGrouping = true;
      if (!this.is("(")) this.unexpected("aggregation", "");
    }
    const { args, end: argsEnd } = this.callBody();
    let end = argsEnd;
    if (!hasGrouping && this.isKeyword("by", "without")) {
      without = this.take().keyword === "without";
      grouping = this.groupingLabels();
      end = this.lastEnd; // `sum(x) by (a)` ends at the grouping's ")"
      hasGrouping = true;
    }
    const node: AggregateExpr = { type: "aggregate", op, expr: args[0] ?? placeholder(opToken), grouping, without, hasGrouping, start: opToken.start, end };
    if (args.length === 0) {
      this.addError("no arguments for aggregate expression provided", node.start, node.end);
      return node;
    }
    const desired = this.paramAggregators.has(op) ? 2 : 1;
    if (desired === 2) node.param = args[0]!;
    if (args.length !== desired) {
      this.addError(`wrong number of arguments for aggregate expression provided, expected ${desired}, got ${args.length}`, node.start, node.end);
      return node;
    }
    node.expr = args[desired - 1]!;
    return node;
  }

  private lastEnd = 0;

  private canStartExpression(): boolean {
    const t = this.peek();
    switch (t.kind) {
      case "NUMBER": case "STRING": case "(": case "{": case "IDENTIFIER": case "METRIC_IDENTIFIER": case "-": case "+":
        return true;
      case "KEYWORD":
        return this.aggregators.has(t.keyword!) || METRIC_KEYWORDS.has(t.keyword!);
      default:
        return false;
    }
  }

  private call(name: Token): Call {
    const { args, end } = this.callBody();
    const unknown = this.options.unknownFunction?.(name.text);
    if (unknown !== undefined) this.addError(unknown, name.start, name.end);
    return { type: "call", func: name.text, args, start: name.start, end };
  }

  /** `( expr, ... )`; a trailing comma is an error Prometheus reports and parses past. */
  private callBody(): { args: Expr[]; end: number } {
    if (!this.is("(")) this.unexpected("aggregation", "");
    this.take();
    const args: Expr[] = [];
    if (this.is(")")) {
      const close = this.take();
      this.lastEnd = close.end;
      return { args, end: close.end };
    }
    for (;;) {
      args.push(this.expression(0));
      if (this.is(",")) {
        const comma = this.take();
        if (this.is(")")) {
          this.addError("trailing commas not allowed in function call args", comma.start, comma.end);
          break;
        }
        // yacc recovers through the `args ,` rule when no expression can follow the comma:
        // Prometheus then reports the comma first (`f(x[1h], 1h)` → at ",").
        if (!this.canStartExpression()) this.fail("trailing commas not allowed in function call args", comma.start, comma.end);
        continue;
      }
      if (this.is(")")) break;
      this.unexpected("", "");
    }
    const close = this.take();
    this.lastEnd = close.end;
    return { args, end: close.end };
  }

  private selector(name: Token | undefined): VectorSelector {
    const sel: VectorSelector = { type: "vector", matchers: [], start: name?.start ?? this.peek().start, end: name?.end ?? 0 };
    if (name) sel.name = name.text;
    if (this.is("{")) {
      this.take();
      for (;;) {
        if (this.is("}")) break;
        if (!this.is("IDENTIFIER")) this.unexpected("label matching", 'identifier or "}"');
        const label = this.take();
        const opTok = this.peek();
        if (opTok.kind !== "=" && opTok.kind !== "!=" && opTok.kind !== "=~" && opTok.kind !== "!~") this.unexpected("label matching", "label matching operator");
        this.take();
        if (!this.is("STRING")) this.unexpected("label matching", "string");
        const value = this.take();
        const matcher: LabelMatcher = { name: label.text, op: opTok.kind as MatchOp, value: this.unquote(value), start: label.start, end: value.end };
        if (matcher.op === "=~" || matcher.op === "!~") {
          const err = re2Error(matcher.value);
          if (err !== undefined) this.addError(err, label.start, value.end);
        }
        sel.matchers.push(matcher);
        if (this.is(",")) {
          this.take();
          continue;
        }
        if (!this.is("}")) this.unexpected("label matching", '"," or "}"');
      }
      sel.end = this.take().end;
    }
    return sel;
  }

  // ---- literals ----

  private duration(t: Token): number {
    const ms = simpleDuration(t.text) ?? parseDurationChecked(t.text);
    if (ms === "invalid") this.addError(`not a valid duration string: ${goQuote(t.text)}`, t.start, t.end);
    else if (ms === "out of range") this.addError("duration out of range", t.start, t.end);
    else if (ms === 0) this.addError("duration must be greater than 0", t.start, t.end);
    return typeof ms === "number" ? ms : 0;
  }

  private number(t: Token): number {
    const v = parseGoNumber(t.text);
    if (typeof v === "string") this.addError(`error parsing number: strconv.ParseFloat: parsing ${goQuote(t.text)}: ${v}`, t.start, t.end);
    return typeof v === "number" ? v : 0;
  }

  private unquote(t: Token): string {
    // A quoted (not raw) string never holds a newline (the lexer rejects it), so without a
    // backslash its value is the text between the quotes: nearly every string in practice.
    const text = t.text;
    if (text.charCodeAt(0) !== 96 && !text.includes("\\")) return text.slice(1, -1);
    const r = unquoteString(t.text);
    if (!r.ok) {
      this.addError(`error unquoting string ${goQuote(t.text)}: ${r.error}`, t.start, t.end);
      return "";
    }
    return r.value;
  }
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 24 * 3600_000, w: 7 * 24 * 3600_000, y: 365 * 24 * 3600_000 };

/**
 * The usual duration, digits and one unit (`5m`, `30s`, `1h`), without parseDuration's regex
 * and match arrays; anything else (`1h30m`, `100ms`, ...) is left to it (undefined).
 */
function simpleDuration(text: string): number | undefined {
  const last = text.length - 1;
  if (last < 1 || last > 15) return undefined; // up to 15 digits: `n` is exact
  const unit = UNIT_MS[text[last]!];
  if (unit === undefined || text.charCodeAt(last - 1) === 109 /* 'ms' */) return undefined;
  let n = 0;
  for (let i = 0; i < last; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  const ms = n * unit;
  return ms <= MAX_DURATION_MS ? ms : undefined; // out of range (or inexact): parseDuration's verdict
}

/** The node an offset or `@` attaches to: a selector (through a matrix) or a subquery. */
function modifiable(expr: Expr): VectorSelector | SubqueryExpr | undefined {
  if (expr.type === "vector" || expr.type === "subquery") return expr;
  if (expr.type === "matrix") return expr.vector;
  return undefined;
}

function placeholder(t: Token): Expr {
  return { type: "vector", matchers: [], start: t.start, end: t.end };
}

function binaryOp(t: Token): BinaryOp | undefined {
  switch (t.kind) {
    case "+": case "-": case "*": case "/": case "%": case "^":
    case "==": case "!=": case "<=": case "<": case ">=": case ">":
      return t.kind;
    case "KEYWORD":
      return t.keyword === "and" || t.keyword === "or" || t.keyword === "unless" || t.keyword === "atan2" ? t.keyword : undefined;
    default:
      return undefined;
  }
}

/** Item.desc() of Prometheus' lexer, for "unexpected ..." messages. */
function describe(t: Token): string {
  switch (t.kind) {
    case "EOF":
      return "end of input";
    case "IDENTIFIER":
      return `identifier ${goQuote(t.text)}`;
    case "METRIC_IDENTIFIER":
      return `metric identifier ${goQuote(t.text)}`;
    case "NUMBER":
      return `number ${goQuote(t.text)}`;
    case "STRING":
      return `string ${t.text.length > 10 ? goQuote(t.text.slice(0, 10)) + "..." : goQuote(t.text)}`;
    case "DURATION":
      return `duration ${goQuote(t.text)}`;
    case "KEYWORD": {
      const k = t.keyword!;
      if (k === "and" || k === "or" || k === "unless" || k === "atan2") return `<op:${k}>`;
      if (AGGREGATORS.has(k) || k === "limitk" || k === "limit_ratio") return `<aggr:${k}>`;
      return `<${k}>`;
    }
    case "(": case ")": case "{": case "}": case "[": case "]": case ",": case "=": case ":":
      return t.kind;
    default:
      return `<op:${t.kind}>`;
  }
}

export function isLabelName(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(s);
}

const PLAIN_DECIMAL = /^(?:[1-9][0-9]*|0)?(?:\.[0-9]+)?$/;

const INT64_MAX = 2n ** 63n - 1n;

/**
 * Go: strconv.ParseInt(s, 0, 64), falling back to strconv.ParseFloat(s, 64). The value, or
 * the reason Go gives ("invalid syntax", "value out of range").
 */
export function parseGoNumber(s: string): number | "invalid syntax" | "value out of range" {
  // Fast path: plain decimals without a leading zero (octal) — nearly every literal.
  if (PLAIN_DECIMAL.test(s)) return checkRange(s, Number(s));
  const lower = s.toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith("-") ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(lower)) return NaN;
  // Integers in base 0 as ParseInt reads them; beyond int64 ParseFloat gets a second try,
  // which reads leading-zero digits as decimal and rejects hex without a `p` exponent.
  if (/^0x[0-9a-f]+$/.test(lower)) return BigInt(lower) <= INT64_MAX ? Number(BigInt(lower)) : "invalid syntax";
  if (/^0[0-7]+$/.test(lower)) return BigInt(`0o${lower.slice(1)}`) <= INT64_MAX ? Number(BigInt(`0o${lower.slice(1)}`)) : Number(lower);
  if (/^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(lower)) return checkRange(lower, Number(lower));
  return "invalid syntax";
}

/** ParseFloat: a finite-looking literal that overflows to ±Inf is "value out of range". */
function checkRange(text: string, value: number): number | "value out of range" {
  return Number.isFinite(value) ? value : "value out of range";
}

/** Go's %f. */
function goFloatF(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "+Inf" : "-Inf";
  return v.toFixed(6);
}

export function parseExpr(text: string, options: ParseOptions = {}): ParseResult {
  return new Parser(text, options).parse();
}
