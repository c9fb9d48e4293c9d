/**
 * A service's rules, split into files by what their tests must evaluate: promtool evaluates
 * every rule of the files a test loads at every step, so an SLO's tests (hours to days of
 * series) load only that SLO's file, and an alert comparing with last week only its own.
 *   <service>.rules.yml                recordings, threshold and event alerts
 *   <service>.slo-<slo>.rules.yml      one SLO: SLI windows, meta, burn-rate and no-data alerts
 *   <service>.history.rules.yml        alerts comparing with more than 6h ago (`offset 1w`)
 *   <service>.anomalies.rules.yml      anomaly baselines and bands (anomaly-rules.ts)
 * Prometheus loads them all (`rules/*.rules.yml`); the groups are the same as in one file.
 */
import type { AlertRuleModel, ServiceModel } from "../model/types.js";
import { walk, type Expr, type LabelMatcher } from "../promql/ast.js";
import { parsePromQLCached } from "../promql/cache.js";
import { anomalyRuleGroups, anomalyRulesFilePath } from "./anomaly-rules.js";
import { sloRulesStem } from "../model/file-names.js";
import type { RuleGroup } from "./rule-types.js";
import { sloRuleGroups } from "./slo-rules.js";
import { recordingRule, thresholdAlertRule } from "./threshold-rules.js";

export { sloRulesStem };

export interface RuleFile {
  /** e.g. `prometheus/rules/api.slo-availability.rules.yml`. */
  path: string;
  /** The path without directory and `.rules.yml`: its tests are `<stem>.test.yml`. */
  stem: string;
  groups: RuleGroup[];
}

/** Alerts reading further back than this are tested over a week of history, in a file of their own. */
export const HISTORY_REACH_MS = 6 * 3_600_000;

export function serviceRuleFiles(service: ServiceModel): RuleFile[] {
  const files: RuleFile[] = [];
  // The service's own file is always written (with no groups if it has no rules of its own):
  // it is where a reader looks for the service's rules first.
  const add = (stem: string, groups: RuleGroup[], path = `prometheus/rules/${stem}.rules.yml`) => {
    if (groups.length || stem === service.name) files.push({ path, stem, groups });
  };
  const history = service.alerts.filter(comparesWithPast);
  const current = service.alerts.filter((a) => !comparesWithPast(a));
  add(service.name, [
    ...(service.recordings.length ? [{ name: `vigil:${service.name}:recordings`, rules: service.recordings.map(recordingRule) }] : []),
    ...(current.length ? [{ name: `vigil:${service.name}:alerts`, rules: current.map(thresholdAlertRule) }] : []),
  ]);
  for (const slo of service.slos) add(sloRulesStem(service.name, slo.name), sloRuleGroups(slo, service.name));
  if (history.length) add(`${service.name}.history`, [{ name: `vigil:${service.name}:history`, rules: history.map(thresholdAlertRule) }]);
  add(`${service.name}.anomalies`, anomalyRuleGroups(service), anomalyRulesFilePath(service));
  return files;
}

/** Whether an alert reads further back than HISTORY_REACH_MS (`… offset 1w`). */
export function comparesWithPast(alert: AlertRuleModel): boolean {
  const parsed = parsePromQLCached(alert.source.text);
  return parsed.ok && maxOffset(parsed.expr) > HISTORY_REACH_MS;
}

/** The longest `offset` an expression reads at. */
export function maxOffset(expr: Expr): number {
  let max = 0;
  walk(expr, (node) => {
    if (node.type === "vector" || node.type === "subquery") max = Math.max(max, node.offset ?? 0);
  });
  return max;
}

/** The range of every range selector and subquery of an expression. */
export function rangesOf(expr: Expr): number[] {
  const out: number[] = [];
  walk(expr, (node) => {
    if (node.type === "matrix" || node.type === "subquery") out.push(node.range);
  });
  return out;
}

/**
 * The service's files a test of `file` must load: it, and every file recording a series its
 * rules read, transitively. SLOs record the same names, told apart by their labels: a file is
 * needed only where a recording's labels agree with the selector's equality matchers.
 */
export function ruleFilesNeeded(file: RuleFile, all: readonly RuleFile[]): RuleFile[] {
  const recorders = new Map<string, { file: RuleFile; labels: Record<string, string> }[]>();
  for (const f of all) {
    for (const g of f.groups) {
      for (const r of g.rules) if ("record" in r) recorders.set(r.record, [...(recorders.get(r.record) ?? []), { file: f, labels: r.labels ?? {} }]);
    }
  }
  const needed = new Set<RuleFile>([file]);
  const queue = [file];
  while (queue.length) {
    const f = queue.pop()!;
    for (const g of f.groups) {
      for (const r of g.rules) {
        const parsed = parsePromQLCached(r.expr);
        if (!parsed.ok) continue;
        walk(parsed.expr, (node) => {
          if (node.type !== "vector" || node.name === undefined) return;
          for (const rec of recorders.get(node.name) ?? []) {
            if (needed.has(rec.file) || !agrees(node.matchers, rec.labels)) continue;
            needed.add(rec.file);
            queue.push(rec.file);
          }
        });
      }
    }
  }
  return all.filter((f) => needed.has(f));
}

function agrees(matchers: readonly LabelMatcher[], labels: Record<string, string>): boolean {
  return matchers.every((m) => m.op !== "=" || labels[m.name] === undefined || labels[m.name] === m.value);
}
