/**
 * slo/window: an SLO window shorter than the long window of one of its burn-rate conditions.
 * The condition would then average the error ratio over more time than the SLO itself covers:
 * it measures a budget the SLO does not have, and fires late or never.
 *
 * For specs this is already a compile error (VIG2014, normalize/slos.ts), as is a window that is
 * not a whole number of days (VIG2013), and lint only runs on specs that compile; so on a
 * compiled spec the rule cannot fire. It checks the model so the guarantee holds wherever the
 * model comes from (and is where the check belongs if normalization stops making it an error).
 * The whole-days check is left to normalization alone.
 */
import { formatDuration } from "../../../promql/format.js";
import type { LintRule } from "../../types.js";

export const rule: LintRule = {
  meta: { id: "slo/window", severity: "error", description: "SLO window shorter than the long window of one of its burn-rate alerts", needsSpec: true },
  check(ctx) {
    for (const slo of ctx.service?.slos ?? []) {
      for (const tier of slo.tiers) {
        tier.conditions.forEach((c, k) => {
          if (c.longMs <= slo.windowMs) return;
          ctx.report({
            message: `the SLO window ${formatDuration(slo.windowMs)} of "${slo.name}" is shorter than the ${formatDuration(c.longMs)} long window of its ${tier.tier} tier`,
            hint: `use a long window of at most ${formatDuration(slo.windowMs)}, or a longer SLO window`,
            at: { ...tier.at, path: [...tier.at.path, "windows", k, "long"] },
            item: { kind: "slo", slo },
          });
        });
      }
    }
  },
};
