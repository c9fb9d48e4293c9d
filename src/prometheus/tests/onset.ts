/**
 * Onset tests for expressions that read every range at one window and compare rates with
 * rates (a ratio of two rates, a quantile of bucket rates): scaling all inputs alike leaves
 * their value unchanged, so steady inputs from the test's start cannot tell their window from
 * any other. After safe inputs, inputs just past the threshold make the expression cross it
 * only once its window reads (nearly) nothing else: a check when the alert first fires, and
 * one at the evaluation before, pin the window's length (and the `for` after it).
 */
import { walk, type Expr } from "../../promql/ast.js";
import { Unsupported } from "../../promql/eval/types.js";
import { formatDuration } from "../../promql/format.js";
import { AlertTimeline } from "./expect.js";
import { inputSeries, type PlannedTest, type SynthContext } from "./plan.js";
import type { Param, Variant } from "./variants.js";

const MINUTE = 60_000;

/** The one window of an expression whose value does not change when every input scales alike. */
export function scaleInvariantWindow(expr: Expr): number | undefined {
  const ranges: number[] = [];
  let quantile = false;
  walk(expr, (node) => {
    if (node.type === "matrix") ranges.push(node.range);
    if (node.type === "call" && node.func === "histogram_quantile") quantile = true;
  });
  const windows = new Set(ranges);
  return windows.size === 1 && (ranges.length > 1 || quantile) ? ranges[0] : undefined;
}

export function onsetTest(args: {
  ctx: SynthContext;
  name: string;
  severity: string;
  variants: Variant[];
  firing: Param[];
  safe: Param[];
  /** When the safe inputs end: every range is inside them. */
  switchMs: number;
  windowMs: number;
  forMs: number;
}): PlannedTest | undefined {
  const { ctx, name, severity, variants, firing, safe, switchMs, windowMs, forMs } = args;
  // A series that appears or vanishes at the switch would be read differently by the engines.
  if (firing.some((p, i) => (p === undefined) !== (safe[i] === undefined))) return undefined;
  const phases = [
    { endMs: switchMs, series: inputSeries(variants, safe) },
    { endMs: Infinity, series: inputSeries(variants, firing) },
  ];
  const untilMs = switchMs + 3 * windowMs + forMs + 5 * MINUTE;
  try {
    const timeline = new AlertTimeline(ctx.rules, name, phases, untilMs);
    const state = (t: number) => {
      try {
        return timeline.at(t);
      } catch (err) {
        if (err instanceof Unsupported) return undefined;
        throw err;
      }
    };
    const fires = (t: number) => state(t)?.some((a) => a.labels.severity === severity);
    if (state(switchMs) === undefined || fires(switchMs)) return undefined;
    let lastQuiet = switchMs;
    for (let t = switchMs + MINUTE; t <= untilMs; t += MINUTE) {
      const now = state(t);
      if (now === undefined) continue;
      if (!fires(t)) {
        lastQuiet = t;
        continue;
      }
      return {
        name: `alert ${name}: ${severity} fires ${(t - switchMs) / MINUTE}m after its inputs cross the threshold (its [${formatDuration(windowMs)}] window, then its for)`,
        variants,
        phases: [
          { params: safe, steps: switchMs / MINUTE },
          { params: firing, steps: (t - switchMs) / MINUTE },
        ],
        evalTimeMs: t,
        alerts: [
          { alertName: name, expected: state(lastQuiet)!, evalTimeMs: lastQuiet },
          { alertName: name, expected: now },
        ],
        exprs: [],
      };
    }
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  return undefined;
}
