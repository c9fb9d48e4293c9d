/**
 * An SLO's Prometheus rules.
 *
 * The SLI is recorded once, as error and total events per second over 5m. Every longer
 * window's error ratio — the burn-rate windows and the SLO period — is then
 *   sum_over_time(error_events[W]) / sum_over_time(total_events[W])
 * i.e. the sum of error events over the sum of total events: busy minutes weigh more than
 * quiet ones, unlike the mean of 5m ratios (Sloth's period SLI), and no raw 30-day range is
 * read, unlike Pyrra's `increase(x[30d])`.
 */
import type { BurnCondition, BurnTierModel, SloModel } from "../model/types.js";
import { SLO_RULES } from "../model/rule-names.js";
import { formatDuration, formatMatchers, formatNumber } from "../promql/format.js";
import { fillWindow } from "../promql/window.js";
import { sortedRecord } from "../util/yaml.js";
import type { AlertingRule, RecordingRule, RuleGroup } from "./rule-types.js";

const BASE_WINDOW_MS = 5 * 60_000;

/** Windows whose error ratio is recorded: the base, every burn-rate window, the period. */
export function sloWindows(slo: SloModel): number[] {
  const set = new Set<number>([BASE_WINDOW_MS, slo.windowMs]);
  for (const tier of slo.tiers) for (const c of tier.conditions) set.add(c.longMs).add(c.shortMs);
  return [...set].sort((a, b) => a - b);
}

/** `{service="x", slo="y"}`: selects one SLO's recorded series. */
export function sloSelector(slo: SloModel): string {
  return formatMatchers({ service: slo.ruleLabels.service!, slo: slo.name });
}

export function errorRatioExpr(slo: SloModel, windowMs: number): string {
  const sel = sloSelector(slo);
  if (windowMs === BASE_WINDOW_MS) return `${SLO_RULES.errorEvents}${sel}\n/\n${SLO_RULES.totalEvents}${sel}`;
  const w = formatDuration(windowMs);
  return `sum_over_time(${SLO_RULES.errorEvents}${sel}[${w}])\n/\nsum_over_time(${SLO_RULES.totalEvents}${sel}[${w}])`;
}

export function sloRuleGroups(slo: SloModel, service: string): RuleGroup[] {
  const labels = sortedRecord(slo.ruleLabels);
  const base = `vigil:${service}:slo:${slo.name}`;
  const sel = sloSelector(slo);

  const sli: RecordingRule[] = [
    { record: SLO_RULES.errorEvents, expr: fillWindow(slo.sli.errorQuery, "5m", 300), labels },
    { record: SLO_RULES.totalEvents, expr: fillWindow(slo.sli.totalQuery, "5m", 300), labels },
    ...sloWindows(slo)
      .filter((w) => w !== slo.windowMs)
      .map((w) => ({ record: SLO_RULES.errorRatio(w), expr: errorRatioExpr(slo, w), labels })),
  ];

  const period = SLO_RULES.errorRatio(slo.windowMs);
  const meta: RecordingRule[] = [
    { record: period, expr: errorRatioExpr(slo, slo.windowMs), labels },
    { record: SLO_RULES.objective, expr: `vector(${slo.objectiveRatioText})`, labels },
    { record: SLO_RULES.errorBudget, expr: `vector(${slo.budgetText})`, labels },
    { record: SLO_RULES.periodDays, expr: `vector(${formatNumber(slo.windowMs / 86_400_000)})`, labels },
    { record: SLO_RULES.currentBurnRate, expr: `${SLO_RULES.errorRatio(BASE_WINDOW_MS)}${sel} / ${slo.budgetText}`, labels },
    { record: SLO_RULES.periodBurnRate, expr: `${period}${sel} / ${slo.budgetText}`, labels },
    { record: SLO_RULES.budgetRemaining, expr: `1 - ${SLO_RULES.periodBurnRate}${sel}`, labels },
    {
      record: SLO_RULES.info,
      expr: "vector(1)",
      labels: sortedRecord({
        ...labels,
        objective: formatNumber(slo.objective),
        sli_kind: slo.sli.kind,
        team: slo.team,
        window: formatDuration(slo.windowMs),
      }),
    },
  ];

  const alerts: AlertingRule[] = slo.tiers.map((tier) => burnAlert(slo, tier));
  if (slo.noData) {
    alerts.push({
      alert: slo.noData.alertName,
      expr: `absent(${SLO_RULES.totalEvents}${sel})`,
      for: formatDuration(slo.noData.forMs),
      labels: sortedRecord({ ...labels, ...slo.alertLabels, severity: slo.noData.severity, team: slo.team }),
      annotations: sortedRecord(noDataAnnotations(slo, service)),
    });
  }

  const groups: RuleGroup[] = [
    { name: `${base}:sli`, rules: sli },
    { name: `${base}:meta`, rules: meta },
  ];
  if (alerts.length) groups.push({ name: `${base}:alerts`, rules: alerts });
  return groups;
}

function burnAlert(slo: SloModel, tier: BurnTierModel): AlertingRule {
  const expr = tier.conditions.map((c) => `(\n${indent(burnCondition(slo, c, tier))}\n)`).join("\nor\n");
  const rule: AlertingRule = { alert: slo.alertName, expr };
  if (tier.forMs > 0) rule.for = formatDuration(tier.forMs);
  rule.labels = sortedRecord({
    ...tier.labels,
    service: slo.ruleLabels.service!,
    slo: slo.name,
    severity: tier.severity,
    team: slo.team,
    tier: tier.tier,
  });
  rule.annotations = sortedRecord(tier.annotations);
  return rule;
}

/** Both windows over the threshold, plus the traffic guard on the page tier. */
export function burnCondition(slo: SloModel, c: BurnCondition, tier: BurnTierModel): string {
  const sel = sloSelector(slo);
  const threshold = `(${formatNumber(c.factor)} * ${slo.budgetText})`;
  const lines = [
    `${SLO_RULES.errorRatio(c.longMs)}${sel} > ${threshold}`,
    "and",
    `${SLO_RULES.errorRatio(c.shortMs)}${sel} > ${threshold}`,
  ];
  if (slo.minTraffic !== undefined && tier.tier === "page") {
    lines.push("and", `avg_over_time(${SLO_RULES.totalEvents}${sel}[${formatDuration(c.longMs)}]) >= ${formatNumber(slo.minTraffic)}`);
  }
  return lines.join("\n");
}

function noDataAnnotations(slo: SloModel, service: string): Record<string, string> {
  const out: Record<string, string> = {
    summary: `${service}: no data for the SLI of SLO ${slo.name}`,
    description:
      `The total events of SLO ${slo.name} have been absent for ${formatDuration(slo.noData!.forMs)}: ` +
      "the SLO and its burn-rate alerts cannot be evaluated. Check that the target is scraped and exposes the metric.",
  };
  if (slo.runbookUrl) out.runbook_url = slo.runbookUrl;
  return { ...out, ...slo.alertAnnotations };
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
