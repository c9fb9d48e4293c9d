/**
 * promql/type: the expression parses but Prometheus rejects it — wrong argument types or
 * counts, `bool` on arithmetic, set operators on scalars, a range where an instant vector is
 * needed. In a spec this is VIG3002; this rule reports it for plain rule files.
 */
import type { LintRule } from "../../types.js";

export const rule: LintRule = {
  meta: { id: "promql/type", severity: "error", description: "PromQL that parses but that Prometheus rejects as ill-typed" },
  check(ctx) {
    for (const e of ctx.invalid) {
      const first = e.errors[0];
      if (!first || first.kind !== "type") continue;
      ctx.report({ message: first.message, at: e.at(first.start, first.end - first.start), item: e.item });
    }
  },
};
