/**
 * PromQL type checker: Prometheus' checkAST (promql/parser/parse.go) rule for rule, in the same
 * traversal order, so the first error is the one promtool reports. Runs on a parse without
 * errors; the function table (signatures) comes from the caller's target version.
 */
import type { BinaryExpr, Expr, VectorSelector } from "./ast.js";
import { COMPARISON_OPS, SET_OPS } from "./ast.js";
import { goQuote } from "./lexer.js";
import { re2FullMatch } from "./regex/match.js";
import type { SyntaxError } from "./parser.js";

import type { ValueType } from "./functions.js";

export type { ValueType };

export interface Signature {
  argTypes: readonly ValueType[];
  /** Prometheus' Function.Variadic: 0 exact, n > 0 up to n optional trailing args, -1 unlimited. */
  variadic: number;
  returnType: ValueType;
}

/** Prometheus' DocumentedType names. */
const DOCUMENTED: Record<ValueType | "none", string> = {
  vector: "instant vector",
  matrix: "range vector",
  scalar: "scalar",
  string: "string",
  none: "none",
};

export function valueType(expr: Expr, signature: (name: string) => Signature | undefined): ValueType {
  switch (expr.type) {
    case "number":
      return "scalar";
    case "string":
      return "string";
    case "vector":
    case "aggregate":
      return "vector";
    case "matrix":
    case "subquery":
      return "matrix";
    case "paren":
    case "unary":
      return valueType(expr.expr, signature);
    case "binary":
      return valueType(expr.lhs, signature) === "scalar" && valueType(expr.rhs, signature) === "scalar" ? "scalar" : "vector";
    case "call":
      return signature(expr.func)?.returnType ?? "vector";
  }
}

export function checkTypes(root: Expr, input: string, signature: (name: string) => Signature | undefined, paramTypes: (op: string) => ValueType | undefined): SyntaxError[] {
  return checkTypesAndType(root, input, signature, paramTypes).errors;
}

/** `checkTypes`, plus the root's type (as `valueType` gives it), computed in the same walk. */
export function checkTypesAndType(
  root: Expr,
  input: string,
  signature: (name: string) => Signature | undefined,
  paramTypes: (op: string) => ValueType | undefined,
): { errors: SyntaxError[]; type: ValueType } {
  const errors: SyntaxError[] = [];
  const add = (message: string, start: number, end: number) => errors.push({ message, start, end });

  // The context of a call's argument is built from `func` only when there is an error (no
  // closure or template string per argument checked).
  const expectType = (node: Expr, want: ValueType, context: string, func?: string) => {
    const t = check(node);
    if (t !== want) add(`expected type ${DOCUMENTED[want]} in ${func === undefined ? context : `call to function ${goQuote(func)}`}, got ${DOCUMENTED[t]}`, node.start, node.end);
  };

  function check(node: Expr): ValueType {
    // The node's type from its children's, computed on the way up (not re-derived per node).
    let typ: ValueType;
    switch (node.type) {
      case "aggregate": {
        typ = "vector";
        expectType(node.expr, "vector", "aggregation expression");
        const param = paramTypes(node.op);
        if (param && node.param) expectType(node.param, param, "aggregation parameter");
        break;
      }
      case "binary": {
        const lt = check(node.lhs);
        const rt = check(node.rhs);
        typ = lt === "scalar" && rt === "scalar" ? "scalar" : "vector";
        const comparison = COMPARISON_OPS.has(node.op);
        const setOp = SET_OPS.has(node.op);
        if (node.bool && !comparison) add("bool modifier can only be used on comparison operators", ...operatorRange(node, input));
        if (comparison && !node.bool && rt === "scalar" && lt === "scalar") add("comparisons between scalars must use BOOL modifier", ...operatorRange(node, input));
        const m = node.matching;
        if (m?.on) {
          for (const l1 of m.labels) for (const l2 of m.include) if (l1 === l2) add(`label ${goQuote(l1)} must not occur in ON and GROUP clause at once`, ...operatorRange(node, input));
        }
        if (lt !== "scalar" && lt !== "vector") add("binary expression must contain only scalar and instant vector types", node.lhs.start, node.lhs.end);
        if (rt !== "scalar" && rt !== "vector") add("binary expression must contain only scalar and instant vector types", node.rhs.start, node.rhs.end);
        if (lt !== "vector" || rt !== "vector") {
          if (m && m.labels.length > 0) add("vector matching only allowed between instant vectors", node.start, node.end);
        } else if (setOp && m && m.card !== "one-to-one") {
          if (m.card === "one-to-many" || m.card === "many-to-one") add(`no grouping allowed for ${goQuote(node.op)} operation`, node.start, node.end);
          // Prometheus then also insists on many-to-many, which a grouped set operation is not.
          add("set operations must always be many-to-many", node.start, node.end);
        }
        if ((lt === "scalar" || rt === "scalar") && setOp) add(`set operator ${goQuote(node.op)} not allowed in binary scalar expression`, node.start, node.end);
        break;
      }
      case "call": {
        const sig = signature(node.func);
        typ = sig?.returnType ?? "vector";
        if (!sig) break; // reported by the parser as an unknown function
        const nargs = sig.argTypes.length;
        const got = node.args.length;
        if (sig.variadic === 0) {
          if (nargs !== got) add(`expected ${nargs} argument(s) in call to ${goQuote(node.func)}, got ${got}`, node.start, node.end);
        } else {
          const na = nargs - 1;
          if (na > got) add(`expected at least ${na} argument(s) in call to ${goQuote(node.func)}, got ${got}`, node.start, node.end);
          else if (sig.variadic > 0 && na + sig.variadic < got) add(`expected at most ${na + sig.variadic} argument(s) in call to ${goQuote(node.func)}, got ${got}`, node.start, node.end);
        }
        for (let i = 0; i < got; i++) {
          let k = i;
          if (k >= nargs) {
            if (sig.variadic === 0) break;
            k = nargs - 1;
          }
          expectType(node.args[i]!, sig.argTypes[k]!, "", node.func);
        }
        break;
      }
      case "paren":
        typ = check(node.expr);
        break;
      case "unary": {
        const t = check(node.expr);
        typ = t;
        if (t !== "scalar" && t !== "vector") add(`unary expression only allowed on expressions of type scalar or instant vector, got ${goQuote(DOCUMENTED[t])}`, node.start, node.end);
        break;
      }
      case "subquery": {
        typ = "matrix";
        const t = check(node.expr);
        if (t !== "vector") add(`subquery is only allowed on instant vector, got ${t} instead`, node.start, node.end);
        break;
      }
      case "matrix":
        typ = "matrix";
        check(node.vector);
        break;
      case "vector":
        typ = "vector";
        checkSelector(node, add);
        break;
      case "number":
        typ = "scalar";
        break;
      case "string":
        typ = "string";
        break;
    }
    return typ;
  }

  const type = check(root);
  return { errors, type };
}

/** The operator's span between a binary expression's operands (what Prometheus reports). */
function operatorRange(node: BinaryExpr, input: string): [number, number] {
  let s = node.lhs.end;
  while (isSpace(input[s])) s++;
  let e = node.rhs.start - 1;
  while (isSpace(input[e])) e--;
  return [s, e];
}

function checkSelector(n: VectorSelector, add: (message: string, start: number, end: number) => void): void {
  if (n.name !== undefined) {
    for (const m of n.matchers) {
      if (m.name === "__name__") add(`metric name must not be set twice: ${goQuote(n.name)} or ${goQuote(m.value)}`, n.start, n.end);
    }
    return;
  }
  const notEmpty = n.matchers.some((m) => !matchesEmpty(m.op, m.value));
  if (!notEmpty) add("vector selector must contain at least one non-empty matcher", n.start, n.end);
}

function matchesEmpty(op: string, value: string): boolean {
  switch (op) {
    case "=":
      return value === "";
    case "!=":
      return value !== "";
    case "=~":
      return re2FullMatch(value, "");
    default:
      return !re2FullMatch(value, "");
  }
}

function isSpace(c: string | undefined): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}
