/**
 * promql/syntax: the expression does not parse, or uses a function the target Prometheus
 * does not have. In a spec the compiler reports this as VIG3001/VIG3003 before linting; this
 * rule is how `vigil lint` reports it for plain rule files, at the same position promtool would.
 */
import type { LintRule } from "../../types.js";

export const rule: LintRule = {
  meta: { id: "promql/syntax", severity: "error", description: "PromQL that does not parse (or names a function the target lacks)" },
  check(ctx) {
    for (const e of ctx.invalid) {
      const first = e.errors[0];
      if (!first || first.kind === "type") continue;
      ctx.report({ message: first.message, at: e.at(first.start, first.end - first.start), item: e.item });
    }
  },
};
