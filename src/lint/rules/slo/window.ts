/**
 * slo/window: an SLO window that is not a whole number of days, or shorter than the long window
 * of one of its burn-rate conditions.
 *
 * Error budgets are planned, reported and reset in days; a 36h window matches no calendar and
 * no report. A long window longer than the SLO window averages the error ratio over more time
 * than the SLO covers: it measures a budget the SLO does not have, and fires late or never.
 * Both still compile to valid rules, so they are lint (an error by default) rather than
 * normalization errors: a team can knowingly turn the rule off. Normalization only rejects
 * windows shorter than a day (VIG2013), which the 5m SLI resolution cannot serve.
 */
import { formatDuration, formatWindow } from "../../../promql/format.js";
import type { LintRule } from "../../types.js";

const DAY_MS = 86_400_000;

export const rule: LintRule = {
  meta: { id: "slo/window", severity: "error", description: "SLO window not a whole number of days, or shorter than the long window of one of its burn-rate alerts", needsSpec: true },
  check(ctx) {
    for (const slo of ctx.service?.slos ?? []) {
      if (slo.windowMs % DAY_MS !== 0) {
        const days = Math.max(1, Math.round(slo.windowMs / DAY_MS));
        ctx.report({
          message: `the SLO window ${formatWindow(slo.windowMs)} of "${slo.name}" is not a whole number of days`,
          hint: `use ${days}d: error budgets are planned and reported in days`,
          at: { ...slo.at, path: [...slo.at.path, "window"] },
          item: { kind: "slo", slo },
        });
      }
      for (const tier of slo.tiers) {
        tier.conditions.forEach((c, k) => {
          if (c.longMs <= slo.windowMs) return;
          ctx.report({
            message: `the SLO window ${formatWindow(slo.windowMs)} of "${slo.name}" is shorter than the ${formatDuration(c.longMs)} long window of its ${tier.tier} tier`,
            hint: `use a long window of at most ${formatWindow(slo.windowMs)}, or a longer SLO window`,
            at: { ...tier.at, path: [...tier.at.path, "windows", k, "long"] },
            item: { kind: "slo", slo },
          });
        });
      }
    }
  },
};
