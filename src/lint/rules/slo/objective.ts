/**
 * slo/objective: an objective so low that a burn-rate tier can never fire. A condition fires
 * when the error ratio exceeds factor × error budget; an error ratio cannot exceed 1, so once
 * factor × budget ≥ 1 the condition is dead. When that holds for every condition of a tier,
 * the tier — a page or a ticket — can never fire at all, and the SLO looks guarded while it is
 * not (with the workbook's factors the page tier dies at objectives of 83.3% and below).
 *
 * Normalization already reports each dead condition as a warning (VIG2015, normalize/slos.ts),
 * also when another condition keeps the tier alive; this rule reports the tier that is dead as
 * a whole, as an error. An objective outside (0, 100) is a compile error there (VIG2003) and
 * the SLO never reaches the model, so it is not repeated here.
 */
import { formatNumber } from "../../../promql/format.js";
import type { LintRule } from "../../types.js";

export const rule: LintRule = {
  meta: { id: "slo/objective", severity: "error", description: "SLO objective so low that a burn-rate tier can never fire", needsSpec: true },
  check(ctx) {
    for (const slo of ctx.service?.slos ?? []) {
      for (const tier of slo.tiers) {
        if (tier.conditions.length === 0 || tier.conditions.some((c) => c.factor * slo.budget < 1)) continue;
        const factor = Math.min(...tier.conditions.map((c) => c.factor));
        // The tier fires again once some factor × budget < 1: budget < 1/factor, objective > 100 × (1 - 1/factor).
        const minObjective = 100 * (1 - 1 / factor);
        ctx.report({
          message:
            `the ${tier.tier} tier of SLO "${slo.name}" can never fire: at objective ${formatNumber(slo.objective)}% the error budget is ${slo.budgetText}, ` +
            `and even its lowest burn factor ${formatNumber(factor)} puts the threshold at ${formatNumber(factor * slo.budget)}, above the highest possible error ratio of 1`,
          hint: `raise the objective above ${formatNumber(minObjective)}%, or give the tier a burn factor below ${formatNumber(1 / slo.budget)}`,
          // The objective is what makes the tier dead (and the tier itself may not be written).
          at: { ...slo.at, path: [...slo.at.path, "objective"] },
          item: { kind: "slo", slo },
        });
      }
    }
  },
};
