/**
 * promql/division-nan: a division by a rate (`rate`/`irate`/`increase`, or a `sum`/`avg`/...
 * of one) inside an aggregation that NaN poisons. A rate is 0 whenever a series sees no
 * traffic, and `x / 0` is NaN (0/0) or ±Inf: one idle series then turns the whole `sum()` or
 * `avg()` into NaN/Inf, and the alert or SLI goes blind for every other series too. At the
 * top of an alert the same division is harmless (NaN never passes the threshold), so only
 * divisions whose result is summed, averaged, ... are reported. A comparison between the
 * division and the aggregation (`sum(a / rate(b[5m]) > 0)`, `... > bool 0`) drops or zeroes
 * the NaN and counts as a guard; so does `and <comparison>` on its right.
 */
import type { AggregateExpr, Call, Expr } from "../../../promql/ast.js";
import { COMPARISON_OPS } from "../../../promql/ast.js";
import type { LintExpr, LintRule } from "../../types.js";

const RATES = new Set(["rate", "irate", "increase"]);
/** Aggregations whose result is NaN/Inf as soon as one input is (min/max skip NaN, count/group ignore values). */
const POISONED_AGGREGATIONS = new Set(["sum", "avg", "stddev", "stdvar"]);
/** The same over time, for subqueries. */
const POISONED_OVER_TIME = new Set(["sum_over_time", "avg_over_time", "stddev_over_time", "stdvar_over_time"]);

function unparen(e: Expr): Expr {
  return e.type === "paren" ? unparen(e.expr) : e;
}

/** The rate-like call a divisor is, or aggregates directly: `rate(x[5m])`, `sum by (a) (irate(x[1m]))`. */
function rateDivisor(e: Expr): Call | undefined {
  const d = unparen(e);
  if (d.type === "call") return RATES.has(d.func) ? d : undefined;
  if (d.type === "aggregate") return rateDivisor(d.expr);
  return undefined;
}

function isFilter(e: Expr): boolean {
  const d = unparen(e);
  return d.type === "binary" && COMPARISON_OPS.has(d.op);
}

export const rule: LintRule = {
  meta: { id: "promql/division-nan", severity: "warning", description: "division by a rate inside sum()/avg(): one idle series makes the whole result NaN" },
  check(ctx) {
    for (const e of ctx.exprs) {
      const visit = (node: Expr, within: AggregateExpr | Call | undefined, guarded: boolean): void => {
        switch (node.type) {
          case "aggregate":
            if (node.param) visit(node.param, within, guarded);
            // A guard outside this aggregation comes too late: its input is already summed.
            visit(node.expr, POISONED_AGGREGATIONS.has(node.op) ? node : within, false);
            return;
          case "call": {
            const overTime = POISONED_OVER_TIME.has(node.func) && node.args[0]?.type === "subquery";
            for (const arg of node.args) visit(arg, overTime ? node : within, overTime ? false : guarded);
            return;
          }
          case "binary": {
            if (COMPARISON_OPS.has(node.op)) {
              visit(node.lhs, within, true);
              visit(node.rhs, within, true);
              return;
            }
            if (node.op === "/" && within && !guarded) {
              const rate = rateDivisor(node.rhs);
              if (rate) report(e, node.rhs, rate, within);
            }
            visit(node.lhs, within, guarded || (node.op === "and" && isFilter(node.rhs)));
            visit(node.rhs, within, guarded);
            return;
          }
          case "paren":
          case "unary":
          case "subquery":
            visit(node.expr, within, guarded);
            return;
          default:
            return;
        }
      };
      visit(e.expr, undefined, false);
    }

    function report(e: LintExpr, divisor: Expr, rate: Call, within: AggregateExpr | Call): void {
      const outer = within.type === "aggregate" ? `${within.op}()` : `${within.func}()`;
      ctx.report({
        message: `division by ${rate.func}() inside ${outer}: where the ${rate.func} is 0 the quotient is NaN or Inf, and ${outer} of it is NaN/Inf for all series`,
        hint: `divide by \`(${e.text.slice(divisor.start, divisor.end)} > 0)\` so idle series drop out, or aggregate numerator and denominator before dividing`,
        at: e.at(divisor.start, divisor.end - divisor.start),
        item: e.item,
      });
    }
  },
};
