/**
 * promql/rate-window: a range for rate/irate/increase/deriv/... shorter than 4 scrape
 * intervals. With fewer than two samples in the window the function returns nothing, and
 * one missed scrape is enough to get there; Prometheus' own advice is at least 4×.
 */
import { walk } from "../../../promql/ast.js";
import { formatDuration } from "../../../promql/format.js";
import type { LintRule } from "../../types.js";

const RATE_LIKE = new Set(["rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets", "predict_linear"]);
const MIN_SCRAPES = 4;

export const rule: LintRule = {
  meta: { id: "promql/rate-window", severity: "warning", description: "range of rate()/increase()/... shorter than 4 scrape intervals" },
  check(ctx) {
    const minMs = MIN_SCRAPES * ctx.scrapeIntervalMs;
    for (const e of ctx.exprs) {
      walk(e.expr, (node) => {
        if (node.type !== "call" || !RATE_LIKE.has(node.func)) return;
        const arg = node.args.find((a) => a.type === "matrix");
        if (arg?.type !== "matrix" || arg.range >= minMs) return;
        ctx.report({
          message: `${node.func}() over ${formatDuration(arg.range)} sees fewer than ${MIN_SCRAPES} samples at a ${formatDuration(ctx.scrapeIntervalMs)} scrape interval`,
          hint: `use a range of at least ${formatDuration(minMs)}`,
          at: e.at(arg.start, arg.end - arg.start),
          item: e.item,
        });
      });
    }
  },
};
