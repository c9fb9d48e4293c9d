/**
 * rule/name: a recording rule not named `level:metric:operation`. Prometheus' naming
 * convention (https://prometheus.io/docs/practices/rules/) puts the aggregation level, the
 * metric and the operations in the name, separated by exactly two colons, so a reader can tell
 * a recorded series from a raw one (raw metrics never contain colons) and knows what it holds
 * without opening the rule: `job:http_requests:rate5m`, `instance_path:requests:ratio_rate5m`.
 * Each part is lower snake case. Vigil's own SLO recordings follow it (model/rule-names.ts).
 */
import type { LintRule } from "../../types.js";

const PART = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** `HTTPRequests` → `http_requests`, `rate-5m` → `rate_5m`. */
function snake(part: string): string {
  return part
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function problem(parts: readonly string[]): string | undefined {
  if (parts.length !== 3) return `it has ${parts.length - 1} colon${parts.length === 2 ? "" : "s"}, not 2`;
  if (parts.some((p) => p === "")) return "a part is empty";
  const bad = parts.filter((p) => !PART.test(p));
  if (bad.length) return `${bad.map((p) => `"${p}"`).join(" and ")} ${bad.length > 1 ? "are" : "is"} not lower snake case`;
  return undefined;
}

export const rule: LintRule = {
  meta: { id: "rule/name", severity: "warning", description: "recording rule name not in level:metric:operation form" },
  check(ctx) {
    for (const r of ctx.service?.recordings ?? []) {
      if (r.record === "") continue; // a rule with neither alert nor record: promtool's to report
      const parts = r.record.split(":");
      const why = problem(parts);
      if (!why) continue;
      const fixed = parts.length === 3 ? parts.map(snake).join(":") : undefined;
      ctx.report({
        message: `recording rule name "${r.record}" is not level:metric:operation: ${why}`,
        hint: fixed && problem(fixed.split(":")) === undefined ? `e.g. "${fixed}"` : "name it aggregation level, metric and operations, e.g. job:http_requests:rate5m",
        at: { ...r.at, path: [...r.at.path, "record"] },
        item: { kind: "recording", recording: r },
      });
    }
  },
};
