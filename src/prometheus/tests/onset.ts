/**
 * Onset tests for expressions that read every range at one window and compare rates with
 * rates (a ratio of two rates, a quantile of bucket rates): scaling all inputs alike leaves
 * their value unchanged, so steady inputs from the test's start cannot tell their window from
 * any other. After safe inputs, inputs just past the threshold make the expression cross it
 * only once its window reads (nearly) nothing else: a check when the alert first fires, and
 * one at the evaluation before, pin the window's length (and the `for` after it).
 *
 * Alerts comparing with last week get two: the traffic of now changes (the window of now),
 * and the traffic of a week ago changes (the window read at the offset).
 *
 * Any other one-window expression (`increase(x[10m]) > 50`, `avg_over_time(up[1h]) < 0.995`)
 * also gets the reverse: after firing inputs, safe ones, and when the alert stops firing.
 */
import { walk, type Expr } from "../../promql/ast.js";
import { Unsupported, type SeriesPhase } from "../../promql/eval/types.js";
import { formatDuration } from "../../promql/format.js";
import { AlertTimeline, testsAs2x } from "./expect.js";
import { inputSeries, type PlannedTest, type SynthContext } from "./plan.js";
import type { Param, Variant } from "./variants.js";

const MINUTE = 60_000;

/** The one window every range of an expression reads, if there is one. */
export function singleWindow(expr: Expr): number | undefined {
  const windows = new Set<number>();
  walk(expr, (node) => {
    if (node.type === "matrix") windows.add(node.range);
  });
  return windows.size === 1 ? [...windows][0] : undefined;
}

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
  /** The inputs, phase by phase: the last phase is the one past the threshold and has no end. */
  phases: { params: Param[]; endMs: number }[];
  /** When the inputs cross the threshold: every range before it reads steady inputs. */
  switchMs: number;
  windowMs: number;
  forMs: number;
  /** How often promtool evaluates the rules of the test's file. */
  evalIntervalMs?: number;
  /** Which window the test pins, for its name (default: the expression's one window). */
  what?: string;
  /**
   * "stops": the inputs return from past the threshold to safe ones, and the test pins when the
   * alert stops firing — the window then still reads the firing inputs, and a `for` plays no
   * part (an expression past its threshold at once, `increase(x[10m]) > 0`, shows its window only so).
   */
  direction?: "fires" | "stops";
  /** The promtool that checks the goldens reads ranges as 2.x does: test so where 3.x would read them otherwise. */
  as2x?: boolean;
}): PlannedTest | undefined {
  if (args.as2x === undefined) {
    const both = onsetTest({ ...args, as2x: false });
    if (both && tight(both)) return both;
    // Where the engines disagree on the evaluations just before the alert changes (the window
    // then spans the switch), the test checks earlier and pins less: 2.x's reading checks at the
    // evaluation just before.
    const as2x = testsAs2x(args.ctx.service) ? onsetTest({ ...args, as2x: true }) : undefined;
    return as2x && (!both || tight(as2x)) ? as2x : both;
  }
  const { ctx, name, severity, variants, phases, switchMs, windowMs, forMs } = args;
  const stops = args.direction === "stops";
  const step = args.evalIntervalMs ?? MINUTE;
  // A series that appears or vanishes at a switch would be read differently by the engines.
  for (let i = 1; i < phases.length; i++) {
    if (phases[i]!.params.some((p, k) => (p === undefined) !== (phases[i - 1]!.params[k] === undefined))) return undefined;
  }
  const seriesPhases = phases.map((p, i) => ({ endMs: i === phases.length - 1 ? Infinity : p.endMs, series: inputSeries(variants, p.params) }));
  const untilMs = switchMs + 3 * windowMs + forMs + 5 * MINUTE;
  try {
    const timeline = timelineOf(ctx, name, seriesPhases, untilMs, step, args.as2x === true);
    if (!timeline) return undefined;
    const state = (t: number) => {
      try {
        return timeline.at(t);
      } catch (err) {
        if (err instanceof Unsupported) return undefined;
        throw err;
      }
    };
    const fires = (t: number) => state(t)?.some((a) => a.labels.severity === severity) === !stops;
    if (state(switchMs) === undefined || fires(switchMs)) return undefined;
    let lastQuiet = switchMs;
    for (let t = switchMs + step; t <= untilMs; t += step) {
      const now = state(t);
      if (now === undefined) continue;
      if (!fires(t)) {
        lastQuiet = t;
        continue;
      }
      let startMs = 0;
      return {
        name:
          `alert ${name}: ${severity} ${stops ? "stops firing" : "fires"} ${formatDuration(t - switchMs)} after its inputs ` +
          `${stops ? "return to the safe side" : "cross the threshold"} (${args.what ?? `its [${formatDuration(windowMs)}] window`}${stops ? "" : ", then its for"})` +
          (args.as2x ? " (ranges as Prometheus 2.x reads them)" : ""),
        variants,
        phases: phases.map((p, i) => {
          const endMs = i === phases.length - 1 ? t : p.endMs;
          // The last phase's samples run to the evaluation (which may fall between two).
          const steps = Math.ceil((endMs - startMs) / MINUTE);
          startMs = endMs;
          return { params: p.params, steps };
        }),
        evalTimeMs: t,
        ...(step !== MINUTE ? { evalIntervalMs: step } : {}),
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

/** Whether an onset test's quiet check is the evaluation just before the change it pins. */
function tight(test: PlannedTest): boolean {
  const [quiet, changed] = test.alerts;
  return quiet?.evalTimeMs !== undefined && test.evalTimeMs - quiet.evalTimeMs === (test.evalIntervalMs ?? MINUTE) && changed !== undefined;
}

/** The alerts at each evaluation; undefined where the evaluator cannot tell from the first one. */
function timelineOf(ctx: SynthContext, name: string, phases: readonly SeriesPhase[], untilMs: number, step: number, as2x: boolean): AlertTimeline | undefined {
  try {
    return new AlertTimeline(ctx.rules, name, phases, untilMs, step, as2x ? "closed" : "both");
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}
