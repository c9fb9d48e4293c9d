/**
 * Tests of an SLO's minTraffic guard on each page condition: `avg_over_time(total[long]) >= m`.
 * A steady outage just above and just below m shows the guard as a whole, but not which
 * condition's guard decides, nor its window: where two conditions hold, a guard moved by 10%
 * (or a window halved or doubled) on one is covered by the other. These tests shape the traffic
 * — low for a while, then just above or below m — with the errors at a ratio past one
 * condition's threshold (or a total outage), so that one guard alone decides.
 *
 * Candidates are judged on the generated rule and on each of its guards changed (threshold ×1.1
 * and ×0.9, window ×2 and ÷2), by the evaluator at the test's end, and picked greedily by the
 * changes they tell apart; each becomes a test only where the evaluator's expectation holds in
 * the range modes the spec is tested in (segmentPlan).
 */
import { walk, type Expr } from "../../promql/ast.js";
import { Unsupported } from "../../promql/eval/types.js";
import type { SloModel } from "../../model/types.js";
import { formatNumber } from "../../promql/format.js";
import { BURST_INTERVAL_MS, evaluateIn, TEST_INTERVAL_MS } from "./expect.js";
import { inputSeries, type PlannedTest, type SynthContext } from "./plan.js";
import { findRatio, segmentPlan, type Segment, type Sli } from "./slo-bursts.js";
import { formatSpan, scaleParam } from "./slo-stories.js";
import type { Param, Variant } from "./variants.js";

const MINUTE = 60_000;
/** Traffic just either side of minTraffic, and the low traffic before it. */
const NEAR = [1.05, 0.95];
const LOW = 0.5;
const HIGH = 1.3;
const MAX_TESTS = 6;

interface Guard {
  /** Index among the page rule's guards, in walk order. */
  index: number;
  windowMs: number;
}

interface Mutant {
  what: string;
  expr: Expr;
}

interface Candidate {
  segments: Segment[];
  text: string;
  kills: number[];
}

export function guardTests(slo: SloModel, ctx: SynthContext, variants: Variant[], domains: readonly { coarse: Param[]; fine: Param[] }[], sli: Sli): PlannedTest[] {
  const m = slo.minTraffic;
  const page = slo.tiers.find((t) => t.tier === "page");
  const rule = (ctx.rules.alerts.get(slo.alertName) ?? []).find((r) => r.labels.tier === "page");
  if (m === undefined || !page || !rule || rule.forMs > 0) return [];
  const guards = guardsOf(rule.expr, m);
  if (guards.length === 0) return [];
  const mutants = guards.flatMap((g) => mutantsOf(rule.expr, g, m));

  // Inputs at an error ratio and a traffic: found at the SLI's own traffic, then scaled.
  const levels = new Map<string, Param[] | undefined>();
  const level = (ratio: number, traffic: number): Param[] | undefined => {
    const key = `${ratio}@${traffic}`;
    if (!levels.has(key)) levels.set(key, scaledLevel(ratio, traffic));
    return levels.get(key);
  };
  const scaledLevel = (ratio: number, traffic: number): Param[] | undefined => {
    const params = findRatio(domains, sli, ratio, undefined);
    const base = params && sli(params)[0];
    if (!params || !base || !(base.total > 0)) return undefined;
    const scaled = params.map((p) => scaleParam(p, traffic / base.total));
    const point = sli(scaled)[0];
    const close = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(y), 1e-12);
    return point && close(point.total, traffic) && close(point.ratio, base.ratio) ? scaled : undefined;
  };

  const fires = (expr: Expr, segments: readonly Segment[]): boolean | undefined => {
    let endMs = 0;
    const phases = segments.map((s, i) => {
      endMs += s.durMs;
      return { endMs: i === segments.length - 1 ? Infinity : endMs, series: inputSeries(variants, s.params) };
    });
    try {
      const options = { series: [], phases, fromZero: true, recordings: ctx.rules.recordings, timeMs: endMs, intervalMs: TEST_INTERVAL_MS, ruleIntervalMs: BURST_INTERVAL_MS };
      return evaluateIn("closed", expr, options).length > 0;
    } catch (err) {
      if (err instanceof Unsupported) return undefined;
      throw err;
    }
  };

  // Error ratios: a total outage, and past each page condition's threshold but short of the next.
  const thetas = [...new Set(page.conditions.map((c) => c.factor * slo.budget))].sort((a, b) => a - b);
  const ratios = [1, ...thetas.map((t, i) => Math.min(t * 1.5, (thetas[i + 1] ?? Infinity) * 0.8)).filter((r) => r < 1)];
  const longest = Math.max(...guards.map((g) => g.windowMs));
  const candidates: Candidate[] = [];
  for (const g of guards) {
    const W = g.windowMs;
    for (const ratio of ratios) {
      const shapes: { lowMs: number; highMs: number; k: number }[] = [
        ...NEAR.map((k) => ({ lowMs: 0, highMs: W + 10 * MINUTE, k })),
        ...NEAR.map((k) => ({ lowMs: longest - W, highMs: W + 10 * MINUTE, k })),
        ...NEAR.map((k) => ({ lowMs: W, highMs: W, k })),
        { lowMs: W / 2, highMs: W / 2, k: HIGH },
      ];
      for (const { lowMs, highMs, k } of shapes) {
        const high = level(ratio, k * m);
        const low = level(ratio, LOW * m);
        if (!high || (lowMs > 0 && !low) || (lowMs + highMs) % BURST_INTERVAL_MS !== 0) continue;
        const segments: Segment[] = [...(lowMs > 0 ? [{ params: low!, durMs: lowMs }] : []), { params: high, durMs: highMs }];
        const original = fires(rule.expr, segments);
        if (original === undefined) continue;
        const kills = mutants.flatMap((mu, i) => (fires(mu.expr, segments) === !original ? [i] : []));
        if (kills.length === 0) continue;
        const errors = ratio === 1 ? "a total outage" : `errors at ${Number((ratio * 100).toPrecision(3))}%`;
        const traffic = (x: number, ms: number) => `${formatNumber(Number((x * m).toPrecision(4)))} events/s for ${formatSpan(ms)}`;
        const text = `minTraffic ${formatNumber(m)}: ${errors}${lowMs > 0 ? ` at ${traffic(LOW, lowMs)}, then` : ""} at ${traffic(k, highMs)}:`;
        candidates.push({ segments, text, kills });
      }
    }
  }

  const uncovered = new Set(mutants.map((_, i) => i));
  const plans: PlannedTest[] = [];
  const length = (x: Candidate) => x.segments.reduce((sum, s) => sum + s.durMs, 0);
  while (uncovered.size > 0 && plans.length < MAX_TESTS) {
    let best: Candidate | undefined;
    let bestKills = 0;
    for (const c of candidates) {
      const n = c.kills.filter((i) => uncovered.has(i)).length;
      if (n > bestKills || (n === bestKills && n > 0 && best && length(c) < length(best))) [best, bestKills] = [c, n];
    }
    if (!best) break;
    candidates.splice(candidates.indexOf(best), 1);
    const plan = segmentPlan(slo, ctx, variants, best.segments, undefined, best.text);
    if (!plan) continue;
    plans.push(plan);
    for (const i of best.kills) uncovered.delete(i);
  }
  return plans;
}

/** The guards of a page rule, `avg_over_time(…[W]) >= m`, in walk order. */
function guardsOf(expr: Expr, m: number): Guard[] {
  const out: Guard[] = [];
  walk(expr, (node) => {
    if (isGuard(node, m)) out.push({ index: out.length, windowMs: guardWindow(node)! });
  });
  return out;
}

function isGuard(node: Expr, m: number): boolean {
  return node.type === "binary" && node.op === ">=" && node.rhs.type === "number" && node.rhs.value === m && guardWindow(node) !== undefined;
}

function guardWindow(node: Expr): number | undefined {
  if (node.type !== "binary" || node.lhs.type !== "call" || node.lhs.func !== "avg_over_time") return undefined;
  const arg = node.lhs.args[0];
  return arg?.type === "matrix" ? arg.range : undefined;
}

/** The rule with one guard changed: threshold ×1.1 and ×0.9, window ×2 and ÷2. */
function mutantsOf(expr: Expr, g: Guard, m: number): Mutant[] {
  const change = (what: string, edit: (node: Expr & { type: "binary" }) => void): Mutant => {
    const copy = structuredClone(expr);
    let seen = 0;
    walk(copy, (node) => {
      if (isGuard(node, m) && seen++ === g.index) edit(node as Expr & { type: "binary" });
    });
    return { what, expr: copy };
  };
  const setThreshold = (k: number) => (node: Expr & { type: "binary" }) => {
    if (node.rhs.type === "number") node.rhs.value = m * k;
  };
  const setWindow = (k: number) => (node: Expr & { type: "binary" }) => {
    const arg = node.lhs.type === "call" ? node.lhs.args[0] : undefined;
    if (arg?.type === "matrix") arg.range = g.windowMs * k;
  };
  return [change("×1.1", setThreshold(1.1)), change("×0.9", setThreshold(0.9)), change("window ×2", setWindow(2)), change("window ÷2", setWindow(0.5))];
}
