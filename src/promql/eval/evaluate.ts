/** The steady-state evaluator: see `types.ts` for what it models and why. */
import type { AggregateExpr, BinaryExpr, Call, Expr, VectorSelector } from "../ast.js";
import { selectorMetric } from "../ast.js";
import { aggregate } from "./aggregate.js";
import { binary } from "./binary.js";
import { callFunction } from "./functions.js";
import { dropName, labelsKey, matchesAll, NAME } from "./labels.js";
import { Unsupported, type EvalOptions, type InputSeries, type RangeSeries, type Sample, type Value } from "./types.js";

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

export class Evaluator {
  private readonly memo = new Map<string, InputSeries[]>();
  private readonly inProgress = new Set<string>();

  constructor(readonly options: EvalOptions) {}

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
    const t = (this.options.timeMs - (sel.offset ?? 0)) / 1000;
    return this.matching(sel).map((s) => ({ labels: s.labels, value: s.kind === "counter" ? s.value * t : s.value }));
  }

  selectRange(sel: VectorSelector, rangeMs: number): RangeSeries[] {
    if (sel.at !== undefined) throw new Unsupported("@ modifiers are not modelled");
    const samples = this.samplesIn(rangeMs);
    return this.matching(sel).map((s) => ({ ...s, samples, rangeMs }));
  }

  /** A subquery over a steady expression is a constant series sampled every step. */
  private subquery(inner: Expr, rangeMs: number, stepMs: number | undefined): RangeSeries[] {
    const step = stepMs ?? this.options.intervalMs;
    const samples = this.samplesIn(rangeMs, step);
    return this.instantVector(inner).map((s) => ({ labels: s.labels, kind: "gauge", value: s.value, samples, rangeMs }));
  }

  private matching(sel: VectorSelector): InputSeries[] {
    const name = selectorMetric(sel);
    const matchers = sel.matchers.filter((m) => !(m.name === NAME && m.op === "=" && m.value === name));
    const recordings = this.options.recordings ?? new Map();
    let candidates: readonly InputSeries[];
    if (name !== undefined && recordings.has(name)) candidates = this.recordedSeries(name);
    else if (name !== undefined) candidates = this.options.series.filter((s) => s.labels[NAME] === name);
    else candidates = [...this.options.series, ...[...recordings.keys()].flatMap((n) => this.recordedSeries(n))];
    return candidates.filter((s) => matchesAll(s.labels, matchers));
  }

  /** A recording rule's output, evaluated once: a constant gauge in the steady state. */
  private recordedSeries(name: string): InputSeries[] {
    const cached = this.memo.get(name);
    if (cached) return cached;
    if (this.inProgress.has(name)) throw new Unsupported(`recording rule ${name} depends on itself`);
    this.inProgress.add(name);
    const out: InputSeries[] = [];
    const seen = new Set<string>();
    for (const def of this.options.recordings!.get(name)!) {
      for (const s of this.instantVector(def.expr)) {
        const labels = { ...dropName(s.labels), ...def.labels, [NAME]: name };
        const key = labelsKey(labels);
        if (seen.has(key)) throw new Unsupported(`recording rule ${name} produces duplicate series`);
        seen.add(key);
        out.push({ labels, kind: "gauge", value: s.value });
      }
    }
    this.inProgress.delete(name);
    this.memo.set(name, out);
    return out;
  }
}
