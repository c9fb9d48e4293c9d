/**
 * Typed signal builders. A signal remembers its label names in its type, so a selector that
 * matches on an undeclared label is a TypeScript error in the editor (and a VIG1005 diagnostic
 * at compile time); normalize re-checks the same rule for YAML/JSON specs (VIG2002).
 *
 * Signals and selectors are plain data at runtime (methods live on the prototype), so the
 * object a spec exports is exactly what a YAML or JSON spec would contain.
 */
import type { Duration, ExporterSpec, MatcherSpec, SelectorSpec, SignalSpec, SignalType } from "../spec/types.js";
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
  /**
   * Where Prometheus scrapes it, when not from the service: an `exporter(...)` (or write
   * `postgres.gauge(...)`), or `"node_exporter"`. Its selectors then match its exporter's job.
   */
  source?: Exporter | typeof NODE_EXPORTER;
}

/** node_exporter: needs no declaration when the service has scrape targets (port 9100 of their hosts). */
export const NODE_EXPORTER = "node_exporter";
const NODE_EXPORTER_JOB = "node";

export interface ExporterOptions {
  /** The scrape job, i.e. the `job` label of its series (default: the exporter's name; `node` for node_exporter). */
  job?: string;
  /** `host:port` of each instance (required, except for node_exporter). */
  targets?: readonly string[];
  /** Default `/metrics`. */
  path?: string;
  scheme?: "http" | "https";
  /** Default: `prometheus.scrapeInterval`. */
  interval?: Duration;
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
  readonly source?: string;
  /** The exporter's job its selectors match (not spec data: normalize resolves `source` itself). */
  readonly #job: string | undefined;

  constructor(name: string, options: SignalOptions<L>) {
    this.name = name;
    this.labels = [...(options.labels ?? [])];
    // Only set what was given: an own property holding `undefined` would fail schema validation.
    if (options.help !== undefined) this.help = options.help;
    if (options.unit !== undefined) this.unit = options.unit;
    const source = options.source;
    if (source !== undefined) this.source = typeof source === "string" ? source : source.name;
    this.#job = source === undefined ? undefined : typeof source === "string" ? NODE_EXPORTER_JOB : source.scrapeJob;
  }

  /** A selector of one of its series; an exporter's signal matches its exporter's job unless `job` is given. */
  protected selector(metric: string, matchers: Matchers<string> | undefined): Selector {
    if (this.#job === undefined || (matchers && "job" in matchers)) return new Selector(metric, matchers);
    return new Selector(metric, { job: this.#job, ...matchers });
  }

  toString(): string {
    return this.name;
  }
}

export class Counter<L extends string = never> extends Signal<L> {
  readonly type = "counter" as const;
  /** Selects the counter's series. */
  select(matchers?: Matchers<L | TargetLabel>): Selector {
    return this.selector(this.name, matchers);
  }
}

export class Gauge<L extends string = never> extends Signal<L> {
  readonly type = "gauge" as const;
  select(matchers?: Matchers<L | TargetLabel>): Selector {
    return this.selector(this.name, matchers);
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
    return this.selector(this.name, matchers);
  }
  /** The `<name>_bucket` series, which also carry `le`. */
  bucket(matchers?: Matchers<L | TargetLabel | "le">): Selector {
    return this.selector(`${this.name}_bucket`, matchers);
  }
  count(matchers?: Matchers<L | TargetLabel>): Selector {
    return this.selector(`${this.name}_count`, matchers);
  }
  sum(matchers?: Matchers<L | TargetLabel>): Selector {
    return this.selector(`${this.name}_sum`, matchers);
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
    return this.selector(this.name, matchers);
  }
  count(matchers?: Matchers<L | TargetLabel>): Selector {
    return this.selector(`${this.name}_count`, matchers);
  }
  sum(matchers?: Matchers<L | TargetLabel>): Selector {
    return this.selector(`${this.name}_sum`, matchers);
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

type ExporterSignalOptions<L extends string> = Omit<SignalOptions<L>, "source">;

/**
 * An exporter beside the service (postgres_exporter, kafka_exporter, ...): list it in the
 * spec's `exporters` and build its signals with its `counter`/`gauge`/`histogram`/`summary`.
 * It is a scrape job of its own in prometheus.yml, and its signals are selected by its job.
 */
export class Exporter implements ExporterSpec {
  readonly name: string;
  readonly job?: string;
  readonly targets?: string[];
  readonly path?: string;
  readonly scheme?: "http" | "https";
  readonly interval?: Duration;

  constructor(name: string, options: ExporterOptions = {}) {
    this.name = name;
    if (options.job !== undefined) this.job = options.job;
    if (options.targets !== undefined) this.targets = [...options.targets];
    if (options.path !== undefined) this.path = options.path;
    if (options.scheme !== undefined) this.scheme = options.scheme;
    if (options.interval !== undefined) this.interval = options.interval;
  }

  /** The `job` label of its series. */
  get scrapeJob(): string {
    return this.job ?? (this.name === NODE_EXPORTER ? NODE_EXPORTER_JOB : this.name);
  }

  counter<const L extends string = never>(name: string, options: ExporterSignalOptions<L> = {}): Counter<L> {
    return new Counter<L>(name, { ...options, source: this });
  }
  gauge<const L extends string = never>(name: string, options: ExporterSignalOptions<L> = {}): Gauge<L> {
    return new Gauge<L>(name, { ...options, source: this });
  }
  histogram<const L extends string = never>(name: string, options: Omit<HistogramOptions<L>, "source"> = {}): Histogram<L> {
    return new Histogram<L>(name, { ...options, source: this });
  }
  summary<const L extends string = never>(name: string, options: Omit<SummaryOptions<L>, "source"> = {}): Summary<L> {
    return new Summary<L>(name, { ...options, source: this });
  }
}

/** An exporter scraped as its own job, e.g. `exporter("postgres", { targets: ["db:9187"] })`. */
export function exporter(name: string, options: ExporterOptions = {}): Exporter {
  return new Exporter(name, options);
}

/**
 * node_exporter (job `node`). Without targets it is scraped on port 9100 of each host of the
 * service's scrape targets, and needs no entry in `exporters`; with targets, list it there.
 */
export function nodeExporter(options: ExporterOptions = {}): Exporter {
  return new Exporter(NODE_EXPORTER, options);
}
