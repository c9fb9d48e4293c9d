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
  /** Recording rules by name: their output is a constant gauge in the steady state. */
  recordings?: ReadonlyMap<string, readonly RecordingDefinition[]>;
  /** Evaluation time in ms since the series started. */
  timeMs: number;
  /** Interval between input samples (and rule evaluations) in ms. */
  intervalMs: number;
  /**
   * Prometheus 2.x selects ranges closed at both ends ([t-r, t]); 3.x opens them at the
   * start ((t-r, t]). Count-dependent functions differ, so callers evaluate both.
   */
  rangeMode: "closed" | "open";
}

/** Thrown for constructs whose steady-state value the evaluator cannot predict. */
export class Unsupported extends Error {}
