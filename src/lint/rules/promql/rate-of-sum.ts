/**
 * promql/rate-of-sum: rate()/irate()/increase() over a subquery of an aggregation or of another
 * function's result, e.g. `rate(sum(http_requests_total)[5m:])`. These functions correct for
 * counter resets by treating every decrease as a reset; when one of the summed counters resets,
 * the sum only drops by that counter's value, and the "correction" adds the whole sum back — a
 * huge fake spike. A rate of a rate (or of any computed value that can go down) is garbage for
 * the same reason. Take the rate of each series first, then aggregate: `sum(rate(x[5m]))`.
 * delta()/deriv() take samples as they are, so they are fine over sums of gauges; with a spec
 * they are reported when the aggregation sums counters, whose resets they would show as drops.
 */
import { selectorMetric, walk, type Expr } from "../../../promql/ast.js";
import type { LintContext, LintRule } from "../../types.js";

const COUNTER_FUNCS = new Set(["rate", "irate", "increase"]);
const GAUGE_FUNCS = new Set(["delta", "deriv"]);
/** Functions whose result is still the input counter, series by series. */
const KEEPS_COUNTER = new Set(["label_replace", "label_join", "last_over_time", "first_over_time", "sort", "sort_desc", "sort_by_label", "sort_by_label_desc"]);
/** Aggregations whose output series are input series unchanged. */
const SELECTING = new Set(["topk", "bottomk", "limitk", "limit_ratio"]);
/** Aggregations whose value over counters is a counter-like value that drops on a reset. */
const COUNTER_VALUED = new Set(["sum", "min", "max", "avg", "quantile", ...SELECTING]);

function unparen(expr: Expr): Expr {
  return expr.type === "paren" ? unparen(expr.expr) : expr;
}

/** Whether an expression computes a value that breaks counter-reset handling. */
function computed(expr: Expr): boolean {
  if (expr.type === "aggregate") return !SELECTING.has(expr.op);
  if (expr.type === "call") return !KEEPS_COUNTER.has(expr.func);
  return false;
}

/** Whether the expression's values are (declared) counters, or built from them by sums. */
function counterValued(ctx: LintContext, expr: Expr): boolean {
  const e = unparen(expr);
  if (e.type === "vector") {
    const metric = selectorMetric(e);
    const series = metric === undefined ? undefined : ctx.signals?.series(metric);
    return series?.labels !== undefined && (series.part !== "value" || series.signal.type === "counter");
  }
  if (e.type === "aggregate") return COUNTER_VALUED.has(e.op) && counterValued(ctx, e.expr);
  if (e.type === "call" && KEEPS_COUNTER.has(e.func)) {
    const arg = e.args[0];
    return arg !== undefined && counterValued(ctx, arg.type === "matrix" ? arg.vector : arg);
  }
  return false;
}

export const rule: LintRule = {
  meta: { id: "promql/rate-of-sum", severity: "error", description: "rate()/increase() over a subquery of sum(...) or another function's result" },
  check(ctx) {
    for (const e of ctx.exprs) {
      walk(e.expr, (node) => {
        if (node.type !== "call" || (!COUNTER_FUNCS.has(node.func) && !GAUGE_FUNCS.has(node.func))) return;
        const arg = node.args[0];
        if (arg?.type !== "subquery") return;
        const inner = unparen(arg.expr);
        if (COUNTER_FUNCS.has(node.func)) {
          if (!computed(inner)) return;
          const what = inner.type === "aggregate" ? `${inner.op}(...)` : inner.type === "call" ? `${inner.func}(...)` : "an expression";
          ctx.report({
            message: `${node.func}() over a subquery of ${what}: a reset of any input counter looks like a reset of the whole result, giving a huge fake ${node.func === "increase" ? "increase" : "rate"}`,
            hint: `apply ${node.func}() to the raw counter first and aggregate afterwards, e.g. sum(${node.func}(x[5m]))`,
            at: e.at(inner.start, inner.end - inner.start),
            item: e.item,
          });
        } else if (inner.type === "aggregate" && !SELECTING.has(inner.op) && counterValued(ctx, inner)) {
          ctx.report({
            message: `${node.func}() over a subquery of ${inner.op}(...) of counters: each counter reset shows up as a drop of the ${inner.op}`,
            hint: `aggregate the per-series rate instead, e.g. ${node.func === "deriv" ? "deriv(sum(rate(x[5m]))[1h:])" : "sum(increase(x[1h]))"}`,
            at: e.at(inner.start, inner.end - inner.start),
            item: e.item,
          });
        }
      });
    }
  },
};
