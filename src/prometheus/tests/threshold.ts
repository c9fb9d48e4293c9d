/**
 * Tests for a threshold alert. Each severity gets a pair of boundary cases: inputs that put the
 * expression just past its threshold (and not past stricter ones) — it fires exactly when its
 * `for` has elapsed, not a minute earlier — and inputs that keep it just short of it. The last
 * "just short" case is on the safe side of every threshold: nothing fires. Expressions that
 * compare with the past (`offset 1w`) get a test in two phases: the past, then now.
 */
import type { AlertRuleModel } from "../../model/types.js";
import { isGeneratedRecording } from "../../model/rule-names.js";
import { walk, type Expr } from "../../promql/ast.js";
import { parsePromQLCached } from "../../promql/cache.js";
import { dropName, labelsKey } from "../../promql/eval/labels.js";
import { Unsupported, type Sample, type SeriesPhase } from "../../promql/eval/types.js";
import type { Comparison, Severity } from "../../spec/types.js";
import { HISTORY_REACH_MS, maxOffset, rangesOf } from "../rule-files.js";
import { AlertTimeline, exactInputs, expectedAlerts, templatesRobust, TEST_INTERVAL_MS, type ExpectedAlert } from "./expect.js";
import { inputSeries, logDistance, lookbackMs, quickEval, roundUpToInterval, type AlertCheck, type PlannedTest, type SynthContext } from "./plan.js";
import { onsetTest, scaleInvariantWindow, singleWindow } from "./onset.js";
import { memoized, polish, search, type Judgement } from "./search.js";
import { collectLeaves, domain, variantsFor, type Param } from "./variants.js";

const SEVERITY_ORDER: readonly Severity[] = ["critical", "warning", "info"];
const MARGIN = 0.01;
const MINUTE = 60_000;

interface Rule {
  model: AlertRuleModel;
  /** The expression whose output fires the rule: the base when Vigil adds the comparison. */
  expr: Expr;
}

/** A scenario: past a severity's threshold (it fires), or just short of it (it does not). */
interface Target {
  kind: "past" | "short";
  /** Index into the rules, strictest first. */
  rule: number;
}

/** Why a severity (or the whole alert, when undefined) got no test. */
export type SynthesisFailure = (severity: Severity | undefined, reason: string) => void;

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

export function thresholdTests(alerts: readonly AlertRuleModel[], ctx: SynthContext, fail: SynthesisFailure): PlannedTest[] {
  const name = alerts[0]!.name;
  const base = parsePromQLCached(alerts[0]!.source.text);
  if (!base.ok) throw new Unsupported("the expression does not parse");
  const baseExpr = base.expr;
  const rules: Rule[] = [...alerts]
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
    .map((model) => ({ model, expr: model.comparison ? base.expr : ctx.rules.alerts.get(name)!.find((r) => r.labels.severity === model.severity)!.expr }));

  const leaves = collectLeaves(base.expr, ctx.signals, ctx.rules.recordingExprs);
  const variants = variantsFor(leaves, ctx.defaults);
  const thresholds = rules.flatMap((r) => (r.model.comparison ? [r.model.comparison.threshold] : []));
  const lookback = lookbackMs(base.expr, ctx.rules.recordingExprs, isGeneratedRecording);
  const offset = maxOffset(base.expr);
  const maxFor = Math.max(...rules.map((r) => r.model.forMs));
  // An expression reading the clock (`time() - start_time > 600`) needs a test long enough
  // for its value to reach past every threshold on both sides.
  const clock = readsClock(base.expr) ? 2 * Math.max(0, ...thresholds.map(Math.abs)) * 1000 : 0;
  // Comparing with the past: the first phase is the past the offset reads, the second is now,
  // long enough for every range and `for` to lie inside it.
  // A week of history at one evaluation a minute costs promtool seconds even for one rule:
  // such alerts have a rule file and tests of their own, evaluated at a coarser step (samples
  // stay 1m apart).
  const evalIntervalMs = offset > HISTORY_REACH_MS ? ctx.historyIntervalMs : TEST_INTERVAL_MS;
  const roundUp = (ms: number) => Math.ceil(ms / evalIntervalMs) * evalIntervalMs;
  const pastEndMs = offset > 0 ? roundUp(offset) : undefined;
  const nowMs = roundUp(Math.max(clock, lookback - offset + maxFor + 2 * evalIntervalMs));
  const timeMs = pastEndMs === undefined ? roundUpToInterval(Math.max(clock, lookback + maxFor + 2 * MINUTE)) : pastEndMs + nowMs;
  if (pastEndMs !== undefined && nowMs > pastEndMs) throw new Unsupported("the offset is shorter than the ranges and `for` it is compared across");
  if (evalIntervalMs !== TEST_INTERVAL_MS && readsRecording(base.expr, ctx)) {
    throw new Unsupported("an alert comparing with more than 6h ago through recording rules is not modelled (their samples are as far apart as its evaluations)");
  }

  const phaseCount = pastEndMs === undefined ? 1 : 2;
  // An expression comparing by itself is driven near the numbers it holds (`0.5 * …`).
  const one = variants.map((v) => domain(v, thresholds.length ? thresholds : numbersIn(base.expr)));
  const domains = Array.from({ length: phaseCount }, () => one).flat();
  const phasesOf = (params: readonly Param[]): SeriesPhase[] =>
    pastEndMs === undefined
      ? [{ endMs: Infinity, series: inputSeries(variants, params) }]
      : [
          { endMs: pastEndMs, series: inputSeries(variants, params.slice(0, variants.length)) },
          { endMs: Infinity, series: inputSeries(variants, params.slice(variants.length)) },
        ];

  // Each severity's two searches visit many of the same inputs.
  const firing = memoized((params): { samples: Sample[]; fired: Sample[][]; exact: boolean } => {
    const phases = phasesOf(params);
    const exact = phases.every((p) => exactInputs(p.series));
    const samples = quickEval(base.expr, ctx, phases, timeMs);
    const fired = rules.map((r) => {
      const c = r.model.comparison;
      return c ? samples.filter((s) => compare(c.op, s.value, c.threshold)) : quickEval(r.expr, ctx, phases, timeMs);
    });
    return { samples, fired, exact };
  });

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

  /** How far a value is from firing rule `i` and only rules looser than it: 0 when it does. */
  const distancePast = (v: number, i: number): number => {
    let d = 0;
    const c = rules[i]!.model.comparison;
    if (c && !compare(c.op, v, c.threshold)) d += 0.1 + logDistance(v, c.threshold);
    for (const stricter of rules.slice(0, i)) {
      const s = stricter.model.comparison;
      if (s && compare(s.op, v, s.threshold)) d += 0.1 + logDistance(v, s.threshold);
    }
    return d;
  };

  const present = (params: readonly Param[]) => params.filter((p) => p !== undefined).length;
  // An expression that compares by itself (`a < 0.5 * b`): how close its two sides are, so
  // its tests sit just either side of its own boundary; sides closer than the margin are a tie.
  const sides = comparedSides(base.expr);
  const sideGap = memoized((params): number | undefined => {
    if (!sides) return undefined;
    const phases = phasesOf(params);
    const lhs = quickEval(sides.lhs, ctx, phases, timeMs);
    const rhs = new Map(quickEval(sides.rhs, ctx, phases, timeMs).map((x) => [labelsKey(dropName(x.labels)), x.value]));
    const gaps = lhs.flatMap((l) => {
      const r = rhs.get(labelsKey(dropName(l.labels)));
      return r === undefined ? [] : [logDistance(l.value, r)];
    });
    return gaps.length ? Math.min(...gaps) : undefined;
  });
  const ownCloseness = (params: readonly Param[]): number => {
    const gap = sideGap(params);
    return gap === undefined ? 1 / (1 + present(params)) : gap;
  };
  /** Severities for which inputs existed but the alert's text would show float noise of $value. */
  const blockedByText = new Set<number>();
  const objective = (target: Target) => (params: readonly Param[]): Judgement => {
    const { samples, fired, exact } = firing(params);
    if (!withinMargins(samples)) return { feasible: false, score: 1e6 };
    if (sides && (sideGap(params) ?? 1) < MARGIN) return { feasible: false, score: 1e6 };
    const tidiness = 0.001 * samples.length + 0.0001 * present(params);
    const c = rules[target.rule]!.model.comparison;
    const closeness = c && samples.length ? Math.min(...samples.map((s) => logDistance(s.value, c.threshold))) : ownCloseness(params);
    if (target.kind === "short") {
      // This severity and every stricter one silent; looser ones may fire, with stable text.
      const quiet = fired.slice(0, target.rule + 1).every((f) => f.length === 0);
      const needsSeries = rules.some((r) => r.model.comparison);
      const robust = fired.every((f) => templatesRobust(ctx.rules, name, f, exact));
      const feasible = quiet && robust && (!needsSeries || samples.length > 0);
      const guide = samples.length ? 0 : 50;
      return { feasible, score: (feasible ? 0 : 100 + guide) + closeness + tidiness };
    }
    const mine = fired[target.rule]!;
    const stricterQuiet = fired.slice(0, target.rule).every((f) => f.length === 0);
    const robust = fired.every((f) => templatesRobust(ctx.rules, name, f, exact));
    const feasible = mine.length > 0 && stricterQuiet && robust;
    if (feasible) return { feasible, score: closeness + tidiness };
    if (mine.length > 0 && stricterQuiet) blockedByText.add(target.rule);
    // Guide the search towards the band where this severity fires alone.
    const guide = samples.length ? Math.min(...samples.map((s) => distancePast(s.value, target.rule))) : 50;
    return { feasible, score: 100 + guide + tidiness };
  };

  const targets: Target[] = [];
  rules.forEach((r, i) => {
    targets.push({ kind: "past", rule: i });
    if (r.model.comparison || i === rules.length - 1) targets.push({ kind: "short", rule: i });
  });
  const plans: PlannedTest[] = [];
  const failed = new Set<Severity>();
  const found = new Map<string, Param[]>();
  for (const target of targets) {
    const severity = rules[target.rule]!.model.severity;
    if (failed.has(severity)) continue;
    const what = target.kind === "short" ? (target.rule === rules.length - 1 ? "stays silent" : `stays short of ${severity}`) : `fires at ${severity}`;
    const gridded = search(domains, objective(target));
    // Just past or short of a threshold means within a few percent of it, where the grid may not reach.
    const params = gridded && polish(gridded, objective(target));
    if (!params) {
      fail(target.kind === "short" && target.rule === rules.length - 1 ? undefined : severity, `found no input series for which ${name} ${what}${blockedByText.has(target.rule) ? TEXT_CAUSE : whyNot(rules, target)}`);
      failed.add(severity);
      continue;
    }
    found.set(`${target.kind}:${target.rule}`, params);
    try {
      plans.push(planFor(target, params));
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
      fail(severity, `the inputs for which ${name} ${what} do not give a result both Prometheus 2.x and 3.x agree on: ${err.message}`);
      failed.add(severity);
    }
  }
  // A window steady inputs cannot see shows in how long the alert takes to fire after safe
  // inputs; any other window also in how long it takes to stop once they return (an expression
  // past its threshold at once, `increase(x[10m]) > 0`, shows it only so).
  const windowMs = pastEndMs === undefined ? singleWindow(base.expr) : undefined;
  const invariant = windowMs !== undefined && scaleInvariantWindow(base.expr) === windowMs;
  const safe = found.get(`short:${rules.length - 1}`);
  if (windowMs !== undefined && safe) {
    rules.forEach((rule, i) => {
      const firing = found.get(`past:${i}`);
      if (!firing) return;
      const common = { ctx, name, severity: rule.model.severity, variants, windowMs, forMs: rule.model.forMs };
      const switchMs = roundUpToInterval(2 * windowMs + MINUTE);
      const onset = onsetTest({ ...common, phases: [{ params: safe, endMs: switchMs }, { params: firing, endMs: Infinity }], switchMs });
      if (onset) plans.push(onset);
      if (invariant) return;
      const firedMs = roundUpToInterval(2 * windowMs + rule.model.forMs + MINUTE);
      const end = onsetTest({ ...common, phases: [{ params: firing, endMs: firedMs }, { params: safe, endMs: Infinity }], switchMs: firedMs, direction: "stops" });
      if (end) plans.push(end);
    });
  }
  if (pastEndMs !== undefined) plans.push(...historyOnsets());
  return plans;

  /**
   * A comparison with the past reads a window now and one at the offset. Now as it was a week
   * ago is on the safe side; then either side changes to the firing inputs: how long the alert
   * takes to fire pins that side's window, and its `for` (evaluated every historyIntervalMs).
   */
  function historyOnsets(): PlannedTest[] {
    const windowMs = Math.max(0, ...rangesOf(baseExpr));
    const out: PlannedTest[] = [];
    rules.forEach((rule, i) => {
      const firing = found.get(`past:${i}`);
      if (!firing || windowMs === 0) return;
      const past = firing.slice(0, variants.length);
      const now = firing.slice(variants.length);
      // Inputs change on a whole minute (samples are 1m apart) and an evaluation.
      const grid = evalIntervalMs % MINUTE === 0 ? evalIntervalMs : evalIntervalMs * MINUTE / gcd(evalIntervalMs, MINUTE);
      const leadMs = Math.ceil((2 * windowMs + MINUTE) / grid) * grid;
      if (pastEndMs! % grid !== 0) return;
      const common = { ctx, name, severity: rule.model.severity, variants, windowMs, forMs: rule.model.forMs, evalIntervalMs };
      const nowSwitch = pastEndMs! + leadMs;
      // The past changes at leadMs; the offset reads it there at offset + leadMs.
      const pastSwitch = offset + leadMs;
      for (const plan of [
        onsetTest({ ...common, phases: [{ params: past, endMs: nowSwitch }, { params: now, endMs: Infinity }], switchMs: nowSwitch, what: "the window of now" }),
        offset === pastEndMs
          ? onsetTest({ ...common, phases: [{ params: now, endMs: leadMs }, { params: past, endMs: pastEndMs }, { params: now, endMs: Infinity }], switchMs: pastSwitch, what: "the window read at the offset" })
          : undefined,
      ]) {
        if (plan) out.push(plan);
      }
    });
    return out;
  }

  function planFor(target: Target, params: Param[]): PlannedTest {
    const phases = phasesOf(params);
    const rule = rules[target.rule]!;
    const severity = rule.model.severity;
    const steady = steadyAlerts(phases);
    const severities = new Set(steady.map((e) => e.labels.severity));
    if (target.kind === "past" ? !severities.has(severity) : rules.slice(0, target.rule + 1).some((r) => severities.has(r.model.severity))) {
      throw new Unsupported("the steady state does not separate the severities");
    }
    const pinned = target.kind === "past" && phases.length === 1 ? pinFor(phases, target.rule) : undefined;
    const evalTimeMs = pinned?.firesAtMs ?? timeMs;
    const checks: AlertCheck[] = [{ alertName: name, expected: pinned?.firing ?? steady }];
    if (pinned?.before) checks.unshift({ alertName: name, expected: pinned.before.expected, evalTimeMs: pinned.before.atMs });
    const outcome = describeOutcome(checks.at(-1)!.expected.map((e) => e.labels.severity ?? ""), target, severity);
    return {
      name: `alert ${name}: ${outcome}`,
      variants,
      phases: phaseSteps(params, evalTimeMs),
      evalTimeMs,
      ...(evalIntervalMs !== TEST_INTERVAL_MS ? { evalIntervalMs } : {}),
      alerts: checks,
      exprs: [],
    };
  }

  /** The alerts at the test's end, by the steady state (every range and `for` inside it). */
  function steadyAlerts(phases: SeriesPhase[]): ExpectedAlert[] {
    const now = phases.at(-1)!.series;
    if (phases.length === 1) return expectedAlerts(ctx.rules, name, now, timeMs);
    // A phased test has no single steady input: every evaluation of the last `for` must agree.
    const timeline = new AlertTimeline(ctx.rules, name, phases, timeMs, evalIntervalMs);
    return timeline.at(timeMs);
  }

  /**
   * When the severity starts holding, from the test's first sample: the test then ends exactly
   * when its `for` has elapsed, and a check a minute earlier finds it not yet firing — so a
   * longer or shorter `for`, or a range that fills later, fails the test.
   */
  function pinFor(phases: SeriesPhase[], i: number): { firesAtMs: number; firing: ExpectedAlert[]; before?: { atMs: number; expected: ExpectedAlert[] } } | undefined {
    const rule = rules[i]!;
    let timeline: AlertTimeline;
    try {
      timeline = new AlertTimeline(ctx.rules, name, phases, timeMs);
    } catch (err) {
      if (err instanceof Unsupported) return undefined; // the first minutes are not modelled: steady check only
      throw err;
    }
    const ruleIndex = ctx.rules.alerts.get(name)!.findIndex((r) => r.labels.severity === rule.model.severity);
    const since = timeline.exactSince(ruleIndex);
    if (!since || since.length === 0) return undefined;
    // The first evaluation at which its for has elapsed (a for of 90s fires at the 2nd minute).
    const firesAtMs = roundUpToInterval(Math.max(...since) + rule.model.forMs);
    if (firesAtMs > timeMs) return undefined;
    try {
      const firing = timeline.at(firesAtMs);
      if (!firing.some((a) => a.labels.severity === rule.model.severity)) return undefined;
      const beforeMs = firesAtMs - TEST_INTERVAL_MS;
      if (beforeMs < 0) return { firesAtMs, firing };
      return { firesAtMs, firing, before: { atMs: beforeMs, expected: timeline.at(beforeMs) } };
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  }

  function phaseSteps(params: Param[], endMs: number): PlannedTest["phases"] {
    if (pastEndMs === undefined) return [{ params, steps: endMs / MINUTE }];
    return [
      { params: params.slice(0, variants.length), steps: pastEndMs / MINUTE },
      { params: params.slice(variants.length), steps: (endMs - pastEndMs) / MINUTE },
    ];
  }
}

function numbersIn(expr: Expr): number[] {
  const out: number[] = [];
  walk(expr, (node) => {
    if (node.type === "number" && node.value > 0 && Number.isFinite(node.value)) out.push(node.value);
  });
  return out;
}

const TEXT_CAUSE =
  " whose alert text renders the same in Prometheus: a template prints $value in full (e.g. a plain {{ $value }}), and its last digits depend on float rounding; format it (humanize, printf \"%.2f\")";

/** What stands in the way, for the diagnostic: the cause, not only the symptom. */
function whyNot(rules: readonly Rule[], target: Target): string {
  const c = rules[target.rule]!.model.comparison;
  if (target.kind === "past" && c && target.rule > 0) {
    const stricter = rules[target.rule - 1]!.model.comparison;
    if (stricter && !compare(c.op, stricter.threshold, c.threshold)) {
      return ` (its threshold ${c.threshold} is not looser than the ${rules[target.rule - 1]!.model.severity} threshold ${stricter.threshold})`;
    }
  }
  return " (the expression's value could not be driven there by any combination of its input series)";
}

const COMPARISONS = new Set([">", ">=", "<", "<=", "==", "!="]);

/** The two sides of an expression that is itself a filtering comparison. */
function comparedSides(expr: Expr): { lhs: Expr; rhs: Expr } | undefined {
  let e = expr;
  while (e.type === "paren") e = e.expr;
  if (e.type !== "binary" || e.bool || !COMPARISONS.has(e.op)) return undefined;
  return { lhs: e.lhs, rhs: e.rhs };
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function readsRecording(expr: Expr, ctx: SynthContext): boolean {
  let found = false;
  walk(expr, (node) => {
    if (node.type === "vector" && node.name !== undefined && ctx.rules.recordings.has(node.name)) found = true;
  });
  return found;
}

function readsClock(expr: Expr): boolean {
  let found = false;
  walk(expr, (node) => {
    if (node.type === "call" && node.func === "time") found = true;
  });
  return found;
}

function describeOutcome(severities: string[], target: Target, severity: Severity): string {
  const ordered = SEVERITY_ORDER.filter((s) => severities.includes(s));
  if (target.kind === "past") return `past the ${ordered[0]} threshold, fires ${ordered.join(" and ")}`;
  if (ordered.length === 0) return "on the safe side of every threshold, nothing fires";
  return `just short of the ${severity} threshold, fires ${ordered.join(" and ")}`;
}
