/**
 * Tests for a threshold alert: for each severity, inputs that push the expression just past
 * that severity's threshold (and not past stricter ones); and inputs that keep it just on
 * the safe side of the loosest threshold, so nothing fires.
 */
import type { AlertRuleModel } from "../../model/types.js";
import { isGeneratedRecording } from "../../model/rule-names.js";
import { walk, type Expr } from "../../promql/ast.js";
import { parsePromQLCached } from "../../promql/cache.js";
import { Unsupported, type Sample } from "../../promql/eval/types.js";
import type { Comparison, Severity } from "../../spec/types.js";
import { expectedAlerts, templatesRobust } from "./expect.js";
import { inputSeries, logDistance, lookbackMs, quickEval, roundUpToInterval, type PlannedTest, type SynthContext } from "./plan.js";
import { search, type Judgement } from "./search.js";
import { collectLeaves, domain, variantsFor, type Param } from "./variants.js";

const SEVERITY_ORDER: readonly Severity[] = ["critical", "warning", "info"];
const MARGIN = 0.01;

interface Rule {
  model: AlertRuleModel;
  /** The expression whose output fires the rule: the base when Vigil adds the comparison. */
  expr: Expr;
}

function compare(op: Comparison, a: number, b: number): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case "==":
      return a === b;
    case "!=":
      return a !== b;
  }
}

export function thresholdTests(alerts: readonly AlertRuleModel[], ctx: SynthContext): PlannedTest[] {
  const name = alerts[0]!.name;
  const base = parsePromQLCached(alerts[0]!.source.text);
  if (!base.ok) throw new Unsupported("the expression does not parse");
  const rules: Rule[] = [...alerts]
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
    .map((model) => ({ model, expr: model.comparison ? base.expr : ctx.rules.alerts.get(name)!.find((r) => r.labels.severity === model.severity)!.expr }));

  const leaves = collectLeaves(base.expr, ctx.signals, ctx.rules.recordingExprs);
  const variants = variantsFor(leaves, ctx.defaults);
  const thresholds = rules.flatMap((r) => (r.model.comparison ? [r.model.comparison.threshold] : []));
  const domains = variants.map((v) => domain(v, thresholds));
  const lookback = lookbackMs(base.expr, ctx.rules.recordingExprs, isGeneratedRecording);
  // An expression reading the clock (`time() - start_time > 600`) needs a test long enough
  // for its value to reach past every threshold on both sides.
  const clock = readsClock(base.expr) ? 2 * Math.max(0, ...thresholds.map(Math.abs)) * 1000 : 0;
  const timeMs = roundUpToInterval(Math.max(clock, lookback + Math.max(...rules.map((r) => r.model.forMs)) + 2 * 60_000));

  const firing = (params: readonly Param[]): { samples: Sample[]; fired: Sample[][] } => {
    const series = inputSeries(variants, params);
    const samples = quickEval(base.expr, ctx, series, timeMs);
    const fired = rules.map((r) => {
      const c = r.model.comparison;
      return c ? samples.filter((s) => compare(c.op, s.value, c.threshold)) : quickEval(r.expr, ctx, series, timeMs);
    });
    return { samples, fired };
  };

  const withinMargins = (samples: readonly Sample[]): boolean =>
    samples.every(
      (s) =>
        Number.isFinite(s.value) &&
        rules.every((r) => {
          const c = r.model.comparison;
          if (!c || c.op === "==" || c.op === "!=") return true;
          // Zero is exact in every engine (a flat counter's rate, a zero gauge): no tie risk.
          if (s.value === 0 && c.threshold === 0) return true;
          return Math.abs(s.value - c.threshold) >= MARGIN * Math.max(Math.abs(c.threshold), 1e-6);
        }),
    );

  const present = (params: readonly Param[]) => params.filter((p) => p !== undefined).length;
  const plans: PlannedTest[] = [];
  const targets: (number | "quiet")[] = [...rules.keys(), "quiet"];
  for (const target of targets) {
    const objective = (params: readonly Param[]): Judgement => {
      const { samples, fired } = firing(params);
      if (!withinMargins(samples)) return { feasible: false, score: 1e6 };
      const tidiness = 0.001 * samples.length + 0.0001 * present(params);
      if (target === "quiet") {
        const anyFired = fired.some((f) => f.length > 0);
        const needsSeries = rules.some((r) => r.model.comparison);
        const feasible = !anyFired && (!needsSeries || samples.length > 0);
        const loosest = rules[rules.length - 1]!.model.comparison;
        const closeness = loosest && samples.length ? Math.min(...samples.map((s) => logDistance(s.value, loosest.threshold))) : 1 / (1 + present(params));
        return { feasible, score: closeness + tidiness };
      }
      const mine = fired[target]!;
      const stricterQuiet = fired.slice(0, target).every((f) => f.length === 0);
      const feasible = mine.length > 0 && stricterQuiet && templatesRobust(ctx.rules, name, mine);
      const c = rules[target]!.model.comparison;
      const closeness = c && mine.length ? Math.min(...mine.map((s) => logDistance(s.value, c.threshold))) : 0;
      return { feasible, score: (feasible ? 0 : 100 + fired.filter((f) => f.length).length) + closeness + tidiness };
    };

    const params = search(domains, objective);
    const what = target === "quiet" ? "stays silent" : `fires at ${rules[target]!.model.severity}`;
    if (!params) throw new Unsupported(`found no input series for which ${name} ${what}`);
    const series = inputSeries(variants, params);
    const expected = expectedAlerts(ctx.rules, name, series, timeMs);
    const severities = new Set(expected.map((e) => e.labels.severity));
    if (target === "quiet" ? expected.length > 0 : !severities.has(rules[target]!.model.severity)) {
      throw new Unsupported(`the chosen inputs do not make ${name} ${what} in both Prometheus 2.x and 3.x range modes`);
    }
    plans.push({
      name: `alert ${name}: ${describeOutcome(expected.map((e) => e.labels.severity ?? ""), target === "quiet")}`,
      variants,
      phases: [{ params, steps: timeMs / 60_000 }],
      evalTimeMs: timeMs,
      alerts: [{ alertName: name, expected }],
      exprs: [],
    });
  }
  return plans;
}

function readsClock(expr: Expr): boolean {
  let found = false;
  walk(expr, (node) => {
    if (node.type === "call" && node.func === "time") found = true;
  });
  return found;
}

function describeOutcome(severities: string[], quiet: boolean): string {
  if (quiet) return "on the safe side of every threshold, nothing fires";
  const ordered = SEVERITY_ORDER.filter((s) => severities.includes(s));
  return `past the ${ordered[0]} threshold, fires ${ordered.join(" and ")}`;
}
