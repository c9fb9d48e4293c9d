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
import { evaluateBoth, expectedAlerts, TEST_INTERVAL_MS } from "./expect.js";
import { inputSeries, logDistance, quickEval, roundUpToInterval, type ExprCheck, type PlannedTest, type SynthContext } from "./plan.js";
import { search, type Judgement } from "./search.js";
import { collectLeaves, domain, variantsFor, type Param, type Variant } from "./variants.js";

const MARGIN = 0.01;
const MINUTE = 60_000;

interface Target {
  label: string;
  /** Error ratio range; [1, 1] for a total outage. */
  ratio: [number, number];
  /** Total events per second range, when it matters. */
  traffic?: [number, number];
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

  const sli = (params: readonly Param[]) => {
    const series = inputSeries(variants, params);
    const errors = quickEval(errorExpr, ctx, series, timeMs);
    const totals = new Map(quickEval(totalExpr, ctx, series, timeMs).map((s) => [labelsKey(dropName(s.labels)), s.value]));
    return errors.map((e) => {
      const total = totals.get(labelsKey(dropName(e.labels))) ?? NaN;
      return { ratio: e.value / total, total };
    });
  };

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
    plans.push(plan(slo, ctx, variants, params, timeMs, target.label, sli(params)));
  }
  if (slo.noData) {
    const noDataTime = roundUpToInterval(slo.noData.forMs + 5 * MINUTE);
    plans.push(plan(slo, ctx, variants, variants.map(() => undefined), noDataTime, "no data", []));
  }
  return plans;
}

function targets(slo: SloModel): Target[] {
  const b = slo.budget;
  const minTheta = (tier: BurnTierModel | undefined) => (tier ? Math.min(...tier.conditions.map((c) => c.factor * b)) : undefined);
  const page = slo.tiers.find((t) => t.tier === "page");
  const ticket = slo.tiers.find((t) => t.tier === "ticket");
  const m = slo.minTraffic;
  const out: Target[] = [{ label: "total outage", ratio: [1, 1], ...(m ? { traffic: [m * 2, Infinity] as [number, number] } : {}) }];
  out.push({ label: "errors within the objective", ratio: [0.5 * b, 0.99 * b] });
  const tTicket = minTheta(ticket);
  if (tTicket !== undefined && tTicket < 1) {
    const tPage = minTheta(page);
    const hi = Math.min(0.95, tPage !== undefined ? 0.9 * tPage : 2 * tTicket);
    if (1.1 * tTicket < hi) out.push({ label: "slow burn", ratio: [1.1 * tTicket, hi] });
  }
  if (m && page) out.push({ label: `total outage below ${formatNumber(m)} events/s`, ratio: [1, 1], traffic: [m * 0.05, m * 0.5] });
  return out;
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
  points: { ratio: number; total: number }[],
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
