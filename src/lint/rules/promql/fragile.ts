/**
 * promql/fragile: expressions that work today by accident.
 *
 * - `topk`/`bottomk`/`limitk`/`limit_ratio` in an alert: which series they select changes from
 *   one evaluation to the next, and an alert whose series disappears resolves — so the alert
 *   flaps (resolves and re-fires with a new `for` wait) as the ranking shifts.
 * - Arithmetic between two aggregations with different grouping and no `on()`/`ignoring()`:
 *   `sum by (a) (x) / sum by (b) (y)` matches series on all their labels, which here only
 *   works when one side has a single series without labels, or not at all; adding a label to
 *   either side silently changes the result.
 */
import type { AggregateExpr, BinaryExpr, Expr } from "../../../promql/ast.js";
import { walk } from "../../../promql/ast.js";
import { labelFlow, type LabelSet } from "../../../promql/labels.js";
import type { LintRule } from "../../types.js";

const SELECTING = new Set(["topk", "bottomk", "limitk", "limit_ratio"]);
const ARITHMETIC = new Set(["+", "-", "*", "/", "%", "^", "atan2"]);

function unparen(e: Expr): Expr {
  return e.type === "paren" ? unparen(e.expr) : e;
}

/** An aggregation that builds new series from its grouping (not topk-like selections, not count_values). */
function groupingAggregation(e: Expr): AggregateExpr | undefined {
  const d = unparen(e);
  return d.type === "aggregate" && !SELECTING.has(d.op) && d.op !== "count_values" ? d : undefined;
}

function grouping(a: AggregateExpr): string {
  if (!a.hasGrouping || (!a.without && a.grouping.length === 0)) return "by ()";
  return `${a.without ? "without" : "by"} (${[...a.grouping].sort().join(", ")})`;
}

function sameLabels(a: LabelSet, b: LabelSet): boolean {
  if (a.open || b.open) return false;
  const strip = (s: LabelSet) => [...s.labels].filter((l) => l !== "__name__").sort().join(",");
  return strip(a) === strip(b);
}

/** Whether a binary expression matches on all labels (no `on(...)`, no `ignoring(...)`). */
function defaultMatching(b: BinaryExpr): boolean {
  const m = b.matching;
  return !m || (!m.on && m.labels.length === 0 && m.card === "one-to-one");
}

export const rule: LintRule = {
  meta: { id: "promql/fragile", severity: "warning", description: "topk()/bottomk()/limitk() in an alert, or arithmetic between differently grouped aggregations" },
  check(ctx) {
    for (const e of ctx.exprs) {
      walk(e.expr, (node) => {
        if (node.type === "aggregate" && SELECTING.has(node.op) && e.item.kind === "alert") {
          ctx.report({
            message: `${node.op}() in an alert selects different series as values change, so the alert resolves and fires again (flaps)`,
            hint: `alert on a threshold over all series instead, and use ${node.op}() in the dashboard or the notification`,
            at: e.at(node.start, node.op.length),
            item: e.item,
          });
        }
        if (node.type !== "binary" || !ARITHMETIC.has(node.op) || !defaultMatching(node)) return;
        const lhs = groupingAggregation(node.lhs);
        const rhs = groupingAggregation(node.rhs);
        if (!lhs || !rhs) return;
        const gl = grouping(lhs);
        const gr = grouping(rhs);
        if (gl === gr) return;
        // Differently written groupings that yield the same labels (e.g. `by` vs `without`) match fine.
        if (sameLabels(labelFlow(lhs, ctx.seriesLabels), labelFlow(rhs, ctx.seriesLabels))) return;
        ctx.report({
          message: `"${node.op}" between ${lhs.op} ${gl} and ${rhs.op} ${gr} matches series on all their labels, which differ`,
          hint: "group both sides by the same labels, or say how to match with on(...)/ignoring(...) and group_left/group_right",
          at: e.at(node.start, node.end - node.start),
          item: e.item,
        });
      });
    }
  },
};
