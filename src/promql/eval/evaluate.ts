/** The steady-state evaluator: see `types.ts` for what it models and why. */
import type { AggregateExpr, BinaryExpr, Call, Expr, VectorSelector } from "../ast.js";
import { selectorMetric } from "../ast.js";
import { aggregate } from "./aggregate.js";
import { binary } from "./binary.js";
import { callFunction } from "./functions.js";
import { dropName, labelsKey, matchesAll, NAME } from "./labels.js";
import { Unsupported, type EvalOptions, type InputSeries, type Labels, type RangeSeries, type Sample, type SeriesPhase, type Value } from "./types.js";

export function evaluate(expr: Expr, options: EvalOptions): Value {
  return new Evaluator(options).eval(expr);
}

/** Evaluates to an instant vector (scalars become a one-sample vector, as promtool does). */
export function evaluateVector(expr: Expr, options: EvalOptions): Sample[] {
  const v = evaluate(expr, options);
  if (v.type === "vector") return v.samples;
  if (v.type === "scalar") return [{ labels: {}, value: v.value }];
  throw new Unsupported(`expression evaluates to a ${v.type}, not a vector`);
}

/** Recording outputs, shared by the evaluators of one evaluation (reads at offsets use their own time). */
interface Shared {
  memo: Map<string, InputSeries[]>;
  inProgress: Set<string>;
}

/** Input series arrays' indexes (by label set and by metric name), built on first use. */
const SERIES_INDEXES = new WeakMap<readonly InputSeries[], SeriesIndex>();

interface SeriesIndex {
  /** How many series it indexed. */
  length: number;
  /** The first series of each label set (as `find` would return it). */
  byKey: Map<string, InputSeries>;
  /** The series of each metric name, in input order. */
  byName: Map<string, InputSeries[]>;
}

function indexSeries(series: readonly InputSeries[]): SeriesIndex {
  const byKey = new Map<string, InputSeries>();
  const byName = new Map<string, InputSeries[]>();
  for (const s of series) {
    const key = labelsKey(s.labels);
    if (!byKey.has(key)) byKey.set(key, s);
    const name = s.labels[NAME];
    if (name === undefined) continue;
    const named = byName.get(name);
    if (named) named.push(s);
    else byName.set(name, [s]);
  }
  return { length: series.length, byKey, byName };
}

/** At most this many evaluations of a recording to check it is constant over a range. */
const MAX_RECORDING_RANGE_SAMPLES = 1500;

export class Evaluator {
  private readonly phases: readonly SeriesPhase[];

  constructor(
    readonly options: EvalOptions,
    private readonly shared: Shared = { memo: new Map(), inProgress: new Set() },
  ) {
    this.phases = options.phases ?? [{ endMs: Infinity, series: options.series }];
  }

  get timeSeconds(): number {
    return this.options.timeMs / 1000;
  }

  /** Number of samples a range of `rangeMs` holds at the evaluation time. */
  samplesIn(rangeMs: number, stepMs = this.options.intervalMs): number {
    return this.options.rangeMode === "closed" ? Math.floor(rangeMs / stepMs) + 1 : Math.ceil(rangeMs / stepMs);
  }

  eval(expr: Expr): Value {
    switch (expr.type) {
      case "number":
        return { type: "scalar", value: expr.value };
      case "string":
        return { type: "string", value: expr.value };
      case "paren":
        return this.eval(expr.expr);
      case "unary": {
        const v = this.eval(expr.expr);
        if (expr.op === "+") return v;
        if (v.type === "scalar") return { type: "scalar", value: -v.value };
        if (v.type === "vector") return { type: "vector", samples: v.samples.map((s) => ({ labels: dropName(s.labels), value: -s.value })) };
        throw new Unsupported("unary minus on a non-numeric value");
      }
      case "vector":
        return { type: "vector", samples: this.select(expr) };
      case "matrix":
        return { type: "matrix", series: this.selectRange(expr.vector, expr.range) };
      case "subquery":
        return { type: "matrix", series: this.subquery(expr.expr, expr.range, expr.step) };
      case "call":
        return callFunction(this, expr as Call);
      case "aggregate":
        return aggregate(this, expr as AggregateExpr);
      case "binary":
        return binary(this, expr as BinaryExpr);
    }
  }

  instantVector(expr: Expr): Sample[] {
    const v = this.eval(expr);
    if (v.type !== "vector") throw new Unsupported(`expected an instant vector, got a ${v.type}`);
    return v.samples;
  }

  scalar(expr: Expr): number {
    const v = this.eval(expr);
    if (v.type !== "scalar") throw new Unsupported(`expected a scalar, got a ${v.type}`);
    return v.value;
  }

  private select(sel: VectorSelector): Sample[] {
    if (sel.at !== undefined) throw new Unsupported("@ modifiers are not modelled");
    const atMs = this.options.timeMs - (sel.offset ?? 0);
    if (this.options.fromZero && atMs < 0) return [];
    const phase = this.phaseOf(atMs);
    this.checkNoStaleLookback(sel, atMs, phase);
    return this.matching(sel, atMs, phase).map((s) => ({ labels: s.labels, value: s.kind === "counter" ? this.counterAt(s, atMs) : s.value }));
  }

  selectRange(sel: VectorSelector, rangeMs: number): RangeSeries[] {
    if (sel.at !== undefined) throw new Unsupported("@ modifiers are not modelled");
    const atMs = this.options.timeMs - (sel.offset ?? 0);
    if (this.options.fromZero && atMs < 0) return [];
    const phase = this.phaseOf(atMs);
    const step = this.options.intervalMs;
    let samples = this.samplesIn(rangeMs);
    let coveredMs: number | undefined;
    // Both range modes then hold the sample at 0, the counter's zero point.
    if (this.options.fromZero && atMs < rangeMs) {
      samples = Math.floor(atMs / step) + 1;
      coveredMs = atMs;
    }
    const name = selectorMetric(sel);
    if (this.timeDependent && name !== undefined && this.options.recordings?.has(name)) return this.recordedRange(sel, atMs, rangeMs, samples, coveredMs);
    const firstMs = atMs - (samples - 1) * step;
    const current = this.matching(sel, atMs, phase);
    return [...current.map((s) => {
      let value = s.value;
      let spansChange = false;
      let gaugeValues: number[] | undefined;
      if (phase > 0) {
        // Only changing inputs have phases: the steady state needs none of this.
        const previousEnd = this.phases[phase - 1]!.endMs;
        const key = labelsKey(s.labels);
        const continuous = s.kind === "counter" && firstMs === previousEnd && this.seriesIn(phase - 1, key) !== undefined;
        if (firstMs < previousEnd && !continuous && s.kind === "counter" && (coveredMs === undefined || firstMs === 0) && samples > 1 && this.presentThrough(key, firstMs, phase)) {
          // A counter counting on across the change: its samples are known exactly. A range
          // reaching before 0 starts at the counter's zero point, the sample at 0.
          value = ((this.counterAt(s, atMs) - this.counterAt(s, firstMs)) * 1000) / (atMs - firstMs);
          spansChange = true;
        } else if (firstMs <= previousEnd && !continuous) {
          // A gauge read across the change: each of its samples is known exactly.
          gaugeValues = s.kind === "gauge" ? this.gaugeSamples(key, firstMs, samples) : undefined;
          if (!gaugeValues) throw new Unsupported("a range spans a change of the input");
        }
      }
      const range: RangeSeries = { labels: s.labels, kind: s.kind, value, samples: gaugeValues?.length ?? samples, rangeMs };
      if (gaugeValues) range.gaugeValues = gaugeValues;
      if (spansChange) range.spansChange = true;
      if (coveredMs !== undefined) range.coveredMs = coveredMs;
      if (s.kind === "counter" && (atMs !== this.options.timeMs || this.phases.length > 1)) range.last = this.counterAt(s, atMs);
      return range;
    }), ...this.endedInRange(sel, current, firstMs, samples, rangeMs, phase)];
  }

  /**
   * The series of earlier phases a range still reaches that the current phase lacks (a replica
   * gone): a gauge's samples in the range are known exactly; a counter's partial range is not
   * modelled.
   */
  private endedInRange(sel: VectorSelector, current: readonly InputSeries[], firstMs: number, samples: number, rangeMs: number, phase: number): RangeSeries[] {
    if (phase === 0 || firstMs > this.phases[phase - 1]!.endMs) return [];
    const now = new Set(current.map((s) => labelsKey(s.labels)));
    const ended = new Map<string, InputSeries>();
    for (let i = this.phaseOf(Math.max(0, firstMs)); i < phase; i++) {
      for (const s of this.matching(sel, this.phases[i]!.endMs, i)) if (!now.has(labelsKey(s.labels))) ended.set(labelsKey(s.labels), s);
    }
    return [...ended].map(([key, s]) => {
      if (s.kind !== "gauge") throw new Unsupported("a range reads a counter that ended in it");
      const gaugeValues = this.gaugeSamples(key, firstMs, samples)!;
      return { labels: s.labels, kind: s.kind, value: s.value, samples: gaugeValues.length, rangeMs, gaugeValues };
    });
  }

  /** A subquery over a steady expression is a constant series sampled every step. */
  private subquery(inner: Expr, rangeMs: number, stepMs: number | undefined): RangeSeries[] {
    if (this.timeDependent) throw new Unsupported("subqueries over a changing input are not modelled");
    const step = stepMs ?? this.options.intervalMs;
    const samples = this.samplesIn(rangeMs, step);
    return this.instantVector(inner).map((s) => ({ labels: s.labels, kind: "gauge", value: s.value, samples, rangeMs }));
  }

  /**
   * A gauge's samples from `firstMs` on, each from its phase, skipping those of phases it is
   * absent from (promtool's `_`); undefined if it is a counter in one.
   */
  private gaugeSamples(key: string, firstMs: number, samples: number): number[] | undefined {
    const out: number[] = [];
    for (let k = 0; k < samples; k++) {
      const t = firstMs + k * this.options.intervalMs;
      if (t < 0) continue;
      const series = this.seriesIn(this.phaseOf(t), key);
      if (series && series.kind !== "gauge") return undefined;
      if (series) out.push(series.value);
    }
    return out;
  }

  /** The phase holding the sample at `atMs` (phase 0 holds everything up to its end). */
  private phaseOf(atMs: number): number {
    const i = this.phases.findIndex((p) => atMs <= p.endMs);
    return i < 0 ? this.phases.length - 1 : i;
  }

  /** Whether a series is present in every phase from the one holding `fromMs` to `phase` (the phase just before `fromMs`'s too: no restart). */
  private presentThrough(key: string, fromMs: number, phase: number): boolean {
    for (let i = Math.max(0, this.phaseOf(fromMs) - 1); i <= phase; i++) if (!this.seriesIn(i, key)) return false;
    return true;
  }

  private seriesIn(phase: number, key: string): InputSeries | undefined {
    return this.indexOf(phase).byKey.get(key);
  }

  /**
   * The phase's series indexed, once per series array: inputs are read-only (`readonly
   * InputSeries[]`), and callers evaluate the same inputs many times (both range modes, every
   * time of a test).
   */
  private indexOf(phase: number): SeriesIndex {
    const series = this.phases[phase]!.series;
    let index = SERIES_INDEXES.get(series);
    if (!index || index.length !== series.length) SERIES_INDEXES.set(series, (index = indexSeries(series)));
    return index;
  }

  /** A counter's value at `atMs`: it counts on across phases and restarts after an absence. */
  private counterAt(series: InputSeries, atMs: number): number {
    if (this.phases.length === 1) return series.value * (atMs / 1000);
    const key = labelsKey(series.labels);
    let value = 0;
    let presentBefore = false;
    for (let i = 0; i < this.phases.length; i++) {
      const start = i === 0 ? 0 : this.phases[i - 1]!.endMs;
      const s = this.seriesIn(i, key);
      if (s) {
        const from = i === 0 || presentBefore ? start : start + this.options.intervalMs;
        const base = presentBefore ? value : 0;
        value = base + (s.value * (Math.min(atMs, this.phases[i]!.endMs) - from)) / 1000;
      }
      if (atMs <= this.phases[i]!.endMs) return value;
      presentBefore = s !== undefined;
    }
    return value;
  }

  /** An instant read finds a series of an earlier phase within the 5m lookback: not modelled. */
  private checkNoStaleLookback(sel: VectorSelector, atMs: number, phase: number): void {
    if (phase === 0) return;
    const previousEnd = this.phases[phase - 1]!.endMs;
    if (atMs - previousEnd > 5 * 60_000) return;
    const now = new Set(this.matching(sel, atMs, phase).map((s) => labelsKey(s.labels)));
    if (this.matching(sel, previousEnd, phase - 1).some((s) => !now.has(labelsKey(s.labels)))) {
      throw new Unsupported("a series that ended less than 5m earlier is still read by the lookback");
    }
  }

  private matching(sel: VectorSelector, atMs: number, phase: number): InputSeries[] {
    const name = selectorMetric(sel);
    const matchers = sel.matchers.filter((m) => !(m.name === NAME && m.op === "=" && m.value === name));
    const recordings = this.options.recordings ?? new Map();
    const inputs = this.phases[phase]!.series;
    let candidates: readonly InputSeries[];
    if (name !== undefined && recordings.has(name)) candidates = this.recordedSeries(name, atMs);
    else if (name !== undefined) candidates = this.indexOf(phase).byName.get(name) ?? [];
    else candidates = [...inputs, ...[...recordings.keys()].flatMap((n) => this.recordedSeries(n, atMs))];
    return candidates.filter((s) => matchesAll(s.labels, matchers));
  }

  /** A range over a recording in a changing input: it must hold one value over the range. */
  private recordedRange(sel: VectorSelector, atMs: number, rangeMs: number, samples: number, coveredMs: number | undefined): RangeSeries[] {
    if (samples > MAX_RECORDING_RANGE_SAMPLES) throw new Unsupported("a long range over a recording in a changing input is not modelled");
    const step = this.options.intervalMs;
    const first = this.matching(sel, atMs, this.phaseOf(atMs));
    const values = new Map(first.map((s) => [labelsKey(s.labels), s.value]));
    for (let k = 1; k < samples; k++) {
      const t = atMs - k * step;
      const at = this.matching(sel, t, this.phaseOf(t));
      if (at.length !== values.size || at.some((s) => values.get(labelsKey(s.labels)) !== s.value)) return this.recordedSamples(sel, atMs, rangeMs);
    }
    return first.map((s) => ({ ...s, samples, rangeMs, ...(coveredMs !== undefined ? { coveredMs } : {}) }));
  }

  /**
   * A range over a recording that changes within it: the recording's value at each rule
   * evaluation the range holds (every ruleIntervalMs from 0; 2.x's closed range holds the one
   * at its start, 3.x's open one does not), as a gauge's samples.
   */
  private recordedSamples(sel: VectorSelector, atMs: number, rangeMs: number): RangeSeries[] {
    const step = this.options.ruleIntervalMs;
    if (step === undefined || atMs % step !== 0) throw new Unsupported("a range over a recording that changes within it");
    const series = new Map<string, { labels: Labels; values: number[] }>();
    const oldest = this.options.rangeMode === "closed" ? atMs - rangeMs : atMs - rangeMs + 1;
    for (let t = Math.ceil(oldest / step) * step; t <= atMs; t += step) {
      if (this.options.fromZero && t < 0) continue;
      for (const s of this.matching(sel, t, this.phaseOf(t))) {
        const key = labelsKey(s.labels);
        const entry = series.get(key) ?? { labels: s.labels, values: [] };
        entry.values.push(s.value);
        series.set(key, entry);
      }
    }
    return [...series.values()].map(({ labels, values }) => ({ labels, kind: "gauge" as const, value: values.at(-1)!, samples: values.length, rangeMs, gaugeValues: values }));
  }

  /** Whether values depend on the evaluation time beyond the steady state. */
  private get timeDependent(): boolean {
    return this.phases.length > 1 || this.options.fromZero === true;
  }

  /** A recording rule's output at a time: a constant gauge in the steady state. */
  private recordedSeries(name: string, atMs: number): InputSeries[] {
    if (this.options.fromZero && atMs < 0) return [];
    const key = this.timeDependent ? `${name}@${atMs}` : name;
    const cached = this.shared.memo.get(key);
    if (cached) return cached;
    if (this.shared.inProgress.has(key)) throw new Unsupported(`recording rule ${name} depends on itself`);
    this.shared.inProgress.add(key);
    const at = !this.timeDependent || atMs === this.options.timeMs ? this : new Evaluator({ ...this.options, timeMs: atMs }, this.shared);
    const out: InputSeries[] = [];
    const seen = new Set<string>();
    for (const def of this.options.recordings!.get(name)!) {
      for (const s of at.instantVector(def.expr)) {
        const labels = { ...dropName(s.labels), ...def.labels, [NAME]: name };
        const k = labelsKey(labels);
        if (seen.has(k)) throw new Unsupported(`recording rule ${name} produces duplicate series`);
        seen.add(k);
        out.push({ labels, kind: "gauge", value: s.value });
      }
    }
    this.shared.inProgress.delete(key);
    this.shared.memo.set(key, out);
    return out;
  }
}
