/** User-supplied rule labels: valid names, and none of the labels Vigil sets itself. */
import type { NormalizeContext, Path } from "./context.js";
import { isValidLabelName } from "./names.js";

/** Labels Vigil derives; a user label of the same name would silently break routing or tests. */
export const RESERVED_LABELS = new Set(["alertname", "severity", "team", "service", "slo", "tier"]);

export function checkRuleLabels(labels: Record<string, string>, path: Path, ctx: NormalizeContext): void {
  for (const name of Object.keys(labels)) {
    if (RESERVED_LABELS.has(name)) {
      ctx.report("VIG2018", `label "${name}" is set by Vigil and cannot be overridden here`, [...path, name], { key: true });
    } else if (!isValidLabelName(name)) {
      ctx.report("VIG2019", `invalid label name "${name}"`, [...path, name], { key: true, hint: "label names match [a-zA-Z_][a-zA-Z0-9_]* and do not start with __" });
    }
  }
}
