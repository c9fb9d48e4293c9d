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
import { alertOfSample, BURST_INTERVAL_MS, evaluateBoth, exactInputs, TEST_INTERVAL_MS, type ExpectedAlert } from "./expect.js";
import { inputSeries, type PlannedTest, type SynthContext } from "./plan.js";
import { search, type Judgement, type Objective } from "./search.js";
import { storyTests } from "./slo-stories.js";
import type { Param, Variant } from "./variants.js";

const MINUTE = 60_000;
const TILE = 5 * MINUTE;
/** Longest burst test: promtool evaluates every rule each 5m of it. */
export const MAX_BURST_TEST_MS = 180 * MINUTE;
const MAX_SCENARIOS = 8;
/** Quiet minutes after a burst (also each burn window): a short window recovered while a long one burns. */
const RECOVERIES = [0, TILE, 2 * TILE];

export interface Condition {
  longMs: number;
  shortMs: number;
  factor: number;
}

export interface Model {
  budget: number;
  tiers: { tier: BurnTierModel["tier"]; conditions: Condition[] }[];
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

/** The error ratio a window reads at the end of a burst (nothing exists before the test). */
function ratioOver(windowMs: number, b: Burst): number {
  const span = Math.min(windowMs, b.tMs);
  const burst = Math.max(0, Math.min(span, b.eMs + b.dMs) - b.eMs);
  const rest = span - burst;
  return (b.rB * b.sB * burst + b.rA * b.sA * rest) / (b.sB * burst + b.sA * rest);
}

/** The tiers whose burn-rate conditions hold, given the error ratio each window reads. */
export function firingTiers(model: Model, ratio: (windowMs: number) => number): string[] {
  return model.tiers
    .filter((t) => t.conditions.some((c) => ratio(c.longMs) > c.factor * model.budget && ratio(c.shortMs) > c.factor * model.budget))
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
  model.tiers.forEach((tier, t) =>
    tier.conditions.forEach((c, i) => {
      for (const k of [1.1, 0.9]) change(`${tier.tier}[${i}] factor ×${k}`, tier.tier, (m) => (m.tiers[t]!.conditions[i]!.factor *= k));
      for (const which of ["longMs", "shortMs"] as const) {
        const own = c[which];
        const neighbours = [windows.filter((w) => w < own).at(-1), windows.find((w) => w > own)];
        for (const w of neighbours) if (w !== undefined) change(`${tier.tier}[${i}] ${which} → ${w}`, tier.tier, (m) => (m.tiers[t]!.conditions[i]![which] = w));
      }
    }),
  );
  return out;
}

export type Sli = (params: readonly Param[]) => readonly { ratio: number; total: number }[];

export function burstTests(slo: SloModel, ctx: SynthContext, variants: Variant[], domains: readonly { coarse: Param[]; fine: Param[] }[], sli: Sli): PlannedTest[] {
  // A tier with a for would need the minutes before the check, where ranges straddle the
  // burst's edges: scenarios keep such tiers silent and tell only the others apart.
  const tiers = slo.tiers.filter((t) => t.forMs === 0);
  if (tiers.length === 0) return [];
  const model: Model = { budget: slo.budget, tiers: slo.tiers.map((t) => ({ tier: t.tier, conditions: t.conditions.map((c) => ({ ...c })) })) };
  const held = new Set<string>(slo.tiers.filter((t) => t.forMs > 0).map((t) => t.tier));
  const windows = sloWindows(slo);
  const mutants = perturbations(model, windows).filter((m) => m.tier === undefined || !held.has(m.tier));

  // Inputs: a quiet phase (no errors) and bursts at a few error ratios, found by search.
  const quiet = findRatio(domains, sli, 0, slo.minTraffic);
  if (!quiet) return [];
  const quietPoint = sli(quiet)[0]!;
  const levels = [...new Set(tiers.flatMap((t) => t.conditions.flatMap((c) => [1.3, 2, 3.5, 6, 12].map((m) => Math.min(0.9, m * c.factor * slo.budget)))))].sort((a, b) => a - b);
  const bursts: { params: Param[]; ratio: number; total: number }[] = [];
  for (const level of levels) {
    const params = findRatio(domains, sli, level, slo.minTraffic);
    if (!params) continue;
    const p = sli(params)[0]!;
    bursts.push({ params, ratio: p.ratio, total: p.total });
  }

  // Each candidate burst with the perturbations it tells apart: a kill must show in a tier
  // without a for (tiers with one must stay silent, so the real rules can be checked).
  const visible = (m: Model, burst: Burst) => firingTiers(m, (w) => ratioOver(w, burst)).filter((t) => !held.has(t)).join(",");
  const recoveries = [...new Set([...RECOVERIES, ...windows.filter((w) => w < MAX_BURST_TEST_MS)])];
  const candidates: { burst: Burst; params: Param[]; outcome: string; kills: number[] }[] = [];
  for (const b of bursts) {
    for (let tMs = 2 * TILE; tMs <= MAX_BURST_TEST_MS; tMs += 2 * TILE) {
      for (const eMs of recoveries) {
        for (let dMs = TILE; dMs + eMs < tMs; dMs += TILE) {
          const burst: Burst = { tMs, dMs, eMs, rA: quietPoint.ratio, sA: quietPoint.total, rB: b.ratio, sB: b.total };
          if (!clearOfThresholds(model, (w) => ratioOver(w, burst))) continue;
          const tiers = firingTiers(model, (w) => ratioOver(w, burst));
          if (tiers.some((t) => held.has(t))) continue;
          const outcome = tiers.join(",");
          const kills = mutants.flatMap((m, i) => (visible(m.model, burst) !== outcome ? [i] : []));
          if (kills.length) candidates.push({ burst, params: b.params, outcome, kills });
        }
      }
    }
  }
  // Greedy cover: the scenario telling the most uncovered perturbations apart, until none is left.
  const uncovered = new Set(mutants.map((_, i) => i));
  const chosen: typeof candidates = [];
  while (uncovered.size > 0 && chosen.length < MAX_SCENARIOS) {
    let best: { c: (typeof candidates)[number]; kills: number[] } | undefined;
    for (const c of candidates) {
      const kills = c.kills.filter((i) => uncovered.has(i));
      if (kills.length > (best?.kills.length ?? 0) || (best && kills.length === best.kills.length && c.burst.tMs < best.c.burst.tMs)) best = { c, kills };
    }
    if (!best) break;
    chosen.push(best.c);
    for (const i of best.kills) uncovered.delete(i);
  }

  const plans: PlannedTest[] = [];
  const told = new Set<number>();
  for (const { burst, params, outcome, kills } of chosen) {
    const plan = burstPlan(slo, ctx, variants, quiet, params, burst, outcome);
    if (!plan) continue;
    plans.push(plan);
    for (const i of kills) told.add(i);
  }
  const untold = new Set(mutants.flatMap((_, i) => (told.has(i) ? [] : [i])));
  // What no burst tells apart, a longer story may.
  plans.push(...storyTests({ slo, ctx, variants, domains, sli, model, held, windows, mutants, uncovered: untold, quiet: { params: quiet, ...quietPoint } }));
  return plans;
}

/** Every window's ratio at least 1% away from every threshold: no ties between engines. */
export function clearOfThresholds(model: Model, ratio: (windowMs: number) => number): boolean {
  for (const tier of model.tiers) {
    for (const c of tier.conditions) {
      const theta = c.factor * model.budget;
      for (const w of [c.longMs, c.shortMs]) if (Math.abs(ratio(w) - theta) < 0.01 * theta) return false;
    }
  }
  return true;
}

export function findRatio(domains: readonly { coarse: Param[]; fine: Param[] }[], sli: Sli, target: number, minTraffic: number | undefined): Param[] | undefined {
  const objective: Objective = (params): Judgement => {
    // Every series in both phases: one that appears mid-test has no zero point to count from.
    if (params.some((p) => p === undefined)) return { feasible: false, score: 1e7 };
    const points = sli(params);
    if (points.length !== 1) return { feasible: false, score: 1e6 };
    const { ratio, total } = points[0]!;
    if (!(total > 0) || !Number.isFinite(ratio)) return { feasible: false, score: 1e5 };
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
 * tiers (comma-separated), or there is no test.
 */
export function segmentPlan(slo: SloModel, ctx: SynthContext, variants: Variant[], segments: readonly Segment[], predicted: string, story: string): PlannedTest | undefined {
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
  const checks: { alertName: string; expected: ExpectedAlert[] }[] = [];
  try {
    for (const name of [slo.alertName, ...(slo.noData ? [slo.noData.alertName] : [])]) {
      const expected: ExpectedAlert[] = [];
      for (const rule of ctx.rules.alerts.get(name) ?? []) {
        const samples = evaluateBoth(rule.expr, { series: [], phases, fromZero: true, recordings: ctx.rules.recordings, timeMs: tMs, intervalMs: TEST_INTERVAL_MS });
        // A rule with a for would need the minutes before, which the evaluator cannot see.
        if (samples.length && rule.forMs > 0) return undefined;
        for (const s of samples) expected.push(alertOfSample(rule, s, exact));
      }
      checks.push({ alertName: name, expected: expected.sort((a, b) => (labelsKey(a.labels) < labelsKey(b.labels) ? -1 : 1)) });
    }
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  const actual = [...new Set(checks[0]!.expected.map((a) => a.labels.tier ?? ""))].sort().join(",");
  if (actual !== predicted.split(",").filter(Boolean).sort().join(",")) return undefined;
  const outcome = actual ? `${actual.split(",").map((t) => (t === "page" ? "pages" : "opens a ticket")).join(" and ")}` : "stays silent";
  return {
    name: `slo ${slo.name}: ${story} ${outcome}`,
    variants,
    phases: segments.map((s) => ({ params: s.params, steps: s.durMs / MINUTE })),
    evalTimeMs: tMs,
    evalIntervalMs: BURST_INTERVAL_MS,
    alerts: checks,
    exprs: [],
  };
}
