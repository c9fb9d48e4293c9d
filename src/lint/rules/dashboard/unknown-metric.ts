/**
 * dashboard/unknown-metric: a query of a declared dashboard selects a series that no declared
 * signal, recording rule or Prometheus built-in provides, so its panel stays empty ("No data")
 * — usually a typo or an undeclared signal. Same names as promql/unknown-metric (whose logic
 * this reuses); selectors made of a Grafana variable (`$metric`) are left alone.
 */
import type { LintRule } from "../../types.js";
import { reportUnknownMetrics } from "../promql/unknown-metric.js";

export const rule: LintRule = {
  meta: { id: "dashboard/unknown-metric", severity: "warning", description: "dashboard query on a metric that no declared signal or recording rule provides", needsSpec: true },
  check(ctx) {
    if (!ctx.signals || !ctx.dashboardQueries) return;
    // A name made (in part) of a variable's placeholder is not a name the user wrote.
    reportUnknownMetrics(ctx, ctx.signals, ctx.dashboardQueries, "the panel shows no data", (name, e) =>
      e.variables.some((v) => v.start < name.start + name.length && v.end > name.start),
    );
  },
};
