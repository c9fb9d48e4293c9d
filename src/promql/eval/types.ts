/**
 * A steady-state PromQL evaluator, used to synthesize promtool unit tests.
 *
 * Synthetic input series are either counters growing linearly from 0 at t=0 (`0+s·Δx N`)
 * or constant gauges. At an evaluation time later than every range the expression reads,
 * each range function then has a closed form (rate = slope, avg_over_time = the value, …),
 * so the evaluator predicts which alerts fire, with which labels and values. promtool then
 * judges the prediction: a wrong prediction is a failing generated test, never a silent pass.
 */
import type { Expr } from "../ast.js";

export type Labels = Readonly<Record<string, string>>;

export interface InputSeries {
  labels: Labels;
  kind: "counter" | "gauge";
  /** Counter: increase per second. Gauge: its constant value. */
  value: number;
}

export interface Sample {
  labels: Labels;
  value: number;
}

export interface RangeSeries extends InputSeries {
  /** Number of samples in the range. */
  samples: number;
  rangeMs: number;
  /** A counter's value at the range's last sample (default: `value` × the evaluation time). */
  last?: number;
  /** With `fromZero`, a range reaching before 0 covers only this much (ms since the sample at 0). */
  coveredMs?: number;
  /** A counter's range across a change of its slope: `value` is the mean slope from its first sample to its last. */
  spansChange?: boolean;
  /** A gauge's range across a change of the input: the value of each of its samples, oldest first. */
  gaugeValues?: number[];
}

/**
 * One stretch of a test's input: samples after the previous phase's end up to `endMs` hold
 * these series (phase 0 also holds the sample at 0 and, as in the steady state, everything
 * before). Counters keep counting across phases; a series absent from a phase restarts at 0.
 */
export interface SeriesPhase {
  endMs: number;
  series: readonly InputSeries[];
}

export type Value =
  | { type: "scalar"; value: number }
  | { type: "string"; value: string }
  | { type: "vector"; samples: Sample[] }
  | { type: "matrix"; series: RangeSeries[] };

export interface RecordingDefinition {
  expr: Expr;
  labels: Labels;
}

export interface EvalOptions {
  series: readonly InputSeries[];
  /**
   * Input that changes over time; when given, `series` is ignored. A range (or instant read)
   * must then lie within one phase — the evaluator still knows only steady states.
   */
  phases?: readonly SeriesPhase[];
  /** Recording rules by name: their output is a constant gauge in the steady state. */
  recordings?: ReadonlyMap<string, readonly RecordingDefinition[]>;
  /** Evaluation time in ms since the series started. */
  timeMs: number;
  /** Interval between input samples (and rule evaluations) in ms. */
  intervalMs: number;
  /**
   * How often the rules are evaluated (from 0), where that differs from the input's interval:
   * given, a range over a recording that changes within it reads the recording's value at each
   * evaluation in the range; not given, such a range is not modelled.
   */
  ruleIntervalMs?: number;
  /**
   * Prometheus 2.x selects ranges closed at both ends ([t-r, t]); 3.x opens them at the
   * start ((t-r, t]). Count-dependent functions differ, so callers evaluate both.
   */
  rangeMode: "closed" | "open";
  /**
   * The series start at 0, as in a promtool test: nothing exists before, and a range reaching
   * before 0 holds only the samples since (for the first minutes of a test). Without it, the
   * steady state extends into the past.
   */
  fromZero?: boolean;
}

/** Thrown for constructs whose steady-state value the evaluator cannot predict. */
export class Unsupported extends Error {}
