/**
 * Every lint rule, in id order. A meta-test checks that each file under rules/ is listed here,
 * that ids match file paths, and that each rule has its docs page under spec/lint/.
 */
import type { LintRule } from "./types.js";
import { rule as alertsAnnotations } from "./rules/alerts/annotations.js";
import { rule as alertsComparison } from "./rules/alerts/comparison.js";
import { rule as alertsFor } from "./rules/alerts/for.js";
import { rule as alertsRouting } from "./rules/alerts/routing.js";
import { rule as alertsSeverity } from "./rules/alerts/severity.js";
import { rule as alertsTemplate } from "./rules/alerts/template.js";
import { rule as dashboardUnknownMetric } from "./rules/dashboard/unknown-metric.js";
import { rule as probePlaintextSecret } from "./rules/probe/plaintext-secret.js";
import { rule as ruleDuplicate } from "./rules/rule/duplicate.js";
import { rule as ruleName } from "./rules/rule/name.js";
import { rule as sloNoTraffic } from "./rules/slo/no-traffic.js";
import { rule as sloObjective } from "./rules/slo/objective.js";
import { rule as sloWindow } from "./rules/slo/window.js";
import { rule as specOwner } from "./rules/spec/owner.js";
import { rule as specSecret } from "./rules/spec/secret.js";
import { rule as promqlDivisionNan } from "./rules/promql/division-nan.js";
import { rule as promqlFragile } from "./rules/promql/fragile.js";
import { rule as promqlImpossible } from "./rules/promql/impossible.js";
import { rule as promqlHistogramQuantileLe } from "./rules/promql/histogram-quantile-le.js";
import { rule as promqlRateOfSum } from "./rules/promql/rate-of-sum.js";
import { rule as promqlRateOnGauge } from "./rules/promql/rate-on-gauge.js";
import { rule as promqlRateWindow } from "./rules/promql/rate-window.js";
import { rule as promqlRegexp } from "./rules/promql/regexp.js";
import { rule as promqlSyntax } from "./rules/promql/syntax.js";
import { rule as promqlType } from "./rules/promql/type.js";
import { rule as promqlUnknownLabel } from "./rules/promql/unknown-label.js";
import { rule as promqlUnknownMetric } from "./rules/promql/unknown-metric.js";

export const LINT_RULES: readonly LintRule[] = [
  alertsAnnotations,
  alertsComparison,
  alertsFor,
  alertsRouting,
  alertsSeverity,
  alertsTemplate,
  dashboardUnknownMetric,
  probePlaintextSecret,
  ruleDuplicate,
  ruleName,
  sloNoTraffic,
  sloObjective,
  sloWindow,
  specOwner,
  specSecret,
  promqlDivisionNan,
  promqlFragile,
  promqlImpossible,
  promqlHistogramQuantileLe,
  promqlRateOfSum,
  promqlRateOnGauge,
  promqlRateWindow,
  promqlRegexp,
  promqlSyntax,
  promqlType,
  promqlUnknownLabel,
  promqlUnknownMetric,
].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));

const BY_ID = new Map(LINT_RULES.map((r) => [r.meta.id as string, r]));

export function lintRule(id: string): LintRule | undefined {
  return BY_ID.get(id);
}
