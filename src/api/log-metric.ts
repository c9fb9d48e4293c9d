/**
 * Typed helper for a metric from logs: `logMetric({ name, kind: "counter", match, by })` is the
 * spec data of `logs.metrics` and, like a counter, selects its series (`.select()`), typed by
 * the labels its `by` gives, on mtail's scrape job.
 */
import type { LogMetricLabelSpec, LogMetricMatchSpec, LogMetricSpec } from "../spec/types.js";
import { Selector, type Matchers, type TargetLabel } from "./signals.js";

/** mtail's scrape job (an `exporters` entry named `mtail` may give it targets). */
const MTAIL_JOB = "mtail";

/** The label a `by` entry makes: its `label`, or the field's name. */
export type LogMetricLabel<B> = B extends string ? B : B extends { label: infer L extends string } ? L : B extends { field: infer F extends string } ? F : never;

export class LogMetric<L extends string = never> implements LogMetricSpec {
  readonly name: string;
  readonly kind = "counter" as const;
  readonly help?: string;
  readonly match?: LogMetricMatchSpec;
  readonly by?: (string | LogMetricLabelSpec)[];

  constructor(spec: LogMetricSpec) {
    this.name = spec.name;
    // Only what was given: an own property holding `undefined` would fail schema validation.
    if (spec.help !== undefined) this.help = spec.help;
    if (spec.match !== undefined) this.match = spec.match;
    if (spec.by !== undefined) this.by = spec.by.map((b) => (typeof b === "string" ? b : { ...b }));
  }

  /** Selects the counter's series (on job `mtail` unless `job` is given). */
  select(matchers?: Matchers<L | TargetLabel>): Selector {
    return new Selector(this.name, matchers && "job" in matchers ? matchers : { job: MTAIL_JOB, ...matchers });
  }

  toString(): string {
    return this.name;
  }
}

/**
 * A counter of the service's JSON log lines, for `logs.metrics`, e.g.
 * `logMetric({ name: "log_errors_total", kind: "counter", match: { category: "error" }, by: [{ field: "ip_address", truncate: "/24" }] })`.
 */
export function logMetric<const B extends readonly (string | LogMetricLabelSpec)[] = []>(spec: Omit<LogMetricSpec, "by"> & { by?: B }): LogMetric<LogMetricLabel<B[number]>> {
  const { by, ...rest } = spec;
  return new LogMetric<LogMetricLabel<B[number]>>(by === undefined ? rest : { ...rest, by: [...by] });
}
