/**
 * Typed signal builders. A signal remembers its label names in its type, so a selector that
 * matches on an undeclared label is a TypeScript error in the editor (and a VIG1005 diagnostic
 * at compile time); normalize re-checks the same rule for YAML/JSON specs (VIG2002).
 *
 * Signals and selectors are plain data at runtime (methods live on the prototype), so the
 * object a spec exports is exactly what a YAML or JSON spec would contain.
 */
import type { MatcherSpec, SelectorSpec, SignalSpec, SignalType } from "../spec/types.js";
import { formatSelector } from "./promql-text.js";

/** Labels every scraped series carries, added by Prometheus from the target. */
export type TargetLabel = "job" | "instance";

/** Matchers keyed by the label names a signal declares. */
export type Matchers<L extends string> = { readonly [K in L]?: MatcherSpec };

export interface SignalOptions<L extends string> {
  help?: string;
  unit?: string;
  /** Label names the metric carries (besides `job` and `instance`). */
  labels?: readonly L[];
}

export interface HistogramOptions<L extends string> extends SignalOptions<L> {
  /** Bucket upper bounds (`le`), ascending; Prometheus' default buckets when omitted. */
  buckets?: readonly number[];
}

export interface SummaryOptions<L extends string> extends SignalOptions<L> {
  quantiles?: readonly number[];
}

/** A series selector; `String(selector)` is its PromQL text, so it can be interpolated into queries. */
export class Selector implements SelectorSpec {
  readonly metric: string;
  readonly matchers?: Record<string, MatcherSpec>;

  constructor(metric: string, matchers?: Matchers<string>) {
    this.metric = metric;
    if (matchers && Object.keys(matchers).length > 0) this.matchers = { ...(matchers as Record<string, MatcherSpec>) };
  }

  toString(): string {
    return formatSelector(this);
  }
}

abstract class Signal<L extends string> implements SignalSpec {
  readonly name: string;
  abstract readonly type: SignalType;
  readonly labels: L[];
  readonly help?: string;
  readonly unit?: string;

  constructor(name: string, options: SignalOptions<L>) {
    this.name = name;
    this.labels = [...(options.labels ?? [])];
    // Only set what was given: an own property holding `undefined` would fail schema validation.
    if (options.help !== undefined) this.help = options.help;
    if (options.unit !== undefined) this.unit = options.unit;
  }

  toString(): string {
    return this.name;
  }
}

export class Counter<L extends string = never> extends Signal<L> {
  readonly type = "counter" as const;
  /** Selects the counter's series. */
  select(matchers?: Matchers<L | TargetLabel>): Selector {
    return new Selector(this.name, matchers);
  }
}

export class Gauge<L extends string = never> extends Signal<L> {
  readonly type = "gauge" as const;
  select(matchers?: Matchers<L | TargetLabel>): Selector {
    return new Selector(this.name, matchers);
  }
}

export class Histogram<L extends string = never> extends Signal<L> {
  readonly type = "histogram" as const;
  readonly buckets?: number[];

  constructor(name: string, options: HistogramOptions<L>) {
    super(name, options);
    if (options.buckets) this.buckets = [...options.buckets];
  }

  /** Selects the histogram as a whole (for latency SLIs). */
  select(matchers?: Matchers<L | TargetLabel>): Selector {
    return new Selector(this.name, matchers);
  }
  /** The `<name>_bucket` series, which also carry `le`. */
  bucket(matchers?: Matchers<L | TargetLabel | "le">): Selector {
    return new Selector(`${this.name}_bucket`, matchers);
  }
  count(matchers?: Matchers<L | TargetLabel>): Selector {
    return new Selector(`${this.name}_count`, matchers);
  }
  sum(matchers?: Matchers<L | TargetLabel>): Selector {
    return new Selector(`${this.name}_sum`, matchers);
  }
}

export class Summary<L extends string = never> extends Signal<L> {
  readonly type = "summary" as const;
  readonly quantiles?: number[];

  constructor(name: string, options: SummaryOptions<L>) {
    super(name, options);
    if (options.quantiles) this.quantiles = [...options.quantiles];
  }

  /** The quantile series, which also carry `quantile`. */
  select(matchers?: Matchers<L | TargetLabel | "quantile">): Selector {
    return new Selector(this.name, matchers);
  }
  count(matchers?: Matchers<L | TargetLabel>): Selector {
    return new Selector(`${this.name}_count`, matchers);
  }
  sum(matchers?: Matchers<L | TargetLabel>): Selector {
    return new Selector(`${this.name}_sum`, matchers);
  }
}

/** A monotonically increasing count, e.g. `http_requests_total`. */
export function counter<const L extends string = never>(name: string, options: SignalOptions<L> = {}): Counter<L> {
  return new Counter<L>(name, options);
}

/** A value that goes up and down, e.g. `process_resident_memory_bytes`. */
export function gauge<const L extends string = never>(name: string, options: SignalOptions<L> = {}): Gauge<L> {
  return new Gauge<L>(name, options);
}

/** A classic histogram with `_bucket{le}`, `_count` and `_sum` series. */
export function histogram<const L extends string = never>(name: string, options: HistogramOptions<L> = {}): Histogram<L> {
  return new Histogram<L>(name, options);
}

/** A summary with `{quantile}`, `_count` and `_sum` series. */
export function summary<const L extends string = never>(name: string, options: SummaryOptions<L> = {}): Summary<L> {
  return new Summary<L>(name, options);
}
