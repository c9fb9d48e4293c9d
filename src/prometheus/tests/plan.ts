/** A planned test group, the context every scenario builder shares, and common helpers. */
import type { ServiceModel } from "../../model/types.js";
import { walk, type Expr } from "../../promql/ast.js";
import { evaluateVector } from "../../promql/eval/evaluate.js";
import type { InputSeries, Sample, SeriesPhase } from "../../promql/eval/types.js";
import type { SignalIndex } from "../../normalize/signals.js";
import type { ExpectedAlert } from "./expect.js";
import { TEST_INTERVAL_MS } from "./expect.js";
import type { RuleSet } from "./rule-set.js";
import { seriesOf, type Param, type Variant } from "./variants.js";

export interface Phase {
  params: Param[];
  /** Length of the phase in test intervals. */
  steps: number;
}

export interface AlertCheck {
  alertName: string;
  expected: ExpectedAlert[];
  /** Default: the test's evaluation time. */
  evalTimeMs?: number;
}

export interface ExprCheck {
  expr: string;
  samples: { labels: Record<string, string>; value: number }[];
}

export interface PlannedTest {
  name: string;
  variants: Variant[];
  phases: Phase[];
  evalTimeMs: number;
  /** How often promtool evaluates the rules (default TEST_INTERVAL_MS; samples stay 1m apart). */
  evalIntervalMs?: number;
  alerts: AlertCheck[];
  exprs: ExprCheck[];
}

export interface SynthContext {
  service: ServiceModel;
  rules: RuleSet;
  signals: SignalIndex;
  defaults: { job: string; instance: string };
  /** How often the tests of the alerts comparing with the past evaluate (their file's interval). */
  historyIntervalMs: number;
}

export function inputSeries(variants: readonly Variant[], params: readonly Param[]): InputSeries[] {
  return variants.flatMap((v, i) => seriesOf(v, params[i]));
}

/** Closed-range evaluation, for the search (the final choice is checked in both modes). */
export function quickEval(expr: Expr, ctx: SynthContext, input: readonly InputSeries[] | readonly SeriesPhase[], timeMs: number): Sample[] {
  const phases = isPhases(input) ? input : undefined;
  return evaluateVector(expr, { series: phases ? [] : (input as readonly InputSeries[]), ...(phases ? { phases } : {}), recordings: ctx.rules.recordings, timeMs, intervalMs: TEST_INTERVAL_MS, rangeMode: "closed" });
}

function isPhases(input: readonly InputSeries[] | readonly SeriesPhase[]): input is readonly SeriesPhase[] {
  return input.length > 0 && "endMs" in input[0]!;
}

/** How far back an expression reads raw series: ranges plus offsets, through user recordings. */
export function lookbackMs(expr: Expr, recordings: ReadonlyMap<string, readonly Expr[]>, isGenerated: (name: string) => boolean, seen = new Set<string>()): number {
  let max = 0;
  walk(expr, (node) => {
    if (node.type === "matrix") max = Math.max(max, node.range + Math.max(0, node.vector.offset ?? 0));
    if (node.type === "subquery") max = Math.max(max, node.range + (node.step ?? TEST_INTERVAL_MS) + Math.max(0, node.offset ?? 0));
    if (node.type === "vector") {
      max = Math.max(max, Math.max(0, node.offset ?? 0));
      const name = node.name;
      if (name === undefined || seen.has(name)) return;
      // Vigil's SLO ratios over long windows are ratios of sums of constants in a steady
      // test, so only their 5m event rates need history.
      if (isGenerated(name)) {
        max = Math.max(max, 5 * 60_000);
        return;
      }
      const inner = recordings.get(name);
      if (!inner) return;
      seen.add(name);
      for (const e of inner) max = Math.max(max, lookbackMs(e, recordings, isGenerated, seen));
    }
  });
  return max;
}

export function roundUpToInterval(ms: number): number {
  return Math.ceil(ms / TEST_INTERVAL_MS) * TEST_INTERVAL_MS;
}

/**
 * Log-distance between two magnitudes, robust around zero. Values of opposite signs are
 * farther apart than either is from zero: -0.85 is not near a threshold of 0.85.
 */
export function logDistance(a: number, b: number): number {
  const apart = a * b < 0 ? Math.abs(a) + Math.abs(b) : Math.abs(a);
  return Math.abs(Math.log(apart + 1e-9) - Math.log(Math.abs(b) + 1e-9)) + (a * b < 0 ? 1 : 0);
}
