/**
 * Threshold alerts → one alerting rule per severity. A ladder (`thresholds: { critical: 0.05,
 * warning: 0.01 }`) yields rules that share the alert name, as the monitoring mixins do, so
 * Alertmanager can let the critical one inhibit the warning one.
 */
import { SEVERITIES } from "../model/severity.js";
import type { AlertRuleModel } from "../model/types.js";
import { formatNumber } from "../promql/format.js";
import type { AlertSpec, Comparison, Severity } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { checkRuleLabels } from "./labels.js";
import { didYouMean, METRIC_NAME } from "./names.js";
import { checkIntervalRefs } from "./routing.js";

const DEFAULT_FOR_MS = 5 * 60_000;

export interface AlertContext {
  service: string;
  team: string;
  teams: ReadonlySet<string>;
  serviceLabels: Record<string, string>;
  runbookBaseUrl: string | undefined;
  /** Time interval names declared by the specs compiled together (unchecked when absent). */
  timeIntervals?: ReadonlySet<string>;
}

export function normalizeAlerts(specs: readonly AlertSpec[], ac: AlertContext, ctx: NormalizeContext): AlertRuleModel[] {
  const seen = new Map<string, number>();
  const out: AlertRuleModel[] = [];
  specs.forEach((spec, i) => {
    const path: Path = ["alerts", i];
    if (!METRIC_NAME.test(spec.name)) {
      ctx.report("VIG2009", `invalid alert name "${spec.name}"`, [...path, "name"], { hint: "alert names match [a-zA-Z_:][a-zA-Z0-9_:]*, e.g. HighErrorRate" });
    }
    const rules = severityRules(spec, path, ctx);
    const team = spec.team ?? ac.team;
    if (spec.team !== undefined && !ac.teams.has(spec.team)) {
      ctx.report("VIG2008", `unknown team "${spec.team}"`, [...path, "team"], { hint: didYouMean(spec.team, ac.teams) ?? "declare it in teams" });
    }
    checkRuleLabels(spec.labels ?? {}, [...path, "labels"], ctx);
    const forOf = forPerSeverity(spec, rules, path, ctx);
    const runbook = spec.runbook ?? (ac.runbookBaseUrl ? `${ac.runbookBaseUrl}#${spec.name}` : undefined);
    const maintenance = spec.maintenance?.length ? checkIntervalRefs(spec.maintenance, [...path, "maintenance"], ctx, ac.timeIntervals) : [];
    for (const { severity, comparison } of rules) {
      const key = `${spec.name}/${severity}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.report("VIG2004", `alert "${spec.name}" with severity ${severity} is declared twice`, [...path, "name"], {
          related: [{ message: "first declared here", at: ctx.ref(["alerts", first, "name"]) }],
        });
        continue;
      }
      seen.set(key, i);
      const annotations: Record<string, string> = { summary: spec.summary, description: spec.description };
      if (runbook) annotations.runbook_url = runbook;
      const rule: AlertRuleModel = {
        id: `${ac.service}/${key}`,
        name: spec.name,
        severity,
        source: { text: spec.expr, at: ctx.ref([...path, "expr"]) },
        forMs: forOf(severity),
        team,
        labels: { ...ac.serviceLabels, ...(spec.labels ?? {}), severity, team },
        annotations: { ...annotations, ...(spec.annotations ?? {}) },
        at: ctx.ref(path),
        lintDisable: { ...(spec.lintDisable ?? {}) },
      };
      if (comparison) rule.comparison = comparison;
      if (spec.serviceDown) rule.serviceDown = true;
      if (maintenance.length) rule.maintenance = [...maintenance];
      out.push(rule);
    }
  });
  return out;
}

interface SeverityRule {
  severity: Severity;
  comparison?: { op: Comparison; threshold: number };
}

/** `for` as one duration, or one per severity of the ladder (each checked where it is written). */
function forPerSeverity(spec: AlertSpec, rules: readonly SeverityRule[], path: Path, ctx: NormalizeContext): (severity: Severity) => number {
  const given = spec.for;
  if (given === undefined || typeof given === "string") {
    const ms = ctx.duration(given, DEFAULT_FOR_MS, [...path, "for"]);
    return () => ms;
  }
  const ms = new Map<Severity, number>();
  for (const severity of SEVERITIES) {
    if (given[severity] === undefined) continue;
    if (!rules.some((r) => r.severity === severity)) {
      ctx.report("VIG2010", `\`for\` names severity ${severity}, which this alert does not have`, [...path, "for", severity], {
        key: true,
        hint: `its severities: ${rules.map((r) => r.severity).join(", ") || "none"}`,
      });
      continue;
    }
    ms.set(severity, ctx.duration(given[severity], DEFAULT_FOR_MS, [...path, "for", severity]));
  }
  return (severity) => ms.get(severity) ?? DEFAULT_FOR_MS;
}

function severityRules(spec: AlertSpec, path: Path, ctx: NormalizeContext): SeverityRule[] {
  const op = spec.op ?? ">";
  if (spec.thresholds !== undefined) {
    if (spec.threshold !== undefined || spec.severity !== undefined) {
      ctx.report("VIG2010", "give either `thresholds`, or `threshold` with `severity`, not both", [...path, "thresholds"], { key: true });
      return [];
    }
    const ladder = SEVERITIES.flatMap((severity) => {
      const t = spec.thresholds![severity];
      return t === undefined ? [] : [{ severity, comparison: { op, threshold: t } }];
    });
    if (ladder.length === 0) {
      ctx.report("VIG2010", "`thresholds` needs at least one of critical, warning or info", [...path, "thresholds"], { key: true });
      return [];
    }
    if (ladder.length > 1 && (op === "==" || op === "!=")) {
      ctx.report("VIG2010", `a severity ladder needs an ordering comparison, not "${op}"`, [...path, "op"]);
      return [];
    }
    checkLadderOrder(ladder, op, path, ctx);
    return ladder;
  }
  if (spec.severity === undefined) {
    ctx.report("VIG2010", "an alert needs a `severity` (critical, warning or info), or `thresholds` per severity", [...path, "name"], {
      hint: "e.g. threshold: 0.05, severity: \"critical\"",
    });
    return [];
  }
  if (spec.threshold !== undefined) return [{ severity: spec.severity, comparison: { op, threshold: spec.threshold } }];
  if (spec.op !== undefined) {
    ctx.report("VIG2010", "`op` needs a `threshold` to compare with", [...path, "op"]);
  }
  return [{ severity: spec.severity }];
}

/** With `>` a critical threshold must be stricter (higher) than warning, and warning than info. */
function checkLadderOrder(ladder: SeverityRule[], op: Comparison, path: Path, ctx: NormalizeContext): void {
  const up = op === ">" || op === ">=";
  for (let k = 1; k < ladder.length; k++) {
    const stricter = ladder[k - 1]!;
    const looser = ladder[k]!;
    const a = stricter.comparison!.threshold;
    const b = looser.comparison!.threshold;
    if (up ? a <= b : a >= b) {
      ctx.report(
        "VIG2011",
        `${stricter.severity} threshold ${formatNumber(a)} must be ${up ? "above" : "below"} the ${looser.severity} threshold ${formatNumber(b)} for "${op}"`,
        [...path, "thresholds", stricter.severity],
      );
    }
  }
}
