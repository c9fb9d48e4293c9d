/**
 * PromQL abstract syntax tree, shaped like Prometheus' own (promql/parser/ast.go): offsets and
 * `@` live on selectors and subqueries, parentheses are kept so positions and printing stay
 * faithful. Every node records its [start, end) character range in the expression text.
 */

export interface Span {
  start: number;
  end: number;
}

export type MatchOp = "=" | "!=" | "=~" | "!~";

export interface LabelMatcher extends Span {
  name: string;
  op: MatchOp;
  value: string;
}

export type AtModifier = number | "start" | "end";

export interface NumberLiteral extends Span {
  type: "number";
  value: number;
}

export interface StringLiteral extends Span {
  type: "string";
  value: string;
}

export interface VectorSelector extends Span {
  type: "vector";
  /** Metric name, when given outside the braces (or as `__name__="..."`). */
  name?: string;
  matchers: LabelMatcher[];
  /** Offset in milliseconds. */
  offset?: number;
  at?: AtModifier;
}

export interface MatrixSelector extends Span {
  type: "matrix";
  vector: VectorSelector;
  /** Range in milliseconds. */
  range: number;
}

export interface SubqueryExpr extends Span {
  type: "subquery";
  expr: Expr;
  range: number;
  /** Resolution step in milliseconds; the global evaluation interval when omitted. */
  step?: number;
  offset?: number;
  at?: AtModifier;
}

export interface ParenExpr extends Span {
  type: "paren";
  expr: Expr;
}

export interface UnaryExpr extends Span {
  type: "unary";
  op: "-" | "+";
  expr: Expr;
}

export type ArithmeticOp = "+" | "-" | "*" | "/" | "%" | "^" | "atan2";
export type ComparisonOp = "==" | "!=" | ">" | "<" | ">=" | "<=";
export type SetOp = "and" | "or" | "unless";
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export interface VectorMatching {
  card: "one-to-one" | "many-to-one" | "one-to-many" | "many-to-many";
  /** `on(...)` when true, `ignoring(...)` when false (with labels) or no modifier (empty). */
  on: boolean;
  labels: string[];
  /** Extra labels of `group_left(...)` / `group_right(...)`. */
  include: string[];
}

export interface BinaryExpr extends Span {
  type: "binary";
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching?: VectorMatching;
  /** Position of the operator token. */
  opStart: number;
}

export interface AggregateExpr extends Span {
  type: "aggregate";
  op: string;
  expr: Expr;
  param?: Expr;
  grouping: string[];
  without: boolean;
  /** Whether `by`/`without` was written (an empty `by ()` differs from none only in printing). */
  hasGrouping: boolean;
}

export interface Call extends Span {
  type: "call";
  func: string;
  args: Expr[];
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | Call;

export const COMPARISON_OPS: ReadonlySet<string> = new Set(["==", "!=", ">", "<", ">=", "<="]);
export const SET_OPS: ReadonlySet<string> = new Set(["and", "or", "unless"]);

/** Visits every node depth-first, parents before children. */
export function walk(expr: Expr, visit: (node: Expr, parent: Expr | undefined) => void, parent?: Expr): void {
  visit(expr, parent);
  for (const child of children(expr)) walk(child, visit, expr);
}

export function children(expr: Expr): Expr[] {
  switch (expr.type) {
    case "matrix":
      return [expr.vector];
    case "subquery":
    case "paren":
    case "unary":
      return [expr.expr];
    case "binary":
      return [expr.lhs, expr.rhs];
    case "aggregate":
      return expr.param ? [expr.param, expr.expr] : [expr.expr];
    case "call":
      return expr.args;
    default:
      return [];
  }
}

/** The metric name a selector selects, from its name or a `__name__="..."` matcher. */
export function selectorMetric(sel: VectorSelector): string | undefined {
  if (sel.name) return sel.name;
  return sel.matchers.find((m) => m.name === "__name__" && m.op === "=")?.value;
}
