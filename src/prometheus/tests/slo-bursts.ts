/**
 * Burst scenarios for an SLO: good traffic, then errors for the last D minutes, checked at T.
 * Windows then read different error ratios, so a test tells a burn window from its recorded
 * neighbours, and a condition from its tier's lower-factor one (which, under a constant ratio,
 * fires whenever it does). The burn-rate model picks scenarios that cover every single
 * perturbation of a condition — a window swapped for its recorded neighbour, a factor or the
 * budget moved by 10% — that changes which tiers fire; the expectation is then the evaluator's
 * on the generated rules, and a scenario where the two disagree is dropped.
 */
import type { BurnTierModel, SloModel } from "../../model/types.js";
import { labelsKey } from "../../promql/eval/labels.js";
import { Unsupported, type SeriesPhase } from "../../promql/eval/types.js";
import { sloWindows } from "../slo-rules.js";
import { alertOfSample, BURST_INTERVAL_MS, evaluateIn, exactInputs, RangeModeDependent, TEST_INTERVAL_MS, testsAs2x, type ExpectedAlert, type RangeModes } from "./expect.js";
import { inputSeries, type PlannedTest, type SynthContext } from "./plan.js";
import { search, type Judgement, type Objective } from "./search.js";
import { storyTests } from "./slo-stories.js";
import type { Param, Variant } from "./variants.js";

const MINUTE = 60_000;
const TILE = 5 * MINUTE;
/** Longest burst test: promtool evaluates every rule each 5m of it. */
export const MAX_BURST_TEST_MS = 180 * MINUTE;
const MAX_SCENARIOS = 8;
/** Scenarios checked against the generated rules at most, borne out or not. */
const MAX_ATTEMPTS = 32;
/** Quiet minutes after a burst (also each burn window): a short window recovered while a long one burns. */
const RECOVERIES = [0, TILE, 2 * TILE];

export interface Condition {
  longMs: number;
  shortMs: number;
  factor: number;
}

export interface Model {
  budget: number;
  /** A tier with a `for` fires once its conditions have held at every evaluation for that long. */
  tiers: { tier: BurnTierModel["tier"]; forMs: number; conditions: Condition[] }[];
}

/** A burst: error ratio rA at traffic sA, then rB at sB for dMs, then rA again for eMs; checked at tMs. */
interface Burst {
  tMs: number;
  dMs: number;
  /** Recovery after the burst (0: the burst lasts to the end). */
  eMs: number;
  rA: number;
  sA: number;
  rB: number;
  sB: number;
}

/** A stretch of constant error ratio and traffic (events per second). */
export interface Stretch {
  durMs: number;
  ratio: number;
  total: number;
}

/** The error ratio a window reads `lagMs` before the end of the stretches; NaN before any exists. */
export type RatioAt = (windowMs: number, lagMs: number) => number;

/** Window ratios of stretches (oldest first; nothing exists before the first), memoized. */
export function stretchRatios(stretches: readonly Stretch[]): RatioAt {
  const endMs = stretches.reduce((sum, s) => sum + s.durMs, 0);
  const cache = new Map<string, number>();
  return (windowMs, lagMs) => {
    const key = `${windowMs}/${lagMs}`;
    const known = cache.get(key);
    if (known !== undefined) return known;
    const to = endMs - lagMs;
    const from = to - windowMs;
    let errors = 0;
    let total = 0;
    let start = 0;
    for (const s of stretches) {
      const span = Math.min(to, start + s.durMs) - Math.max(from, start);
      if (span > 0) {
        errors += s.ratio * s.total * span;
        total += s.total * span;
      }
      start += s.durMs;
    }
    const ratio = total > 0 ? errors / total : NaN;
    cache.set(key, ratio);
    return ratio;
  };
}

function burstStretches(b: Burst): Stretch[] {
  return [
    { durMs: b.tMs - b.eMs - b.dMs, ratio: b.rA, total: b.sA },
    { durMs: b.dMs, ratio: b.rB, total: b.sB },
    { durMs: b.eMs, ratio: b.rA, total: b.sA },
  ];
}

/** The evaluations before the check a tier's conditions must hold at (rules run every 5m). */
export function heldLags(forMs: number): number[] {
  return Array.from({ length: Math.ceil(forMs / BURST_INTERVAL_MS) + 1 }, (_, k) => k * BURST_INTERVAL_MS);
}

/**
 * The tiers firing at the end of a test `tMs` long: their burn-rate conditions hold, given the
 * error ratio each window reads, at the check and, for a tier with a `for`, at every evaluation
 * that long before it (which must not be before the test began).
 */
export function firingTiers(model: Model, ratio: RatioAt, tMs: number): string[] {
  const holds = (c: Condition, lagMs: number) => ratio(c.longMs, lagMs) > c.factor * model.budget && ratio(c.shortMs, lagMs) > c.factor * model.budget;
  return model.tiers
    .filter((t) => {
      const lags = heldLags(t.forMs);
      return lags.at(-1)! <= tMs && lags.every((lag) => t.conditions.some((c) => holds(c, lag)));
    })
    .map((t) => t.tier);
}

/** Every single perturbation of the model that the mutation test applies to the rules. */
export interface Perturbation {
  what: string;
  tier?: string;
  model: Model;
}

export function perturbations(model: Model, windows: readonly number[]): Perturbation[] {
  const out: Perturbation[] = [];
  const change = (what: string, tier: string | undefined, f: (m: Model) => void) => {
    const copy: Model = structuredClone(model);
    f(copy);
    out.push({ what, ...(tier ? { tier } : {}), model: copy });
  };
  for (const k of [1.1, 0.9]) change(`budget ×${k}`, undefined, (m) => (m.budget *= k));
  model.tiers.forEach((tier, t) => {
    // The mutation test's `for`: twice as long, and half (whole minutes) or none.
    if (tier.forMs > 0) {
      for (const next of [tier.forMs * 2, Math.floor(tier.forMs / 2 / MINUTE) * MINUTE]) change(`${tier.tier} for → ${next}`, tier.tier, (m) => (m.tiers[t]!.forMs = next));
    }
    tier.conditions.forEach((c, i) => {
      for (const k of [1.1, 0.9]) change(`${tier.tier}[${i}] factor ×${k}`, tier.tier, (m) => (m.tiers[t]!.conditions[i]!.factor *= k));
      for (const which of ["longMs", "shortMs"] as const) {
        const own = c[which];
        const neighbours = [windows.filter((w) => w < own).at(-1), windows.find((w) => w > own)];
        for (const w of neighbours) if (w !== undefined) change(`${tier.tier}[${i}] ${which} → ${w}`, tier.tier, (m) => (m.tiers[t]!.conditions[i]![which] = w));
      }
    });
  });
  return out;
}

export type Sli = (params: readonly Param[]) => readonly { ratio: number; total: number }[];

/** `sliOver`: the SLI read over other variants (the stories add replicas of the series to dilute a boolean SLI). */
export function burstTests(slo: SloModel, ctx: SynthContext, variants: Variant[], domains: readonly { coarse: Param[]; fine: Param[] }[], sli: Sli, sliOver: (variants: readonly Variant[]) => Sli): PlannedTest[] {
  const model: Model = { budget: slo.budget, tiers: slo.tiers.map((t) => ({ tier: t.tier, forMs: t.forMs, conditions: t.conditions.map((c) => ({ ...c })) })) };
  const windows = sloWindows(slo);
  const mutants = perturbations(model, windows);

  // Inputs: a quiet phase (no errors) and bursts at a few error ratios, found by search.
  const quiet = findRatio(domains, sli, 0, slo.minTraffic);
  if (!quiet) return [];
  const quietPoint = sli(quiet)[0]!;
  // Just either side of each threshold too: a factor moved by 10% shows only between the two.
  const levels = [...new Set(slo.tiers.flatMap((t) => t.conditions.flatMap((c) => [0.95, 1.05, 1.3, 2, 3.5, 6, 12].map((m) => Math.min(0.9, m * c.factor * slo.budget)))))].sort((a, b) => a - b);
  const bursts: { params: Param[]; ratio: number; total: number }[] = [];
  for (const level of levels) {
    const params = findRatio(domains, sli, level, slo.minTraffic);
    if (!params) continue;
    const p = sli(params)[0]!;
    bursts.push({ params, ratio: p.ratio, total: p.total });
  }

  // Each candidate burst with the perturbations it tells apart.
  const recoveries = [...new Set([...RECOVERIES, ...windows.filter((w) => w < MAX_BURST_TEST_MS)])];
  const candidates: { burst: Burst; params: Param[]; outcome: string; kills: number[] }[] = [];
  for (const b of bursts) {
    for (let tMs = 2 * TILE; tMs <= MAX_BURST_TEST_MS; tMs += 2 * TILE) {
      for (const eMs of recoveries) {
        for (let dMs = TILE; dMs + eMs < tMs; dMs += TILE) {
          const burst: Burst = { tMs, dMs, eMs, rA: quietPoint.ratio, sA: quietPoint.total, rB: b.ratio, sB: b.total };
          const ratio = stretchRatios(burstStretches(burst));
          if (!clearOfThresholds(model, ratio, tMs)) continue;
          const outcome = firingTiers(model, ratio, tMs).join(",");
          const kills = mutants.flatMap((m, i) => (firingTiers(m.model, ratio, tMs).join(",") !== outcome ? [i] : []));
          if (kills.length) candidates.push({ burst, params: b.params, outcome, kills });
        }
      }
    }
  }
  // Greedy cover: the scenario telling the most uncovered perturbations apart, until none is
  // left. A scenario the generated rules do not bear out (the evaluator disagrees with the
  // model, or cannot tell) is dropped and the next best tried.
  const untold = new Set(mutants.map((_, i) => i));
  const plans: PlannedTest[] = [];
  let attempts = 0;
  while (untold.size > 0 && plans.length < MAX_SCENARIOS && attempts < MAX_ATTEMPTS) {
    let best: { c: (typeof candidates)[number]; kills: number[] } | undefined;
    for (const c of candidates) {
      const kills = c.kills.filter((i) => untold.has(i));
      if (kills.length > (best?.kills.length ?? 0) || (best && kills.length === best.kills.length && c.burst.tMs < best.c.burst.tMs)) best = { c, kills };
    }
    if (!best) break;
    attempts++;
    candidates.splice(candidates.indexOf(best.c), 1);
    const plan = burstPlan(slo, ctx, variants, quiet, best.c.params, best.c.burst, best.c.outcome);
    if (!plan) continue;
    plans.push(plan);
    for (const i of best.kills) untold.delete(i);
  }
  // What no burst tells apart, a longer story may.
  plans.push(...storyTests({ slo, ctx, variants, domains, sli, sliOver, model, windows, mutants, uncovered: untold, quiet: { params: quiet, ...quietPoint } }));
  return plans;
}

/**
 * Every window's ratio at least 1% away from every threshold, at the check and at each
 * evaluation a tier's `for` reaches back to: no ties between engines.
 */
export function clearOfThresholds(model: Model, ratio: RatioAt, tMs: number): boolean {
  for (const tier of model.tiers) {
    for (const lag of heldLags(tier.forMs).filter((l) => l < tMs)) {
      for (const c of tier.conditions) {
        const theta = c.factor * model.budget;
        for (const w of [c.longMs, c.shortMs]) if (Math.abs(ratio(w, lag) - theta) < 0.01 * theta) return false;
      }
    }
  }
  return true;
}

export function findRatio(domains: readonly { coarse: Param[]; fine: Param[] }[], sli: Sli, target: number, minTraffic: number | undefined): Param[] | undefined {
  return findRatioIn(domains, sli, target, minTraffic) ?? (target > 0 ? findRatioIn(domains.map((d) => withTarget(d, target)), sli, target, minTraffic) : undefined);
}

/**
 * A domain that also holds the target ratio and its complement as plain values: the thresholds'
 * domain has neither for a burst's error ratio, and a boolean SLI over a gauge (errors are
 * 1 − value) reads the ratio only from the complement.
 */
function withTarget(d: { coarse: Param[]; fine: Param[] }, target: number): { coarse: Param[]; fine: Param[] } {
  if (!d.fine.some((p) => typeof p === "number")) return d;
  return { coarse: d.coarse, fine: [...d.fine, target, Number((1 - target).toPrecision(12))] };
}

function findRatioIn(domains: readonly { coarse: Param[]; fine: Param[] }[], sli: Sli, target: number, minTraffic: number | undefined): Param[] | undefined {
  const objective: Objective = (params): Judgement => {
    // Every series in both phases: one that appears mid-test has no zero point to count from.
    if (params.some((p) => p === undefined)) return { feasible: false, score: 1e7 };
    const points = sli(params);
    if (points.length !== 1) return { feasible: false, score: 1e6 };
    const { ratio, total } = points[0]!;
    if (!(total > 0) || !Number.isFinite(ratio) || ratio < 0) return { feasible: false, score: 1e5 };
    const busy = minTraffic === undefined || total >= 2 * minTraffic;
    const close = target === 0 ? ratio === 0 : Math.abs(ratio - target) <= 0.02 * target;
    const distance = target === 0 ? ratio : Math.abs(Math.log(ratio + 1e-12) - Math.log(target));
    return { feasible: busy && close, score: distance + (busy ? 0 : 10) };
  };
  return search(domains, objective);
}

/** A stretch of a test's inputs: the SLI's series at fixed rates for a while. */
export interface Segment {
  params: Param[];
  durMs: number;
}

function burstPlan(slo: SloModel, ctx: SynthContext, variants: Variant[], quiet: Param[], burstParams: Param[], burst: Burst, predicted: string): PlannedTest | undefined {
  const segments: Segment[] = [
    { params: quiet, durMs: burst.tMs - burst.eMs - burst.dMs },
    { params: burstParams, durMs: burst.dMs },
    ...(burst.eMs ? [{ params: quiet, durMs: burst.eMs }] : []),
  ];
  const pct = (r: number) => `${Number((r * 100).toPrecision(3))}%`;
  const story = `errors at ${pct(burst.rB)} for ${burst.dMs / MINUTE}m ${burst.eMs ? `ending ${burst.eMs / MINUTE}m before` : "up to"} the end of ${burst.tMs / MINUTE}m`;
  return segmentPlan(slo, ctx, variants, segments, predicted, story);
}

/**
 * The test of inputs that change from segment to segment, checked at the end of the last: the
 * expectation is the evaluator's on the generated rules, and must be the model's `predicted`
 * tiers (comma-separated; undefined: whatever the rules do), or there is no test.
 */
export function segmentPlan(slo: SloModel, ctx: SynthContext, variants: Variant[], segments: readonly Segment[], predicted: string | undefined, story: string): PlannedTest | undefined {
  const tMs = segments.reduce((sum, s) => sum + s.durMs, 0);
  // promtool would check the alerts of the last evaluation before the end (every 5m) instead.
  if (tMs % BURST_INTERVAL_MS !== 0) return undefined;
  const phases: SeriesPhase[] = [];
  let endMs = 0;
  segments.forEach((s, i) => {
    endMs += s.durMs;
    phases.push({ endMs: i === segments.length - 1 ? Infinity : endMs, series: inputSeries(variants, s.params) });
  });
  const exact = phases.every((p) => exactInputs(p.series));
  // A gauge SLI (count_over_time of up), or a burn window off the 5m grid the inputs change on
  // (a 7d SLO's 7m and 14m), read across a change differs between 2.x's closed ranges and 3.x's
  // open ones: a spec targeting 2.x is then tested as 2.x reads it (the promtool that checks
  // the goldens is 2.42), and the test's name says so.
  let checks = expectations(slo, ctx, phases, tMs, exact, "both");
  let as2x = false;
  if (checks === RANGE_MODE && testsAs2x(ctx.service)) {
    checks = expectations(slo, ctx, phases, tMs, exact, "closed");
    as2x = true;
  }
  if (checks === undefined || checks === RANGE_MODE) return undefined;
  const actual = [...new Set(checks[0]!.expected.map((a) => a.labels.tier ?? ""))].sort().join(",");
  if (predicted !== undefined && actual !== predicted.split(",").filter(Boolean).sort().join(",")) return undefined;
  const outcome = actual ? `${actual.split(",").map((t) => (t === "page" ? "pages" : "opens a ticket")).join(" and ")}` : "stays silent";
  return {
    name: `slo ${slo.name}: ${story} ${outcome}${as2x ? " (ranges as Prometheus 2.x reads them)" : ""}`,
    variants,
    phases: segments.map((s) => ({ params: s.params, steps: s.durMs / MINUTE })),
    evalTimeMs: tMs,
    evalIntervalMs: BURST_INTERVAL_MS,
    alerts: checks,
    exprs: [],
  };
}

const RANGE_MODE = Symbol("depends on the range mode");

/**
 * What each alert of the SLO fires at the end of the phases: a series of a rule with a `for`
 * once it has held at every evaluation that long. Undefined where the evaluator cannot tell;
 * RANGE_MODE where the two range modes disagree.
 */
function expectations(slo: SloModel, ctx: SynthContext, phases: readonly SeriesPhase[], tMs: number, exact: boolean, modes: RangeModes): { alertName: string; expected: ExpectedAlert[] }[] | undefined | typeof RANGE_MODE {
  const checks: { alertName: string; expected: ExpectedAlert[] }[] = [];
  try {
    for (const name of [slo.alertName, ...(slo.noData ? [slo.noData.alertName] : [])]) {
      const expected: ExpectedAlert[] = [];
      for (const rule of ctx.rules.alerts.get(name) ?? []) {
        const at = (timeMs: number) => evaluateIn(modes, rule.expr, { series: [], phases, fromZero: true, recordings: ctx.rules.recordings, timeMs, intervalMs: TEST_INTERVAL_MS, ruleIntervalMs: BURST_INTERVAL_MS });
        let samples = at(tMs);
        const lags = heldLags(rule.forMs).slice(1);
        if (samples.length && lags.length) {
          if (lags.at(-1)! > tMs) samples = [];
          for (const lag of lags) {
            if (samples.length === 0) break;
            const before = new Set(at(tMs - lag).map((s) => labelsKey(s.labels)));
            samples = samples.filter((s) => before.has(labelsKey(s.labels)));
          }
        }
        for (const s of samples) expected.push(alertOfSample(rule, s, exact));
      }
      checks.push({ alertName: name, expected: expected.sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1)) });
    }
  } catch (err) {
    if (err instanceof RangeModeDependent) return RANGE_MODE;
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  return checks;
}
