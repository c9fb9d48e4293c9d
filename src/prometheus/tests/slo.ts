/**
 * Tests for an SLO's alerts. Each scenario holds the SLI's error ratio constant (inputs found
 * by search, so SLIs written as PromQL work too) and states what the burn-rate model says
 * must happen; the expectation promtool checks is computed from the generated rules
 * themselves and must agree with the model, or synthesis stops with an internal error.
 */
import type { BurnTierModel, SloModel } from "../../model/types.js";
import { SLO_RULES } from "../../model/rule-names.js";
import { parsePromQLCached } from "../../promql/cache.js";
import { dropName, labelsKey } from "../../promql/eval/labels.js";
import { Unsupported, type InputSeries } from "../../promql/eval/types.js";
import { formatMatchers, formatNumber } from "../../promql/format.js";
import { fillWindow } from "../../promql/window.js";
import { AlertTimeline, evaluateBoth, expectedAlerts, TEST_INTERVAL_MS } from "./expect.js";
import { inputSeries, logDistance, quickEval, roundUpToInterval, type AlertCheck, type ExprCheck, type PlannedTest, type SynthContext } from "./plan.js";
import { memoized, search, type Judgement } from "./search.js";
import { burstTests, type Sli } from "./slo-bursts.js";
import { guardTests } from "./slo-guards.js";
import { collectLeaves, domain, variantsFor, type Param, type Variant } from "./variants.js";

const MARGIN = 0.01;
const MINUTE = 60_000;

interface Target {
  label: string;
  /** Error ratio range; [1, 1] for a total outage. */
  ratio: [number, number];
  /** Total events per second range, when it matters. */
  traffic?: [number, number];
  /** How long the inputs run before the check (default: the tiers' longest `for` + 10m). */
  extraMs?: number;
}

export function sloTests(slo: SloModel, ctx: SynthContext): PlannedTest[] {
  const parse = (template: string) => {
    const parsed = parsePromQLCached(fillWindow(template, "5m", 300));
    if (!parsed.ok) throw new Unsupported("SLI query does not parse");
    return parsed.expr;
  };
  const errorExpr = parse(slo.sli.errorQuery);
  const totalExpr = parse(slo.sli.totalQuery);
  const leaves = [errorExpr, totalExpr].flatMap((e) => collectLeaves(e, ctx.signals, ctx.rules.recordingExprs));
  const variants = variantsFor(leaves, ctx.defaults);
  const thetas = slo.tiers.flatMap((t) => t.conditions.map((c) => c.factor * slo.budget));
  const domains = variants.map((v) => domain(v, [slo.budget, ...thetas, ...(slo.minTraffic ? [slo.minTraffic] : [])]));
  const burnFor = Math.max(0, ...slo.tiers.map((t) => t.forMs));
  const timeMs = roundUpToInterval(burnFor + 10 * MINUTE);

  // Every scenario's search, and the burst tests', visit many of the same inputs.
  const sliOver = (vs: readonly Variant[]): Sli => memoized((params): readonly { ratio: number; total: number }[] => {
    const series = inputSeries(vs, params);
    const errors = quickEval(errorExpr, ctx, series, timeMs);
    const totals = new Map(quickEval(totalExpr, ctx, series, timeMs).map((s) => [labelsKey(dropName(s.labels)), s.value]));
    return errors.map((e) => {
      const total = totals.get(labelsKey(dropName(e.labels))) ?? NaN;
      return { ratio: e.value / total, total };
    });
  });
  const sli = sliOver(variants);

  const objective = (target: Target) => (params: readonly Param[]): Judgement => {
    const points = sli(params);
    if (points.length === 0) return { feasible: false, score: 1e6 };
    const [lo, hi] = target.ratio;
    let feasible = true;
    let score = 0;
    for (const { ratio, total } of points) {
      if (!(total > 0) || !Number.isFinite(ratio)) return { feasible: false, score: 1e5 };
      const exact = lo === hi ? Math.abs(ratio - lo) <= 1e-12 : ratio >= lo && ratio <= hi;
      const clear = lo === hi || thetas.every((t) => Math.abs(ratio - t) >= MARGIN * t);
      const traffic = !target.traffic || (total >= target.traffic[0] && total <= target.traffic[1]);
      if (!exact || !clear || !traffic) feasible = false;
      score += logDistance(ratio, lo === hi ? lo : Math.sqrt(lo * hi)) + (traffic ? 0 : 10);
    }
    return { feasible, score: score + 0.001 * params.filter((p) => p !== undefined).length };
  };

  const plans: PlannedTest[] = [];
  for (const target of targets(slo)) {
    const params = search(domains, objective(target));
    if (!params) throw new Unsupported(`found no inputs for the "${target.label}" scenario of SLO ${slo.name}`);
    plans.push(plan(slo, ctx, variants, params, roundUpToInterval(burnFor + 10 * MINUTE + (target.extraMs ?? 0)), target.label, sli(params)));
  }
  plans.push(...burstTests(slo, ctx, variants, domains, sli, sliOver));
  plans.push(...guardTests(slo, ctx, variants, domains, sli));
  if (slo.noData) plans.push(noDataPlan(slo, ctx, variants));
  return plans;
}

/**
 * The scenarios: a total outage; errors within the objective; and for each tier, a constant
 * error ratio just past its lowest burn threshold (it fires) and just short of it (it does
 * not) — so a changed factor or budget fails a test.
 */
function targets(slo: SloModel): Target[] {
  const b = slo.budget;
  const minTheta = (tier: BurnTierModel) => Math.min(...tier.conditions.map((c) => c.factor * b));
  const page = slo.tiers.find((t) => t.tier === "page");
  const m = slo.minTraffic;
  const busy = m ? { traffic: [m * 2, Infinity] as [number, number] } : {};
  const out: Target[] = [{ label: "total outage", ratio: [1, 1], ...busy }];
  out.push({ label: "errors within the objective", ratio: [0.5 * b, 0.99 * b] });
  for (const tier of slo.tiers) {
    const theta = minTheta(tier);
    const what = tier.tier === "page" ? "page" : "ticket";
    if (1.01 * theta < 1) out.push({ label: `just past the ${what} burn rate`, ratio: [1.01 * theta, Math.min(1.05 * theta, 0.999)], ...busy });
    if (0.99 * theta <= 1) out.push({ label: `just short of the ${what} burn rate`, ratio: [0.95 * theta, 0.99 * theta], ...busy });
  }
  // Either side of minTraffic, 3–7% from it: a guard 10% off decides one of them otherwise.
  // The guard averages the traffic over a condition's long window, which in promtool reads the
  // first minutes' partial rates: the inputs run through the shortest such window first.
  if (m && page) {
    const extraMs = Math.min(...page.conditions.map((c) => c.longMs));
    out.push({ label: `total outage at just above ${formatNumber(m)} events/s`, ratio: [1, 1], traffic: [m * 1.03, m * 1.07], extraMs });
    out.push({ label: `total outage at just below ${formatNumber(m)} events/s`, ratio: [1, 1], traffic: [m * 0.93, m * 0.97], extraMs });
  }
  return dedupe(out);
}

/** Scenarios with the same ratio band (a ticket threshold at the objective) are one test. */
function dedupe(targets: Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const key = `${t.ratio.join()}|${t.traffic?.join() ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * No input at all: the no-data alert holds from the first evaluation, so it fires exactly when
 * its `for` has elapsed — checked then, and a minute before, when it must not fire yet.
 */
function noDataPlan(slo: SloModel, ctx: SynthContext, variants: Variant[]): PlannedTest {
  const noData = slo.noData!;
  const firesAt = roundUpToInterval(noData.forMs);
  const test = plan(slo, ctx, variants, variants.map(() => undefined), firesAt, "no data", []);
  if (firesAt < TEST_INTERVAL_MS) return test;
  const timeline = new AlertTimeline(ctx.rules, noData.alertName, [{ endMs: Infinity, series: [] }], firesAt);
  const before = timeline.at(firesAt - TEST_INTERVAL_MS);
  const at = timeline.at(firesAt);
  const planned = test.alerts.find((a) => a.alertName === noData.alertName)!;
  if (before.length > 0 || JSON.stringify(at) !== JSON.stringify(planned.expected)) {
    throw new Error(`vigil internal error: the no-data alert of SLO ${slo.id} does not fire exactly after its for`);
  }
  return { ...test, alerts: [{ alertName: noData.alertName, expected: before, evalTimeMs: firesAt - TEST_INTERVAL_MS }, ...test.alerts] };
}

/** What the burn-rate model predicts for a constant error ratio and traffic. */
function predictedTiers(slo: SloModel, points: readonly { ratio: number; total: number }[]): Set<string> {
  const fired = new Set<string>();
  for (const tier of slo.tiers) {
    const guard = (total: number) => tier.tier !== "page" || slo.minTraffic === undefined || total >= slo.minTraffic;
    if (points.some((p) => guard(p.total) && tier.conditions.some((c) => p.ratio > c.factor * slo.budget))) fired.add(tier.tier);
  }
  return fired;
}

function plan(
  slo: SloModel,
  ctx: SynthContext,
  variants: Variant[],
  params: Param[],
  timeMs: number,
  label: string,
  points: readonly { ratio: number; total: number }[],
): PlannedTest {
  const series = inputSeries(variants, params);
  const burn = expectedAlerts(ctx.rules, slo.alertName, series, timeMs);
  const alerts = [{ alertName: slo.alertName, expected: burn }];
  const noData = slo.noData ? expectedAlerts(ctx.rules, slo.noData.alertName, series, timeMs) : [];
  if (slo.noData) alerts.push({ alertName: slo.noData.alertName, expected: noData });

  const predicted = predictedTiers(slo, points);
  const actual = new Set(burn.map((a) => a.labels.tier ?? ""));
  const expectNoData = points.length === 0 && slo.noData !== undefined;
  if ([...predicted].sort().join() !== [...actual].sort().join() || expectNoData !== noData.length > 0) {
    throw new Error(
      `vigil internal error: the generated rules of SLO ${slo.id} disagree with the burn-rate model in scenario "${label}" ` +
        `(model: ${[...predicted].join(", ") || "nothing"}, rules: ${[...actual].join(", ") || "nothing"})`,
    );
  }

  const pinned = pinTierFor(slo, ctx, series, timeMs, actual);
  if (pinned) alerts.splice(0, 1, ...pinned);

  const ratio = points[0]?.ratio;
  const outcome = [
    ...["page", "ticket"].filter((t) => actual.has(t)).map((t) => (t === "page" ? "pages" : "opens a ticket")),
    ...(noData.length ? [`fires ${slo.noData!.alertName}`] : []),
  ];
  const ratioText = ratio === undefined ? "" : ` (error ratio ${formatNumber(Number((ratio * 100).toPrecision(4)))}%)`;
  const exprs = ratio !== undefined && hasRatioWindow(slo, 60 * MINUTE) ? [ratioCheck(slo, ctx, series, timeMs, ratio)] : [];
  return {
    name: `slo ${slo.name}: ${label}${ratioText} ${outcome.length ? outcome.join(" and ") : "stays silent"}`,
    variants,
    phases: [{ params, steps: timeMs / MINUTE }],
    evalTimeMs: timeMs,
    alerts,
    exprs,
  };
}

/**
 * A firing tier with a `for`: checked exactly when its `for` has elapsed since it started to
 * hold, and a minute before, when it must not fire yet (so a changed `for` fails the test).
 */
function pinTierFor(slo: SloModel, ctx: SynthContext, series: InputSeries[], timeMs: number, firing: Set<string>): AlertCheck[] | undefined {
  const tier = slo.tiers.filter((t) => firing.has(t.tier) && t.forMs > 0).sort((a, b) => b.forMs - a.forMs)[0];
  if (!tier) return undefined;
  const index = (ctx.rules.alerts.get(slo.alertName) ?? []).findIndex((r) => r.labels.tier === tier.tier);
  try {
    const timeline = new AlertTimeline(ctx.rules, slo.alertName, [{ endMs: Infinity, series }], timeMs);
    const since = timeline.exactSince(index);
    if (!since?.length) return undefined;
    const firesAt = roundUpToInterval(Math.max(...since) + tier.forMs);
    if (firesAt > timeMs || firesAt < TEST_INTERVAL_MS) return undefined;
    const at = timeline.at(firesAt);
    const before = timeline.at(firesAt - TEST_INTERVAL_MS);
    if (!at.some((a) => a.labels.tier === tier.tier) || before.some((a) => a.labels.tier === tier.tier)) return undefined;
    return [
      { alertName: slo.alertName, expected: before, evalTimeMs: firesAt - TEST_INTERVAL_MS },
      { alertName: slo.alertName, expected: at, evalTimeMs: firesAt },
    ];
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

/** The recorded 1h error ratio equals the scenario's constant ratio (to a relative 1e-9). */
function ratioCheck(slo: SloModel, ctx: SynthContext, series: InputSeries[], timeMs: number, ratio: number): ExprCheck {
  const selector = formatMatchers({ service: slo.ruleLabels.service!, slo: slo.name });
  const expr = `abs(${SLO_RULES.errorRatio(60 * MINUTE)}${selector} - ${formatNumber(ratio)}) <= bool ${formatNumber(Math.max(ratio, 1e-6) * 1e-9)}`;
  const parsed = parsePromQLCached(expr);
  if (!parsed.ok) throw new Error(`vigil internal error: unparsable check ${expr}`);
  const samples = evaluateBoth(parsed.expr, { series, recordings: ctx.rules.recordings, timeMs, intervalMs: TEST_INTERVAL_MS });
  if (samples.length === 0 || samples.some((s) => s.value !== 1)) {
    throw new Error(`vigil internal error: the recorded error ratio of SLO ${slo.id} is not ${formatNumber(ratio)}`);
  }
  return { expr, samples: samples.map((s) => ({ labels: { ...s.labels }, value: 1 })) };
}

function hasRatioWindow(slo: SloModel, windowMs: number): boolean {
  return slo.tiers.some((t) => t.conditions.some((c) => c.longMs === windowMs || c.shortMs === windowMs)) || slo.windowMs === windowMs;
}
