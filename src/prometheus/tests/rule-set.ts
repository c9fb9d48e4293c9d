/** The emitted rules, parsed, as the test synthesizer evaluates them. */
import type { Expr } from "../../promql/ast.js";
import { parsePromQLCached } from "../../promql/cache.js";
import type { RecordingDefinition } from "../../promql/eval/types.js";
import { isAlertingRule, type RuleGroup } from "../rule-types.js";

export interface ParsedAlert {
  name: string;
  expr: Expr;
  forMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleSet {
  recordings: Map<string, RecordingDefinition[]>;
  /** Recording expressions by name, for following selectors to the signals they read. */
  recordingExprs: Map<string, Expr[]>;
  alerts: Map<string, ParsedAlert[]>;
}

export function buildRuleSet(groups: readonly RuleGroup[], parseDurationMs: (d: string) => number): RuleSet {
  const set: RuleSet = { recordings: new Map(), recordingExprs: new Map(), alerts: new Map() };
  for (const group of groups) {
    for (const rule of group.rules) {
      const parsed = parsePromQLCached(rule.expr);
      if (!parsed.ok) throw new Error(`vigil: generated an expression that does not parse: ${rule.expr}`);
      if (isAlertingRule(rule)) {
        const list = set.alerts.get(rule.alert) ?? [];
        list.push({
          name: rule.alert,
          expr: parsed.expr,
          forMs: rule.for ? parseDurationMs(rule.for) : 0,
          labels: rule.labels ?? {},
          annotations: rule.annotations ?? {},
        });
        set.alerts.set(rule.alert, list);
      } else {
        set.recordings.set(rule.record, [...(set.recordings.get(rule.record) ?? []), { expr: parsed.expr, labels: rule.labels ?? {} }]);
        set.recordingExprs.set(rule.record, [...(set.recordingExprs.get(rule.record) ?? []), parsed.expr]);
      }
    }
  }
  return set;
}
