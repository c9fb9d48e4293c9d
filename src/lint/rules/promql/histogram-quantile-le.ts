/**
 * promql/histogram-quantile-le: histogram_quantile() over an aggregation of classic histogram
 * buckets that drops the `le` label — `sum(rate(x_bucket[5m]))`, `sum by (route) (...)`,
 * `sum without (le) (...)`. histogram_quantile needs one series per bucket boundary, told apart
 * by `le`; without it all buckets are summed into one series and the function returns nothing
 * (or, with an `le` left on only some series, nonsense). Keep `le` in the grouping:
 * `sum by (le) (...)` or `sum by (route, le) (...)`. Only aggregations whose input carries `le`
 * (declared histogram buckets, or a selector on a `_bucket` series) are checked, so native
 * histograms, which have no `le`, are left alone.
 */
import { walk, type AggregateExpr, type Expr } from "../../../promql/ast.js";
import { labelFlow, type SeriesLabels } from "../../../promql/labels.js";
import type { LintRule } from "../../types.js";

function unparen(expr: Expr): Expr {
  return expr.type === "paren" ? unparen(expr.expr) : expr;
}

const SELECTING = new Set(["topk", "bottomk", "limitk", "limit_ratio"]);

/** Whether the aggregation's result has no `le`: by label flow, or an explicit `without (le)`. */
function dropsLe(agg: AggregateExpr, lookup: SeriesLabels): boolean {
  const out = labelFlow(agg, lookup);
  if (out.labels.has("le")) return false;
  if (!out.open) return true;
  return agg.without && agg.grouping.includes("le") && !SELECTING.has(agg.op);
}

/** Whether the input carries bucket boundaries: `le` by label flow, or a `_bucket` selector. */
function hasBuckets(expr: Expr, lookup: SeriesLabels): boolean {
  if (labelFlow(expr, lookup).labels.has("le")) return true;
  let bucket = false;
  walk(expr, (node) => {
    const sel = node.type === "vector" ? node : undefined;
    if (sel && (sel.name?.endsWith("_bucket") || sel.matchers.some((m) => m.name === "__name__" && m.op === "=" && m.value.endsWith("_bucket")))) bucket = true;
  });
  return bucket;
}

/**
 * Where an aggregation really ends: the parser's span stops before a trailing grouping clause
 * (`sum(x) by (le)` ends after `sum(x)`), so extend it over `by (...)`/`without (...)` if one follows.
 */
function aggregateEnd(agg: AggregateExpr, text: string): number {
  if (!agg.hasGrouping) return agg.end;
  const trailing = /^\s*(?:by|without)\s*\([^)]*\)/i.exec(text.slice(agg.end));
  return trailing ? agg.end + trailing[0].length : agg.end;
}

export const rule: LintRule = {
  meta: { id: "promql/histogram-quantile-le", severity: "error", description: "histogram_quantile() over an aggregation that drops the le label" },
  check(ctx) {
    for (const e of ctx.exprs) {
      walk(e.expr, (node) => {
        if (node.type !== "call" || node.func !== "histogram_quantile") return;
        const arg = node.args[1];
        let agg = arg ? unparen(arg) : undefined;
        if (agg?.type !== "aggregate" || !dropsLe(agg, ctx.seriesLabels)) return;
        // Point at the aggregation that drops `le`, not at an outer one that merely cannot restore it.
        for (let inner = unparen(agg.expr); inner.type === "aggregate" && dropsLe(inner, ctx.seriesLabels); inner = unparen(inner.expr)) agg = inner;
        if (!hasBuckets(agg.expr, ctx.seriesLabels)) return;
        const grouping = !agg.hasGrouping ? "no grouping" : agg.without ? `without (${agg.grouping.join(", ")})` : `by (${agg.grouping.join(", ")})`;
        ctx.report({
          message: `histogram_quantile() over ${agg.op}(...) with ${grouping}: the le label is dropped, so the buckets are merged and no quantile can be computed`,
          hint: agg.without ? "remove le from without (...)" : `keep le: ${agg.op} by (${[...agg.grouping.filter((l) => l !== "le"), "le"].join(", ")}) (...)`,
          at: e.at(agg.start, aggregateEnd(agg, e.text) - agg.start),
          item: e.item,
        });
      });
    }
  },
};
