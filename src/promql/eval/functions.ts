/**
 * PromQL functions in the steady state. Range functions see a counter as a line (slope s,
 * value s·t) and a gauge as a constant, so each has a closed form; for counters that closed
 * form is Prometheus' extrapolated rate on a series that covers its whole range.
 */
import type { Call, Expr } from "../ast.js";
import { re2FullMatch } from "../regex/match.js";
import type { Evaluator } from "./evaluate.js";
import { histogramQuantile } from "./histogram.js";
import { dropName, NAME, withLabels } from "./labels.js";
import { Unsupported, type RangeSeries, type Sample, type Value } from "./types.js";

/** A range function's value for one series, or undefined when Prometheus returns nothing. */
type RangeFn = (s: RangeSeries, ev: Evaluator, args: Value[]) => number | undefined;

/** rate, increase, deriv and friends need two samples in the range, or yield no output. */
const twoSamples = (f: RangeFn): RangeFn => (s, ev, args) => (s.samples < 2 ? undefined : f(s, ev, args));

/** Values of a counter's samples in the range, oldest first. */
function counterValues(s: RangeSeries, ev: Evaluator): number[] {
  const step = ev.options.intervalMs / 1000;
  const last = s.last ?? s.value * ev.timeSeconds;
  return Array.from({ length: s.samples }, (_, k) => last - s.value * (s.samples - 1 - k) * step);
}

function values(s: RangeSeries, ev: Evaluator): number[] {
  return s.kind === "gauge" ? (s.gaugeValues ?? Array<number>(s.samples).fill(s.value)) : counterValues(s, ev);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return mean(xs.map((x) => (x - m) ** 2));
};

/**
 * A counter's increase over its range. A range reaching before a counter that starts at 0
 * is not extrapolated past that 0 (Prometheus' zero point), so it holds exactly what was counted.
 */
const counted = (s: RangeSeries): number => (s.value * (s.coveredMs ?? s.rangeMs)) / 1000;

/** delta extrapolates without a zero point: not modelled over a range reaching before 0. */
const whole = (f: RangeFn, fn: string): RangeFn => (s, ev, args) => {
  if (s.coveredMs !== undefined) throw new Unsupported(`${fn} over a range reaching before the series start is not modelled`);
  return f(s, ev, args);
};

/**
 * Across a change of a counter's slope, rate and increase read only its first and last
 * samples in the range (Prometheus' extrapolatedRate, both range modes): the range's `value`
 * is then the mean slope between them. The others would need every sample.
 */
const SPANS_CHANGE_OK = new Set(["rate", "increase"]);
/** A gauge's range across a change holds every sample: the functions of its values read them all. */
const GAUGE_VALUES_OK = new Set(["avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time"]);

const RANGE_FUNCTIONS: Record<string, RangeFn> = {
  rate: twoSamples((s) => (s.kind !== "counter" ? 0 : s.coveredMs === undefined ? s.value : (s.value * s.coveredMs) / s.rangeMs)),
  irate: twoSamples((s) => (s.kind === "counter" ? s.value : 0)),
  increase: twoSamples((s) => (s.kind === "counter" ? counted(s) : 0)),
  delta: twoSamples(whole((s) => (s.kind === "counter" ? (s.value * s.rangeMs) / 1000 : 0), "delta")),
  idelta: twoSamples((s, ev) => (s.kind === "counter" ? (s.value * ev.options.intervalMs) / 1000 : 0)),
  deriv: twoSamples((s) => (s.kind === "counter" ? s.value : 0)),
  changes: (s) => (s.kind === "counter" && s.value !== 0 ? s.samples - 1 : 0),
  resets: () => 0,
  avg_over_time: (s, ev) => mean(values(s, ev)),
  min_over_time: (s, ev) => Math.min(...values(s, ev)),
  max_over_time: (s, ev) => Math.max(...values(s, ev)),
  sum_over_time: (s, ev) => values(s, ev).reduce((a, b) => a + b, 0),
  count_over_time: (s) => s.samples,
  last_over_time: (s, ev) => values(s, ev).at(-1)!,
  present_over_time: () => 1,
  stddev_over_time: (s, ev) => Math.sqrt(variance(values(s, ev))),
  stdvar_over_time: (s, ev) => variance(values(s, ev)),
  quantile_over_time: (s, ev, args) => {
    if (s.kind !== "gauge") throw new Unsupported("quantile_over_time of a counter is not modelled");
    return scalarArg(args[0]) < 0 || scalarArg(args[0]) > 1 ? NaN : s.value;
  },
  predict_linear: twoSamples(whole((s, ev, args) => (s.kind === "counter" ? s.value * (ev.timeSeconds + scalarArg(args[1])) : s.value), "predict_linear")),
  holt_winters: (s) => gaugeOnly(s, "holt_winters"),
  double_exponential_smoothing: (s) => gaugeOnly(s, "double_exponential_smoothing"),
};

function gaugeOnly(s: RangeSeries, fn: string): number {
  if (s.kind !== "gauge") throw new Unsupported(`${fn} of a counter is not modelled`);
  return s.value;
}

/** Functions whose result keeps the metric name (everything else drops it). */
const KEEPS_NAME = new Set(["last_over_time"]);

const MATH: Record<string, (x: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: Math.sign,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (x) => (x * 180) / Math.PI,
  rad: (x) => (x * Math.PI) / 180,
};

function scalarArg(v: Value | undefined): number {
  if (v?.type !== "scalar") throw new Unsupported("expected a scalar argument");
  return v.value;
}

function stringArg(v: Value | undefined): string {
  if (v?.type !== "string") throw new Unsupported("expected a string argument");
  return v.value;
}

function vectorArg(v: Value | undefined): Sample[] {
  if (v?.type !== "vector") throw new Unsupported("expected an instant vector argument");
  return v.samples;
}

function mapValues(samples: Sample[], f: (x: number) => number): Value {
  return { type: "vector", samples: samples.map((s) => ({ labels: dropName(s.labels), value: f(s.value) })) };
}

export function callFunction(ev: Evaluator, call: Call): Value {
  const fn = call.func;
  const args = call.args.map((a) => ev.eval(a));

  const rangeFn = RANGE_FUNCTIONS[fn];
  if (rangeFn) {
    const rangeArg = fn === "quantile_over_time" ? args[1] : args[0];
    if (rangeArg?.type !== "matrix") throw new Unsupported(`${fn} needs a range vector`);
    if (!SPANS_CHANGE_OK.has(fn) && rangeArg.series.some((s) => s.spansChange)) throw new Unsupported(`${fn} over a range across a change of the input is not modelled`);
    if (!GAUGE_VALUES_OK.has(fn) && rangeArg.series.some((s) => s.gaugeValues)) throw new Unsupported(`${fn} of a gauge across a change of the input is not modelled`);
    return {
      type: "vector",
      samples: rangeArg.series.flatMap((s) => {
        const value = rangeFn(s, ev, args);
        return value === undefined ? [] : [{ labels: KEEPS_NAME.has(fn) ? s.labels : dropName(s.labels), value }];
      }),
    };
  }
  const math = MATH[fn];
  if (math) return mapValues(vectorArg(args[0]), math);

  switch (fn) {
    case "round": {
      const to = args[1] ? scalarArg(args[1]) : 1;
      // Prometheus rounds half up: floor(x / to + 0.5) * to.
      return mapValues(vectorArg(args[0]), (x) => Math.floor(x / to + 0.5) * to);
    }
    case "clamp":
      return mapValues(vectorArg(args[0]), (x) => Math.max(scalarArg(args[1]), Math.min(scalarArg(args[2]), x)));
    case "clamp_min":
      return mapValues(vectorArg(args[0]), (x) => Math.max(scalarArg(args[1]), x));
    case "clamp_max":
      return mapValues(vectorArg(args[0]), (x) => Math.min(scalarArg(args[1]), x));
    case "scalar": {
      const v = vectorArg(args[0]);
      return { type: "scalar", value: v.length === 1 ? v[0]!.value : NaN };
    }
    case "vector":
      return { type: "vector", samples: [{ labels: {}, value: scalarArg(args[0]) }] };
    case "time":
      return { type: "scalar", value: ev.timeSeconds };
    case "timestamp":
      return mapValues(vectorArg(args[0]), () => ev.timeSeconds);
    case "pi":
      return { type: "scalar", value: Math.PI };
    case "sort":
    case "sort_desc":
      return args[0]!;
    case "absent":
    case "absent_over_time":
      return absent(call.args[0]!, args[0]!);
    case "histogram_quantile":
      return { type: "vector", samples: histogramQuantile(scalarArg(args[0]), vectorArg(args[1])) };
    case "label_replace":
      return labelReplace(vectorArg(args[0]), stringArg(args[1]), stringArg(args[2]), stringArg(args[3]), stringArg(args[4]));
    case "label_join":
      return labelJoin(vectorArg(args[0]), stringArg(args[1]), stringArg(args[2]), args.slice(3).map(stringArg));
    case "minute":
    case "hour":
    case "day_of_week":
    case "day_of_month":
    case "day_of_year":
    case "days_in_month":
    case "month":
    case "year":
      return dateFunction(fn, ev, args[0]);
    default:
      throw new Unsupported(`function ${fn} is not modelled`);
  }
}

/** 1 with the labels of the selector's equality matchers when nothing matches, else nothing. */
function absent(argExpr: Expr, arg: Value): Value {
  const present = arg.type === "vector" ? arg.samples.length > 0 : arg.type === "matrix" ? arg.series.length > 0 : true;
  if (present) return { type: "vector", samples: [] };
  const sel = argExpr.type === "vector" ? argExpr : argExpr.type === "matrix" ? argExpr.vector : undefined;
  const labels: Record<string, string> = {};
  if (sel) {
    const counts = new Map<string, number>();
    for (const m of sel.matchers) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
    for (const m of sel.matchers) {
      if (m.op === "=" && m.name !== NAME && counts.get(m.name) === 1) labels[m.name] = m.value;
    }
  }
  return { type: "vector", samples: [{ labels, value: 1 }] };
}

function labelReplace(samples: Sample[], dst: string, replacement: string, src: string, regex: string): Value {
  return {
    type: "vector",
    samples: samples.map((s) => {
      const groups = re2Groups(regex, s.labels[src] ?? "");
      if (!groups) return s;
      return { labels: withLabels(s.labels, { [dst]: expandTemplate(replacement, groups) }), value: s.value };
    }),
  };
}

function labelJoin(samples: Sample[], dst: string, sep: string, srcs: string[]): Value {
  return {
    type: "vector",
    samples: samples.map((s) => ({ labels: withLabels(s.labels, { [dst]: srcs.map((l) => s.labels[l] ?? "").join(sep) }), value: s.value })),
  };
}

/** Capture groups of an anchored match, or undefined. Only simple regexes are modelled. */
function re2Groups(regex: string, value: string): string[] | undefined {
  if (!re2FullMatch(regex, value)) return undefined;
  if (/\(\?/.test(regex)) throw new Unsupported("label_replace with flags or named groups is not modelled");
  const m = new RegExp(`^(?:${regex})$`, "s").exec(value);
  if (!m) throw new Unsupported("label_replace regex not translatable");
  return [...m].map((g) => g ?? "");
}

/** Go's Regexp.Expand: `$1`, `${1}`, `$$`; `$1x` names group "1x", which does not exist. */
function expandTemplate(template: string, groups: string[]): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_, all: string, braced?: string, bare?: string) => {
    if (all === "$") return "$";
    const name = braced ?? bare ?? "";
    return /^\d+$/.test(name) ? (groups[Number(name)] ?? "") : "";
  });
}

function dateFunction(fn: string, ev: Evaluator, arg: Value | undefined): Value {
  const samples: Sample[] = arg ? vectorArg(arg) : [{ labels: {}, value: ev.timeSeconds }];
  const f = (t: number): number => {
    const d = new Date(t * 1000);
    switch (fn) {
      case "minute":
        return d.getUTCMinutes();
      case "hour":
        return d.getUTCHours();
      case "day_of_week":
        return d.getUTCDay();
      case "day_of_month":
        return d.getUTCDate();
      case "day_of_year":
        return Math.floor((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
      case "days_in_month":
        return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
      case "month":
        return d.getUTCMonth() + 1;
      default:
        return d.getUTCFullYear();
    }
  };
  return mapValues(samples, f);
}

