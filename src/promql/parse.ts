/**
 * `parsePromQL`: the front end (parser + type checker) for callers that only need an AST or
 * the errors, for a target Prometheus version (default 2.42).
 */
import type { Expr } from "./ast.js";
import { analyzePromQL, resolveTarget, type PromQLError } from "./frontend.js";

export type { PromQLError };
export type ParseResult = { ok: true; expr: Expr } | { ok: false; errors: PromQLError[] };

export function parsePromQL(text: string, target?: string): ParseResult {
  const r = analyzePromQL(text, resolveTarget(target));
  return r.ok ? { ok: true, expr: r.expr } : r;
}
