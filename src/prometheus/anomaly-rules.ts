/**
 * An anomaly alert's Prometheus rules, one group per anomaly in a rule file of their own
 * (`<service>.anomalies.rules.yml`), so its tests, which need a baseline of history, evaluate
 * only these rules.
 *
 * The watched value is recorded every 5m (the group's interval: a week of it is 2016 samples,
 * where the global 15s would be 40320 at every evaluation), then over the baseline B:
 *   mean and standard deviation         avg_over_time / stddev_over_time (value[B])
 *   the value one season ago            avg_over_time(value[1h] offset B-30m): the hour around now, B ago
 *   expected                            that (seasonal), or the mean while that exists
 *   band                                expected ± sensitivity × stddev, and the z-score
 * The alert fires when the value stays outside the band (on the side asked for) for `for`,
 * and, with `minTraffic`, while the value or the expected value is at least that much. The
 * band exists only once there is a season of history (the value B ago): a young series has a
 * standard deviation of a few samples, which any wobble would leave.
 */
import type { AnomalyModel, ServiceModel } from "../model/types.js";
import { ANOMALY_LABEL, ANOMALY_RULES } from "../model/rule-names.js";
import { formatDuration, formatMatchers, formatNumber } from "../promql/format.js";
import { sortedRecord } from "../util/yaml.js";
import type { AlertingRule, RecordingRule, RuleGroup } from "./rule-types.js";

const MINUTE = 60_000;
/** How often the anomaly groups are evaluated in production (promtool evaluates at its own interval). */
export const ANOMALY_GROUP_INTERVAL_MS = 5 * MINUTE;
/** The expected value is the mean of the value over this window around the same time one season ago. */
export const SEASON_WINDOW_MS = 60 * MINUTE;

export function anomalyRulesFilePath(service: ServiceModel): string {
  return `prometheus/rules/${service.name}.anomalies.rules.yml`;
}

export function anomalyGroupName(service: ServiceModel, anomaly: AnomalyModel): string {
  return `vigil:${service.name}:anomaly:${anomaly.name}`;
}

/** `{service="x", anomaly="y"}`: selects one anomaly's recorded series. */
export function anomalySelector(anomaly: AnomalyModel): string {
  return formatMatchers({ service: anomaly.ruleLabels.service!, [ANOMALY_LABEL]: anomaly.name });
}

export function anomalyRuleGroups(service: ServiceModel): RuleGroup[] {
  return (service.anomalies ?? []).map((a) => ({ name: anomalyGroupName(service, a), interval: formatDuration(ANOMALY_GROUP_INTERVAL_MS), rules: anomalyRules(a) }));
}

function anomalyRules(a: AnomalyModel): (RecordingRule | AlertingRule)[] {
  const sel = anomalySelector(a);
  const labels = sortedRecord(a.ruleLabels);
  const value = `${ANOMALY_RULES.value}${sel}`;
  const mean = `${ANOMALY_RULES.mean(a.baselineMs)}${sel}`;
  const stddev = `${ANOMALY_RULES.stddev(a.baselineMs)}${sel}`;
  const lastSeason = `${ANOMALY_RULES.lastSeason}${sel}`;
  const expected = `${ANOMALY_RULES.expected}${sel}`;
  const k = formatNumber(a.sensitivity);
  const offset = formatDuration(a.baselineMs - SEASON_WINDOW_MS / 2);
  const record = (name: string, expr: string): RecordingRule => ({ record: name, expr, labels });
  const rules: (RecordingRule | AlertingRule)[] = [
    record(ANOMALY_RULES.value, a.valueQuery),
    record(ANOMALY_RULES.mean(a.baselineMs), `avg_over_time(${value}[${formatDuration(a.baselineMs)}])`),
    record(ANOMALY_RULES.stddev(a.baselineMs), `stddev_over_time(${value}[${formatDuration(a.baselineMs)}])`),
    record(ANOMALY_RULES.lastSeason, `avg_over_time(${value}[${formatDuration(SEASON_WINDOW_MS)}] offset ${offset})`),
    record(ANOMALY_RULES.expected, a.seasonal ? lastSeason : `${mean} and ${lastSeason}`),
    record(ANOMALY_RULES.upper, `${expected} + ${k} * ${stddev}`),
    record(ANOMALY_RULES.lower, `${expected} - ${k} * ${stddev}`),
    record(ANOMALY_RULES.zscore, `(${value} - ${expected}) / ${stddev}`),
  ];
  const alert: AlertingRule = { alert: a.alertName, expr: alertExpr(a) };
  if (a.forMs > 0) alert.for = formatDuration(a.forMs);
  alert.labels = sortedRecord(a.labels);
  alert.annotations = sortedRecord(a.annotations);
  rules.push(alert);
  return rules;
}

/**
 * Outside the band on the side asked for; with minTraffic, while the value or the expected
 * value is busy enough. One-sided, one of the two decides: above the band the value exceeds the
 * expected value, below it the expected value exceeds the value, so the guard reads the larger.
 */
export function alertExpr(a: AnomalyModel): string {
  const sel = anomalySelector(a);
  const value = `${ANOMALY_RULES.value}${sel}`;
  const above = `${value} > ${ANOMALY_RULES.upper}${sel}`;
  const below = `${value} < ${ANOMALY_RULES.lower}${sel}`;
  const outside = a.direction === "above" ? above : a.direction === "below" ? below : `(\n  ${above}\nor\n  ${below}\n)`;
  if (a.minTraffic === undefined) return outside;
  const m = formatNumber(a.minTraffic);
  if (a.direction === "above") return `${above}\nand\n${value} >= ${m}`;
  if (a.direction === "below") return `${below}\nand\n${ANOMALY_RULES.expected}${sel} >= ${m}`;
  return `${outside}\nand\n(\n  ${value} >= ${m}\nor\n  ${ANOMALY_RULES.expected}${sel} >= ${m}\n)`;
}
