/** Threshold alerts and user recording rules as written, comparisons added where asked. */
import type { AlertRuleModel, RecordingModel } from "../model/types.js";
import { parsePromQLCached } from "../promql/cache.js";
import { formatDuration, formatNumber } from "../promql/format.js";
import { sortedRecord } from "../util/yaml.js";
import type { AlertingRule, RecordingRule } from "./rule-types.js";

export function thresholdAlertRule(alert: AlertRuleModel): AlertingRule {
  const rule: AlertingRule = { alert: alert.name, expr: alertExpr(alert) };
  if (alert.forMs > 0) rule.for = formatDuration(alert.forMs);
  rule.labels = sortedRecord(alert.labels);
  rule.annotations = sortedRecord(alert.annotations);
  return rule;
}

/** The alert's expression with its comparison, parenthesised only where precedence needs it. */
export function alertExpr(alert: AlertRuleModel): string {
  const text = alert.source.text.trim();
  if (!alert.comparison) return text;
  const { op, threshold } = alert.comparison;
  return `${needsParens(text) ? `(${text})` : text} ${op} ${formatNumber(threshold)}`;
}

/** `a or b > 1` would compare only `b`: set operators and comparisons bind looser than `>`. */
function needsParens(text: string): boolean {
  const parsed = parsePromQLCached(text);
  if (!parsed.ok) return true;
  const e = parsed.expr;
  return e.type === "binary" && ["and", "or", "unless", "==", "!=", ">", "<", ">=", "<="].includes(e.op);
}

export function recordingRule(r: RecordingModel): RecordingRule {
  const rule: RecordingRule = { record: r.record, expr: r.source.text.trim() };
  if (Object.keys(r.labels).length) rule.labels = sortedRecord(r.labels);
  return rule;
}
