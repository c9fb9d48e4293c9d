/** Typed helper for an anomaly alert: a signal (or a selector of it) and the labels to keep. */
import type { AnomalySpec, SelectorSpec } from "../spec/types.js";
import type { Counter, Gauge, TargetLabel } from "./signals.js";

/** What an anomaly may watch: a counter (its rate) or a gauge itself, or a selector of one. */
export type AnomalySignal = Counter<string> | Gauge<string> | SelectorSpec;

/** The labels `by` may name: a counter's or gauge's declared labels (and job, instance); any for a selector. */
export type AnomalyByLabel<S> = S extends Counter<infer L> | Gauge<infer L> ? L | TargetLabel : string;

/** `anomaly()`'s input: `signal` may be a counter or gauge itself (all its series), and then `by` names its labels. */
export type AnomalyOptions<S extends AnomalySignal | undefined> = Omit<AnomalySpec, "signal" | "by"> & {
  /** A counter (watched as its rate) or a gauge, or a selector of one, e.g. `requests.select({ code: matches("2..") })`. */
  signal?: S;
  /** Labels of the signal to keep: one band per value combination. */
  by?: readonly NoInfer<AnomalyByLabel<S>>[];
};

/**
 * An anomaly alert, e.g.
 * `anomaly({ name: "checkout-traffic", signal: requests, by: ["route"], baseline: "1w", minTraffic: 1 })`.
 * With a counter or gauge as `signal`, `by` may only name its declared labels.
 */
export function anomaly<S extends AnomalySignal | undefined = undefined>(spec: AnomalyOptions<S>): AnomalySpec {
  const { signal, by, ...rest } = spec;
  const out: AnomalySpec = { ...rest };
  if (signal !== undefined) out.signal = isSignal(signal) ? signal.select() : signal;
  if (by !== undefined) out.by = [...by];
  return out;
}

function isSignal(s: AnomalySignal): s is Counter<string> | Gauge<string> {
  return typeof (s as { select?: unknown }).select === "function";
}
