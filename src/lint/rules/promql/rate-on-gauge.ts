/**
 * promql/rate-on-gauge: a counter function on a gauge, or a gauge function on a counter.
 * rate/irate/increase/resets treat every decrease as a counter reset, so on a gauge that goes
 * down they invent huge increases. delta/idelta/deriv/predict_linear take the samples as they
 * are, so on a counter every restart shows up as a huge negative step. The type comes from the
 * declared signal: histogram `_bucket`/`_count`/`_sum` and summary `_count`/`_sum` are
 * counters, summary quantiles are gauges; recording rules are not checked (their type is not
 * declared).
 */
import { selectorMetric, walk } from "../../../promql/ast.js";
import type { SeriesInfo } from "../../../normalize/signals.js";
import type { LintRule } from "../../types.js";

const COUNTER_FUNCS = new Map(Object.entries({
  rate: "use deriv() for a gauge's per-second change",
  irate: "use deriv() (or idelta()) for a gauge's change",
  increase: "use delta() for a gauge's change over the range",
  resets: "use changes() to count changes of a gauge",
}));
const GAUGE_FUNCS = new Map(Object.entries({
  delta: "use increase() for a counter's growth over the range",
  idelta: "use irate() for a counter's latest per-second rate",
  deriv: "use rate() for a counter's per-second rate",
  predict_linear: "extrapolate the counter's rate instead, e.g. predict_linear over a rate() subquery, or alert on increase()",
}));

function kind(series: SeriesInfo): "counter" | "gauge" | undefined {
  if (!series.labels) return undefined; // a recording rule: type unknown
  if (series.part !== "value") return "counter";
  if (series.signal.type === "counter") return "counter";
  if (series.signal.type === "gauge" || series.signal.type === "summary") return "gauge";
  return undefined;
}

export const rule: LintRule = {
  meta: { id: "promql/rate-on-gauge", severity: "warning", description: "rate()/increase() on a gauge, or delta()/deriv() on a counter", needsSpec: true },
  check(ctx) {
    const signals = ctx.signals;
    if (!signals) return;
    for (const e of ctx.exprs) {
      walk(e.expr, (node) => {
        if (node.type !== "call") return;
        const counterFunc = COUNTER_FUNCS.get(node.func);
        const gaugeFunc = GAUGE_FUNCS.get(node.func);
        if (counterFunc === undefined && gaugeFunc === undefined) return;
        const arg = node.args.find((a) => a.type === "matrix");
        if (arg?.type !== "matrix") return;
        const metric = selectorMetric(arg.vector);
        const series = metric === undefined ? undefined : signals.series(metric);
        const k = series ? kind(series) : undefined;
        if (k === undefined) return;
        if (counterFunc !== undefined && k === "gauge") {
          ctx.report({
            message: `${node.func}() on gauge "${metric}": it treats every decrease as a counter reset`,
            hint: counterFunc,
            at: e.at(arg.start, arg.end - arg.start),
            item: e.item,
          });
        } else if (gaugeFunc !== undefined && k === "counter") {
          ctx.report({
            message: `${node.func}() on counter "${metric}": every counter reset shows up as a large drop`,
            hint: gaugeFunc,
            at: e.at(arg.start, arg.end - arg.start),
            item: e.item,
          });
        }
      });
    }
  },
};
