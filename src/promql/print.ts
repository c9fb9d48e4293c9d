/**
 * AST → canonical PromQL, in the style of Prometheus' own String() methods: `sum by (job) (x)`,
 * `a + on (b) group_left (c) d`, durations normalised (`90m` → `1h30m`), strings double-quoted,
 * numbers in their shortest exact form. Parentheses are AST nodes, so printing never needs to
 * add any: parse(print(ast)) has the same structure as ast.
 */
import type { AtModifier, Expr, LabelMatcher, VectorSelector } from "./ast.js";
import { formatDuration, quoteString } from "./format.js";

export function printExpr(expr: Expr): string {
  switch (expr.type) {
    case "number":
      return printNumber(expr.value);
    case "string":
      return quoteString(expr.value);
    case "vector":
      return printSelector(expr) + modifiers(expr.offset, expr.at);
    case "matrix":
      return `${printSelector(expr.vector)}[${formatDuration(expr.range)}]${modifiers(expr.vector.offset, expr.vector.at)}`;
    case "subquery":
      return `${printExpr(expr.expr)}[${formatDuration(expr.range)}:${expr.step !== undefined ? formatDuration(expr.step) : ""}]${modifiers(expr.offset, expr.at)}`;
    case "paren":
      return `(${printExpr(expr.expr)})`;
    case "unary":
      return `${expr.op}${printExpr(expr.expr)}`;
    case "binary": {
      let op = expr.op as string;
      if (expr.bool) op += " bool";
      const m = expr.matching;
      if (m) {
        op += ` ${m.on ? "on" : "ignoring"} (${m.labels.join(", ")})`;
        if (m.card === "many-to-one" || m.card === "one-to-many") {
          op += ` ${m.card === "many-to-one" ? "group_left" : "group_right"}`;
          if (m.include.length > 0) op += ` (${m.include.join(", ")})`;
        }
      }
      return `${printExpr(expr.lhs)} ${op} ${printExpr(expr.rhs)}`;
    }
    case "aggregate": {
      const grouping = expr.hasGrouping ? ` ${expr.without ? "without" : "by"} (${expr.grouping.join(", ")}) ` : "";
      const args = expr.param ? `${printExpr(expr.param)}, ${printExpr(expr.expr)}` : printExpr(expr.expr);
      return `${expr.op}${grouping}(${args})`;
    }
    case "call":
      return `${expr.func}(${expr.args.map(printExpr).join(", ")})`;
  }
}

function printSelector(sel: VectorSelector): string {
  const matchers = sel.matchers.map(printMatcher);
  if (sel.name !== undefined) return matchers.length ? `${sel.name}{${matchers.join(", ")}}` : sel.name;
  return `{${matchers.join(", ")}}`;
}

function printMatcher(m: LabelMatcher): string {
  return `${m.name}${m.op}${quoteString(m.value)}`;
}

function modifiers(offset: number | undefined, at: AtModifier | undefined): string {
  let out = "";
  if (at !== undefined) out += typeof at === "number" ? ` @ ${printNumber(at)}` : ` @ ${at}()`;
  if (offset !== undefined) out += offset < 0 ? ` offset -${formatDuration(-offset)}` : ` offset ${formatDuration(offset)}`;
  return out;
}

/** Shortest text that parses back to exactly `v`. */
export function printNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Inf";
  if (v === -Infinity) return "-Inf";
  if (Object.is(v, -0)) return "-0";
  return String(v);
}
