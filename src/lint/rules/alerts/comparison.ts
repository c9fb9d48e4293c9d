/**
 * alerts/comparison: an alert whose expression filters nothing. Prometheus fires an alert for
 * every series the expression returns, whatever its value, so `rate(errors[5m])` without a
 * threshold pages for every series all the time (a rate of 0 included). An alert needs a
 * condition: Vigil's `threshold`/`thresholds`, a comparison operator, or `absent()`.
 *
 * The expression filters when its series set depends on a condition: a comparison without
 * `bool` (`x > 1`; `x > bool 1` returns every series), `absent()`/`absent_over_time()`, and
 * anything built on a filtered input — an aggregation or function of it (`count(up == 0)`),
 * arithmetic with it (both sides must match), `and` with a filtered side, `unless` with a
 * filtered left side, `or` with both sides filtered. An expression without any selector
 * (`vector(1)`, a Watchdog/dead man's switch) fires on purpose and is left alone.
 */
import type { Expr } from "../../../promql/ast.js";
import { COMPARISON_OPS, walk } from "../../../promql/ast.js";
import type { LintRule } from "../../types.js";

/** Functions whose output does not depend on which input series exist. */
const UNFILTERED_CALLS = new Set(["vector", "scalar", "time", "pi"]);

function filters(e: Expr): boolean {
  switch (e.type) {
    case "paren":
    case "unary":
    case "subquery":
    case "aggregate":
      return filters(e.expr);
    case "call":
      if (e.func === "absent" || e.func === "absent_over_time") return true;
      return !UNFILTERED_CALLS.has(e.func) && e.args.some(filters);
    case "binary":
      if (COMPARISON_OPS.has(e.op)) return !e.bool || filters(e.lhs) || filters(e.rhs);
      if (e.op === "and") return filters(e.lhs) || filters(e.rhs);
      if (e.op === "unless") return filters(e.lhs);
      if (e.op === "or") return filters(e.lhs) && filters(e.rhs);
      return filters(e.lhs) || filters(e.rhs);
    default:
      return false;
  }
}

export const rule: LintRule = {
  meta: { id: "alerts/comparison", severity: "warning", description: "alert expression without a threshold or comparison: it fires for every series" },
  check(ctx) {
    for (const e of ctx.exprs) {
      if (e.item.kind !== "alert" || e.item.alert.comparison || filters(e.expr)) continue;
      let selects = false;
      walk(e.expr, (node) => {
        if (node.type === "vector") selects = true;
      });
      if (!selects) continue;
      ctx.report({
        message: `alert "${e.item.alert.name}" has no threshold and its expression compares nothing: it fires for every series it returns, whatever the value`,
        hint: "give a `threshold` (with `op`), or compare in the expression, e.g. `... > 0.05`",
        at: e.at(e.expr.start, e.expr.end - e.expr.start),
        item: e.item,
      });
    }
  },
};
