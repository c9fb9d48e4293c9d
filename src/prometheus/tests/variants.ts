/**
 * Input series for generated tests. Each selector an expression reads (through recording
 * rules too) gets a "variant": a label set that satisfies its matchers and, where possible,
 * does not satisfy the other selectors on the same signal — so `bad` and `total` selectors of
 * one counter can be driven independently. A variant's parameter (rate, value, or latency
 * distribution) then fixes all the series it stands for.
 */
import { selectorMetric, walk, type Expr, type LabelMatcher } from "../../promql/ast.js";
import { matchOne } from "../../promql/eval/labels.js";
import type { InputSeries } from "../../promql/eval/types.js";
import { formatNumber } from "../../promql/format.js";
import { exampleMatching } from "../../promql/regex/example.js";
import type { SignalModel } from "../../model/types.js";
import type { SignalIndex } from "../../normalize/signals.js";

export interface Variant {
  signal: SignalModel;
  labels: Record<string, string>;
}

/** Absent, a number (counter rate per second or gauge value), or a latency distribution. */
export type Param = undefined | number | Distribution;

/**
 * Observations at `rate` per second, all of value `observe` except a `tail` share observed at
 * `tail.observe` — two points are enough to put any share of requests past a latency threshold.
 */
export interface Distribution {
  rate: number;
  observe: number;
  tail?: { share: number; observe: number };
}

export interface Leaf {
  signal: SignalModel;
  matchers: LabelMatcher[];
}

export class UnsupportedSynthesis extends Error {}

/** Every selector an expression reads, following recording rules to the signals they read. */
export function collectLeaves(expr: Expr, signals: SignalIndex, recordings: ReadonlyMap<string, readonly Expr[]>, seen = new Set<string>()): Leaf[] {
  const out: Leaf[] = [];
  walk(expr, (node) => {
    if (node.type !== "vector") return;
    const name = selectorMetric(node);
    if (name === undefined) throw new UnsupportedSynthesis("a selector without a metric name");
    if (node.matchers.some((m) => m.name === "__name__" && m.op !== "=")) throw new UnsupportedSynthesis("a regex on __name__");
    const recorded = recordings.get(name);
    if (recorded) {
      if (seen.has(name)) return;
      seen.add(name);
      for (const e of recorded) out.push(...collectLeaves(e, signals, recordings, seen));
      return;
    }
    const series = signals.series(name);
    if (!series) throw new UnsupportedSynthesis(`no signal provides "${name}"`);
    const own = node.matchers.filter((m) => m.name !== "__name__" && m.name !== "le" && m.name !== "quantile");
    out.push({ signal: series.signal, matchers: own });
  });
  return out;
}

const PREFERRED: Record<string, string> = {
  method: "GET",
  code: "200",
  status: "200",
  status_code: "200",
  route: "/api",
  path: "/api",
  handler: "/api",
  endpoint: "/api",
  uri: "/api",
};
const FALLBACKS = ["other", "x", "200", "GET", "1", "a", "zz"];

export function variantsFor(leaves: readonly Leaf[], defaults: { job: string; instance: string }): Variant[] {
  const bySignal = new Map<string, Leaf[]>();
  for (const l of leaves) bySignal.set(l.signal.name, [...(bySignal.get(l.signal.name) ?? []), l]);
  const out = new Map<string, Variant>();
  for (const group of bySignal.values()) {
    const signal = group[0]!.signal;
    for (const leaf of group) {
      const others = group.filter((g) => g !== leaf).flatMap((g) => g.matchers);
      const names = new Set([...signal.labels, "job", "instance", ...leaf.matchers.map((m) => m.name)]);
      const labels: Record<string, string> = {};
      for (const name of [...names].sort()) {
        const value = pickValue(
          name,
          leaf.matchers.filter((m) => m.name === name),
          others.filter((m) => m.name === name),
          signal.job === undefined ? defaults : { ...defaults, job: signal.job }, // an exporter's series carry its job
        );
        if (value === undefined) throw new UnsupportedSynthesis(`no value of label "${name}" satisfies the matchers`);
        if (value !== "") labels[name] = value;
      }
      out.set(`${signal.name}${JSON.stringify(labels)}`, { signal, labels });
    }
  }
  return [...out.values()];
}

/**
 * A value satisfying `own`, preferably not satisfying the positive matchers of other
 * selectors (so this variant is only what this selector selects). "" means absent.
 */
function pickValue(name: string, own: LabelMatcher[], others: LabelMatcher[], defaults: { job: string; instance: string }): string | undefined {
  const eq = own.find((m) => m.op === "=");
  if (eq) return own.every((m) => matchOne(eq.value, m)) ? eq.value : undefined;
  const candidates: string[] = [];
  for (const m of own) {
    if (m.op !== "=~") continue;
    const example = exampleMatching(m.value);
    if (example !== undefined) candidates.push(example);
  }
  if (name === "job") candidates.push(defaults.job);
  if (name === "instance") candidates.push(defaults.instance);
  candidates.push(PREFERRED[name] ?? `${name}-1`, ...FALLBACKS, "");
  const satisfying = candidates.filter((c) => own.every((m) => matchOne(c, m)));
  const positive = others.filter((m) => m.op === "=" || m.op === "=~");
  return satisfying.find((c) => !positive.some((m) => matchOne(c, m))) ?? satisfying[0];
}

/** The series a variant stands for under a parameter. */
export function seriesOf(v: Variant, p: Param): InputSeries[] {
  if (p === undefined) return [];
  const base = v.labels;
  const name = v.signal.name;
  switch (v.signal.type) {
    case "counter":
      return [{ labels: { ...base, __name__: name }, kind: "counter", value: p as number }];
    case "gauge":
      return [{ labels: { ...base, __name__: name }, kind: "gauge", value: p as number }];
    case "histogram": {
      const { rate, observe, tail } = p as Distribution;
      const share = tail?.share ?? 0;
      const tailObserve = tail?.observe ?? observe;
      const bounds = [...v.signal.buckets.map(formatNumber), "+Inf"];
      const below = (bound: number) => (observe <= bound ? rate * (1 - share) : 0) + (tailObserve <= bound ? rate * share : 0);
      return [
        ...bounds.map((le): InputSeries => ({
          labels: { ...base, le, __name__: `${name}_bucket` },
          kind: "counter",
          value: below(le === "+Inf" ? Infinity : Number(le)),
        })),
        { labels: { ...base, __name__: `${name}_count` }, kind: "counter", value: rate },
        { labels: { ...base, __name__: `${name}_sum` }, kind: "counter", value: rate * ((1 - share) * observe + share * tailObserve) },
      ];
    }
    case "summary": {
      const { rate, observe } = p as Distribution;
      const quantiles = v.signal.quantiles.length ? v.signal.quantiles : [0.5, 0.9, 0.99];
      return [
        ...quantiles.map((q): InputSeries => ({ labels: { ...base, quantile: formatNumber(q), __name__: name }, kind: "gauge", value: observe })),
        { labels: { ...base, __name__: `${name}_count` }, kind: "counter", value: rate },
        { labels: { ...base, __name__: `${name}_sum` }, kind: "counter", value: rate * observe },
      ];
    }
  }
}

/** Parameter values to try for a variant: `coarse` to explore, `fine` to refine. */
export function domain(v: Variant, thresholds: readonly number[]): { coarse: Param[]; fine: Param[] } {
  const derived = thresholds
    .flatMap((t) => [t * 0.5, t * 0.9, t * 1.1, t * 2, t + 1, t - 1, t * 1.5, ...(t < 1 ? [1 - t * 0.7, 1 - t * 1.5, 1 - t * 1.03, 1 - t * 0.97] : [])])
    .filter((x) => x >= 0 && Number.isFinite(x));
  const geometric = Array.from({ length: 53 }, (_, k) => Number((10 ** ((k - 16) / 4)).toPrecision(2)));
  // Dyadic values (k / 2^n) just either side of each threshold: exact in every engine's float
  // arithmetic, so even a plain `{{ $value }}` renders the same in Prometheus as here.
  const dyadics = thresholds.flatMap((t) => [1.02, 1.05, 0.98, 0.95, 1.2, 0.8].map((f) => dyadic(t * f))).filter((x) => x > 0);
  const fineNumbers = [...new Set([0, ...geometric, ...dyadics, ...derived.map((x) => Number(x.toPrecision(6)))])].sort((a, b) => a - b);
  if (v.signal.type === "histogram" || v.signal.type === "summary") {
    const observations = observationPoints(v.signal, thresholds);
    const rates = [0.1, 1, 10, 100];
    const fast = observations[0]!;
    const slow = observations[observations.length - 1]!;
    const shares = fineNumbers.filter((x) => x > 0 && x < 1);
    // A tail in each bucket, not only the slowest, puts a quantile inside any bucket.
    const tails = v.signal.type === "histogram" ? observations.flatMap((observe) => [0.005, 0.02, 0.05, 0.2, 0.5].map((share): Param => ({ rate: 1, observe: fast, tail: { share, observe } }))) : [];
    const mixtures = v.signal.type === "histogram" ? [...shares.map((share): Param => ({ rate: 1, observe: fast, tail: { share, observe: slow } })), ...tails, ...quantileAt(v.signal.buckets, fast, thresholds)] : [];
    return {
      coarse: [undefined, ...observations.filter((_, i) => i % 3 === 0).map((observe) => ({ rate: 1, observe }))],
      fine: [undefined, ...rates.flatMap((rate) => observations.map((observe) => ({ rate, observe }))), ...mixtures],
    };
  }
  // Values off the integer grid too, so templates like humanizeDuration are not at a rounding edge.
  const fractional = derived.map((x) => Number((x + 0.25).toPrecision(6)));
  return { coarse: [undefined, 0, 1, 10], fine: [undefined, ...fineNumbers, ...fractional] };
}

/**
 * Distributions whose common quantiles interpolate to just either side of each threshold:
 * the fast share below the first bucket and the tail inside the threshold's bucket, or the
 * mass inside it and the tail above, the share chosen so that the quantile's rank falls at the
 * threshold's place in that bucket.
 */
function quantileAt(buckets: readonly number[], fast: number, thresholds: readonly number[]): Param[] {
  const out: Param[] = [];
  for (const t of thresholds) {
    for (const v of [t * 1.02, t * 0.98]) {
      const i = buckets.findIndex((b) => v <= b);
      if (i <= 0) continue;
      const lo = buckets[i - 1]!;
      const hi = buckets[i]!;
      if (fast > lo) continue;
      const f = (v - lo) / (hi - lo);
      const mid = Number(((lo + hi) / 2).toPrecision(6));
      const next = buckets[i + 1];
      const above = Number((next !== undefined && Number.isFinite(next) ? (hi + next) / 2 : hi * 2).toPrecision(6));
      for (const q of [0.5, 0.9, 0.95, 0.99, 0.999]) {
        const share = Number(((1 - q) / (1 - f)).toPrecision(6));
        if (share > 0 && share < 1) out.push({ rate: 1, observe: fast, tail: { share, observe: mid } });
        // A rank past the first share q of the bucket (a median near its top): the mass inside
        // the bucket and a tail above it, the rank's place then q / (1 - share).
        const over = Number((1 - q / f).toPrecision(6));
        if (over > 0 && over < 1) out.push({ rate: 1, observe: mid, tail: { share: over, observe: above } });
      }
    }
  }
  return out;
}

/** The dyadic rational with 8 significant bits nearest to x. */
export function dyadic(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 0;
  const quantum = 2 ** (Math.floor(Math.log2(x)) - 7);
  return Math.round(x / quantum) * quantum;
}

/** Whether float arithmetic on this value is exact: a dyadic rational of moderate size. */
export function isExactFloat(x: number): boolean {
  return Number.isFinite(x) && Math.abs(x) < 2 ** 40 && Number.isInteger(x * 2 ** 20);
}

/** Observation values: inside each bucket, below the first and above the last bound. */
function observationPoints(signal: SignalModel, thresholds: readonly number[]): number[] {
  const bounds = signal.type === "histogram" ? signal.buckets : [0.001, 0.01, 0.1, 1, 10];
  const points = new Set<number>();
  let prev = 0;
  for (const b of bounds) {
    points.add(Number(((prev + b) / 2).toPrecision(6)));
    prev = b;
  }
  points.add(Number((prev * 2 || 1).toPrecision(6)));
  for (const t of thresholds) for (const k of [0.5, 0.9, 1.1, 2]) if (t * k > 0) points.add(Number((t * k).toPrecision(6)));
  return [...points].sort((a, b) => a - b);
}
