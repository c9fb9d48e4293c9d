/**
 * The steady-state evaluator against PromQL semantics. Every expected value below is worked
 * out by hand from how Prometheus evaluates the expression (promql/engine.go, functions.go,
 * quantile.go) on the synthetic inputs: counters are lines `value·t` sampled every interval
 * from t=0, gauges are constants. Unless a test says otherwise the evaluation time is
 * T = 3600 s and samples are 60 s apart (the interval generated promtool tests use).
 */
import { describe, expect, it } from "vitest";
import { parsePromQL } from "../parse.js";
import { evaluate, evaluateVector } from "./evaluate.js";
import { Unsupported, type EvalOptions, type InputSeries, type Labels, type RecordingDefinition, type Sample } from "./types.js";

const MINUTE = 60_000;
const T_MS = 60 * MINUTE;
const T = T_MS / 1000;

function parse(text: string) {
  const r = parsePromQL(text);
  if (!r.ok) throw new Error(`test expression does not parse: ${text}: ${r.errors.map((e) => e.message).join("; ")}`);
  return r.expr;
}

interface Opts {
  mode?: EvalOptions["rangeMode"];
  timeMs?: number;
  intervalMs?: number;
  recordings?: Record<string, RecordingDefinition[]>;
}

function run(text: string, series: readonly InputSeries[], o: Opts = {}): Sample[] {
  const options: EvalOptions = {
    series,
    timeMs: o.timeMs ?? T_MS,
    intervalMs: o.intervalMs ?? MINUTE,
    rangeMode: o.mode ?? "closed",
  };
  if (o.recordings) options.recordings = new Map(Object.entries(o.recordings));
  return evaluateVector(parse(text), options);
}

/** `name{a="1", b="2"}` with sorted labels; empty values count as absent, as in Prometheus. */
function show(labels: Labels): string {
  const { __name__: name, ...rest } = labels;
  const parts = Object.keys(rest)
    .filter((k) => rest[k] !== "")
    .sort()
    .map((k) => `${k}="${rest[k]}"`);
  return `${name ?? ""}{${parts.join(", ")}}`;
}

/** Result as sorted [labels, value] rows, so order of evaluation does not matter. */
function rows(samples: readonly Sample[]): [string, number][] {
  return samples.map((s): [string, number] => [show(s.labels), s.value]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const counter = (labels: Record<string, string>, perSecond: number): InputSeries => ({ labels, kind: "counter", value: perSecond });
const gauge = (labels: Record<string, string>, value: number): InputSeries => ({ labels, kind: "gauge", value });

// A service with two instances, one idle one, and status codes. Rates (per second):
//   a/200: 9, a/500: 1   → instance a: 10 total, 10% errors
//   b/200: 3, b/503: 1   → instance b:  4 total, 25% errors
//   c/200: 2 (job web)    → instance c:  2 total, no errors
const HTTP: InputSeries[] = [
  counter({ __name__: "http_requests_total", job: "api", instance: "a", code: "200" }, 9),
  counter({ __name__: "http_requests_total", job: "api", instance: "a", code: "500" }, 1),
  counter({ __name__: "http_requests_total", job: "api", instance: "b", code: "200" }, 3),
  counter({ __name__: "http_requests_total", job: "api", instance: "b", code: "503" }, 1),
  counter({ __name__: "http_requests_total", job: "web", instance: "c", code: "200" }, 2),
];
const OWNERS: InputSeries[] = [
  gauge({ __name__: "owner", instance: "a", team: "red" }, 1),
  gauge({ __name__: "owner", instance: "b", team: "blue" }, 1),
  gauge({ __name__: "owner", instance: "c", team: "green" }, 2),
];
const X = [counter({ __name__: "x", job: "j" }, 2)];

describe("counters: rate, increase, irate and friends (functions.go extrapolatedRate)", () => {
  for (const mode of ["closed", "open"] as const) {
    it(`rate(x[5m]) of a 2/s counter is 2 (${mode} ranges)`, () => {
      // Both modes: samples are exactly on a line of slope 2, extrapolation only stretches
      // the sampled interval to the range, so the per-second rate is the slope.
      expect(rows(run("rate(x[5m])", X, { mode }))).toEqual([['{job="j"}', 2]]);
    });

    it(`increase(x[5m]) of a 2/s counter is 600 (${mode} ranges)`, () => {
      // closed: 6 samples T-300..T, sampled interval 300 s → 600, nothing to extrapolate.
      // open: 5 samples T-240..T, delta 480 over 240 s; the 60 s gap to the range start is
      // below 1.1 × the average sample spacing (66 s), so it is extrapolated: 480·300/240 = 600.
      // The zero clamp does not apply: the counter would reach 0 at t=0, long before T-300.
      expect(rows(run("increase(x[5m])", X, { mode }))).toEqual([['{job="j"}', 600]]);
    });

    it(`increase(x[90s]) extrapolates a half interval (${mode} ranges)`, () => {
      // Samples at T-60 and T (both modes), delta 120 over 60 s. Gap to the range start is
      // 30 s < 66 s, so extrapolation covers the full 90 s: 120 · 90/60 = 180.
      expect(rows(run("increase(x[90s])", X, { mode }))).toEqual([['{job="j"}', 180]]);
    });

    it(`irate and deriv of a line are its slope (${mode} ranges)`, () => {
      // irate: (2T - 2(T-60)) / 60 = 2; deriv: least-squares slope of exact points on a line.
      expect(rows(run("irate(x[5m])", X, { mode }))).toEqual([['{job="j"}', 2]]);
      expect(rows(run("deriv(x[5m])", X, { mode }))).toEqual([['{job="j"}', 2]]);
    });
  }

  it("an instant selector reads value·t, and offset moves t back", () => {
    // 2/s · 3600 s = 7200; offset 10m → 2 · 3000 = 6000. The metric name is kept.
    expect(rows(run("x", X))).toEqual([['x{job="j"}', 7200]]);
    expect(rows(run("x offset 10m", X))).toEqual([['x{job="j"}', 6000]]);
  });

  it("idelta is the last step, delta the extrapolated difference", () => {
    // idelta: last two samples 60 s apart → 2 · 60 = 120. delta over 5m: 2 · 300 = 600.
    expect(rows(run("idelta(x[5m])", X))).toEqual([['{job="j"}', 120]]);
    expect(rows(run("delta(x[5m])", X))).toEqual([['{job="j"}', 600]]);
  });

  it("predict_linear extends the line from the evaluation time", () => {
    // Regression through the samples, evaluated 600 s after T: 2 · (3600 + 600) = 8400.
    expect(rows(run("predict_linear(x[5m], 600)", X))).toEqual([['{job="j"}', 8400]]);
  });

  it("changes and count_over_time count samples, which differs between range modes", () => {
    // closed [T-300, T]: 6 samples, each different from the previous → 5 changes.
    // open (T-300, T]: 5 samples → 4 changes.
    expect(rows(run("changes(x[5m])", X, { mode: "closed" }))).toEqual([['{job="j"}', 5]]);
    expect(rows(run("changes(x[5m])", X, { mode: "open" }))).toEqual([['{job="j"}', 4]]);
    expect(rows(run("count_over_time(x[5m])", X, { mode: "closed" }))).toEqual([['{job="j"}', 6]]);
    expect(rows(run("count_over_time(x[5m])", X, { mode: "open" }))).toEqual([['{job="j"}', 5]]);
    // A counter that never drops has no resets.
    expect(rows(run("resets(x[5m])", X))).toEqual([['{job="j"}', 0]]);
  });

  it("rate/increase/delta/changes of a constant gauge are 0", () => {
    const g = [gauge({ __name__: "g" }, 42)];
    for (const fn of ["rate", "increase", "delta", "irate", "deriv", "changes"]) {
      expect(rows(run(`${fn}(g[5m])`, g)), fn).toEqual([["{}", 0]]);
    }
  });

  // Prometheus returns nothing for rate()/increase()/irate() when the range holds fewer than
  // two samples (extrapolatedRate: `if len(samples.Floats) < 2 { return enh.Out }`; irate
  // and deriv likewise). Known bug: the evaluator returns the slope regardless. With the
  // 60 s test interval, `rate(x[1m])` has one sample in a left-open 3.x range, so a generated
  // test predicts a firing alert that Prometheus 3.x never fires. Flip to `it` once fixed.
  it("rate(x[1m]) is empty with 60 s samples in open (3.x) ranges: one sample only", () => {
    // (T-60, T] holds only the sample at T.
    expect(run("rate(x[1m])", X, { mode: "open" })).toEqual([]);
  });
  it("rate(x[30s]) is empty with 60 s samples in closed (2.x) ranges: one sample only", () => {
    // [T-30, T] holds only the sample at T.
    expect(run("rate(x[30s])", X, { mode: "closed" })).toEqual([]);
    expect(run("irate(x[30s])", X, { mode: "closed" })).toEqual([]);
  });
});

describe("range functions on gauges and counters (_over_time)", () => {
  const G = [gauge({ __name__: "temp", room: "a" }, 3), gauge({ __name__: "temp", room: "b" }, -1.5)];

  it("sum_over_time adds one value per sample: 6 (closed) or 5 (open) samples in 5m", () => {
    expect(rows(run("sum_over_time(temp[5m])", G, { mode: "closed" }))).toEqual([
      ['{room="a"}', 18],
      ['{room="b"}', -9],
    ]);
    expect(rows(run("sum_over_time(temp[5m])", G, { mode: "open" }))).toEqual([
      ['{room="a"}', 15],
      ['{room="b"}', -7.5],
    ]);
  });

  it("avg/min/max_over_time of a constant gauge are the constant in both modes", () => {
    for (const mode of ["closed", "open"] as const) {
      for (const fn of ["avg_over_time", "min_over_time", "max_over_time"]) {
        expect(rows(run(`${fn}(temp[5m])`, G, { mode })), `${fn} ${mode}`).toEqual([
          ['{room="a"}', 3],
          ['{room="b"}', -1.5],
        ]);
      }
    }
  });

  it("avg_over_time and min_over_time of a counter average / take the oldest sampled value", () => {
    // closed: samples at T-300..T step 60 → mean time T-150 → 2 · 3450 = 6900; oldest T-300 → 6600.
    // open: samples at T-240..T → mean time T-120 → 2 · 3480 = 6960; oldest T-240 → 6720.
    expect(rows(run("avg_over_time(x[5m])", X, { mode: "closed" }))).toEqual([['{job="j"}', 6900]]);
    expect(rows(run("avg_over_time(x[5m])", X, { mode: "open" }))).toEqual([['{job="j"}', 6960]]);
    expect(rows(run("min_over_time(x[5m])", X, { mode: "closed" }))).toEqual([['{job="j"}', 6600]]);
    expect(rows(run("min_over_time(x[5m])", X, { mode: "open" }))).toEqual([['{job="j"}', 6720]]);
    expect(rows(run("max_over_time(x[5m])", X))).toEqual([['{job="j"}', 7200]]);
  });

  it("last_over_time keeps the metric name; the other _over_time functions drop it", () => {
    expect(rows(run("last_over_time(temp[5m])", G))).toEqual([
      ['temp{room="a"}', 3],
      ['temp{room="b"}', -1.5],
    ]);
    expect(run("max_over_time(temp[5m])", G).every((s) => !("__name__" in s.labels))).toBe(true);
  });

  it("a subquery over a steady rate is that rate at every step", () => {
    expect(rows(run("max_over_time(rate(x[5m])[30m:1m])", X))).toEqual([['{job="j"}', 2]]);
    // 30m:5m closed → samples at T-30m, T-25m, …, T: 7 of them.
    expect(rows(run("count_over_time(rate(x[5m])[30m:5m])", X, { mode: "closed" }))).toEqual([['{job="j"}', 7]]);
  });
});

describe("aggregation operators", () => {
  it("sum without grouping adds all series into one with no labels", () => {
    // 9 + 1 + 3 + 1 + 2
    expect(rows(run("sum(rate(http_requests_total[5m]))", HTTP))).toEqual([["{}", 16]]);
  });

  it("sum by (job) groups on job only", () => {
    // api: 9 + 1 + 3 + 1 = 14; web: 2.
    expect(rows(run("sum by (job) (rate(http_requests_total[5m]))", HTTP))).toEqual([
      ['{job="api"}', 14],
      ['{job="web"}', 2],
    ]);
    // The trailing form `sum(...) by (job)` is the same expression.
    expect(rows(run("sum(rate(http_requests_total[5m])) by (job)", HTTP))).toEqual(rows(run("sum by (job) (rate(http_requests_total[5m]))", HTTP)));
  });

  it("sum without (...) keeps the other labels but always drops the metric name", () => {
    // Raw counter values at T=3600: api = (9+1+3+1)·3600 = 50400, web = 2·3600 = 7200.
    expect(rows(run("sum without (instance, code) (http_requests_total)", HTTP))).toEqual([
      ['{job="api"}', 50400],
      ['{job="web"}', 7200],
    ]);
  });

  it("avg, max, min and count by a label", () => {
    // avg api: 14 / 4 series = 3.5.
    expect(rows(run("avg by (job) (rate(http_requests_total[5m]))", HTTP))).toEqual([
      ['{job="api"}', 3.5],
      ['{job="web"}', 2],
    ]);
    expect(rows(run("max by (instance) (rate(http_requests_total[5m]))", HTTP))).toEqual([
      ['{instance="a"}', 9],
      ['{instance="b"}', 3],
      ['{instance="c"}', 2],
    ]);
    expect(rows(run("min by (instance) (rate(http_requests_total[5m]))", HTTP))).toEqual([
      ['{instance="a"}', 1],
      ['{instance="b"}', 1],
      ['{instance="c"}', 2],
    ]);
    expect(rows(run("count by (code) (http_requests_total)", HTTP))).toEqual([
      ['{code="200"}', 3],
      ['{code="500"}', 1],
      ['{code="503"}', 1],
    ]);
  });

  it("quantile interpolates between ranks (quantile.go)", () => {
    // Sorted rates [1, 1, 2, 3, 9]; rank = q·(n-1).
    // q=0.5 → rank 2 → 2. q=0.9 → rank 3.6 → 3·0.4 + 9·0.6 = 6.6.
    expect(run("quantile(0.5, rate(http_requests_total[5m]))", HTTP)[0]!.value).toBe(2);
    expect(run("quantile(0.9, rate(http_requests_total[5m]))", HTTP)[0]!.value).toBeCloseTo(6.6, 12);
  });

  it("topk keeps the k largest samples with all their labels; bottomk the smallest", () => {
    expect(rows(run("topk(2, rate(http_requests_total[5m]))", HTTP))).toEqual([
      ['{code="200", instance="a", job="api"}', 9],
      ['{code="200", instance="b", job="api"}', 3],
    ]);
    expect(rows(run('bottomk(1, rate(http_requests_total{code="200"}[5m]))', HTTP))).toEqual([['{code="200", instance="c", job="web"}', 2]]);
  });

  it("stddev and stdvar are population statistics", () => {
    // Values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, /8 = 4, sqrt = 2.
    const vals = [2, 4, 4, 4, 5, 5, 7, 9].map((v, i) => gauge({ __name__: "v", i: String(i) }, v));
    expect(run("stdvar(v)", vals)[0]!.value).toBe(4);
    expect(run("stddev(v)", vals)[0]!.value).toBe(2);
  });

  it("count_values counts samples per value under a new label", () => {
    const vals = [gauge({ __name__: "ver", i: "1" }, 1), gauge({ __name__: "ver", i: "2" }, 1), gauge({ __name__: "ver", i: "3" }, 2.5)];
    expect(rows(run('count_values("version", ver)', vals))).toEqual([
      ['{version="1"}', 2],
      ['{version="2.5"}', 1],
    ]);
  });

  // Prometheus writes the value label with strconv.FormatFloat(v, 'f', -1, 64): "+Inf",
  // "0.0000001". Known bug: the evaluator uses JavaScript's String(), giving "Infinity" and
  // "1e-7". Flip to `it` once fixed.
  it("count_values spells +Inf as Go does", () => {
    expect(rows(run('count_values("v", g)', [gauge({ __name__: "g" }, Infinity)]))).toEqual([['{v="+Inf"}', 1]]);
  });
  it("count_values spells 1e-7 as Go's 'f' format does", () => {
    expect(rows(run('count_values("v", g)', [gauge({ __name__: "g" }, 1e-7)]))).toEqual([['{v="0.0000001"}', 1]]);
  });
});

describe("binary operators and vector matching", () => {
  it("arithmetic with a scalar drops the metric name; comparison keeps it", () => {
    // Counter values at T: a/200 32400, a/500 3600, b/200 10800, b/503 3600, c/200 7200.
    expect(rows(run('http_requests_total{instance="c"} / 60', HTTP))).toEqual([['{code="200", instance="c", job="web"}', 120]]);
    expect(rows(run("http_requests_total > 10000", HTTP))).toEqual([
      ['http_requests_total{code="200", instance="a", job="api"}', 32400],
      ['http_requests_total{code="200", instance="b", job="api"}', 10800],
    ]);
  });

  it("a comparison filters, and keeps the vector's value even with the scalar on the left", () => {
    const expected = [
      ['{code="200", instance="a", job="api"}', 9],
      ['{code="200", instance="b", job="api"}', 3],
    ];
    expect(rows(run("rate(http_requests_total[5m]) > 2", HTTP))).toEqual(expected);
    // `2 < v` keeps the same samples, and their values are v's, not 2.
    expect(rows(run("2 < rate(http_requests_total[5m])", HTTP))).toEqual(expected);
    // >= also keeps c (2 >= 2).
    expect(run("rate(http_requests_total[5m]) >= 2", HTTP)).toHaveLength(3);
  });

  it("bool turns a comparison into 0/1 for every sample and drops the name", () => {
    expect(rows(run("http_requests_total > bool 10000", HTTP))).toEqual([
      ['{code="200", instance="a", job="api"}', 1],
      ['{code="200", instance="b", job="api"}', 1],
      ['{code="200", instance="c", job="web"}', 0],
      ['{code="500", instance="a", job="api"}', 0],
      ['{code="503", instance="b", job="api"}', 0],
    ]);
    // Scalar-scalar comparisons need bool and give a scalar (one unlabelled sample here).
    expect(rows(run("1 < bool 2", []))).toEqual([["{}", 1]]);
    expect(rows(run("3 <= bool 2", []))).toEqual([["{}", 0]]);
  });

  it("ignoring(code) matches error rates to totals per instance and drops code", () => {
    // a: 1 / 10 = 0.1; b: 1 / 4 = 0.25; c has no 5xx series, so no result.
    const r = rows(run('rate(http_requests_total{code=~"5.."}[5m]) / ignoring(code) sum without (code) (rate(http_requests_total[5m]))', HTTP));
    expect(r.map(([l]) => l)).toEqual(['{instance="a", job="api"}', '{instance="b", job="api"}']);
    expect(r[0]![1]).toBeCloseTo(0.1, 12);
    expect(r[1]![1]).toBeCloseTo(0.25, 12);
  });

  it("on(instance) matches on instance only and keeps only instance in a one-to-one result", () => {
    const r = rows(run('sum by (job, instance) (rate(http_requests_total{code=~"5.."}[5m])) / on(instance) sum by (instance) (rate(http_requests_total[5m]))', HTTP));
    expect(r.map(([l]) => l)).toEqual(['{instance="a"}', '{instance="b"}']);
    expect(r[0]![1]).toBeCloseTo(0.1, 12);
    expect(r[1]![1]).toBeCloseTo(0.25, 12);
  });

  it("group_left copies the listed labels from the one side, keeps the many side's labels", () => {
    // Each request series gets its instance's team; c's owner value is 2.
    expect(rows(run("rate(http_requests_total[5m]) * on(instance) group_left(team) owner", [...HTTP, ...OWNERS]))).toEqual([
      ['{code="200", instance="a", job="api", team="red"}', 9],
      ['{code="200", instance="b", job="api", team="blue"}', 3],
      ['{code="200", instance="c", job="web", team="green"}', 4],
      ['{code="500", instance="a", job="api", team="red"}', 1],
      ['{code="503", instance="b", job="api", team="blue"}', 1],
    ]);
  });

  it("group_right keeps operand order: one-side value op many-side value", () => {
    // owner - rate: a/200: 1 - 9 = -8, a/500: 1 - 1 = 0, b/200: 1 - 3 = -2, b/503: 0, c/200: 2 - 2 = 0.
    expect(rows(run("owner - on(instance) group_right(team) rate(http_requests_total[5m])", [...HTTP, ...OWNERS]))).toEqual([
      ['{code="200", instance="a", job="api", team="red"}', -8],
      ['{code="200", instance="b", job="api", team="blue"}', -2],
      ['{code="200", instance="c", job="web", team="green"}', 0],
      ['{code="500", instance="a", job="api", team="red"}', 0],
      ['{code="503", instance="b", job="api", team="blue"}', 0],
    ]);
  });

  it("vector-vector comparison filters the left side; with bool it yields 0/1", () => {
    // Errors above 20% of the total: a: 1 > 2? no. b: 1 > 0.8? yes (value stays 1).
    const cmp = 'sum by (instance) (rate(http_requests_total{code=~"5.."}[5m])) > on(instance) 0.2 * sum by (instance) (rate(http_requests_total[5m]))';
    expect(rows(run(cmp, HTTP))).toEqual([['{instance="b"}', 1]]);
    expect(rows(run(cmp.replace("> on", "> bool on"), HTTP))).toEqual([
      ['{instance="a"}', 0],
      ['{instance="b"}', 1],
    ]);
  });

  it("unary minus negates and drops the metric name", () => {
    expect(rows(run("-x", X))).toEqual([['{job="j"}', -7200]]);
  });

  it("a one-to-one match with several left series per group is an error Prometheus raises too", () => {
    // Instance a has two request series; matching them on(instance) to one owner each
    // needs group_left ("multiple matches for labels").
    expect(() => run("http_requests_total / on(instance) owner", [...HTTP, ...OWNERS])).toThrow(Unsupported);
  });

  it("group_left with duplicates on the one side is an error", () => {
    const dupOwners = [...OWNERS, gauge({ __name__: "owner", instance: "a", team: "purple" }, 1)];
    expect(() => run("http_requests_total * on(instance) group_left(team) owner", [...HTTP, ...dupOwners])).toThrow(Unsupported);
  });
});

describe("set operators and, or, unless", () => {
  it("and keeps left samples whose match group exists on the right", () => {
    // Instances with 5xx series: a and b.
    expect(rows(run('rate(http_requests_total{code="200"}[5m]) and on(instance) rate(http_requests_total{code=~"5.."}[5m])', HTTP))).toEqual([
      ['{code="200", instance="a", job="api"}', 9],
      ['{code="200", instance="b", job="api"}', 3],
    ]);
  });

  it("unless keeps left samples without a match", () => {
    expect(rows(run('rate(http_requests_total{code="200"}[5m]) unless on(instance) rate(http_requests_total{code=~"5.."}[5m])', HTTP))).toEqual([
      ['{code="200", instance="c", job="web"}', 2],
    ]);
  });

  it("without on(), set operators match on all labels except the metric name", () => {
    // x has a name, rate(x) does not: they still match, and `and` returns the left side as is.
    expect(rows(run("x and rate(x[5m])", X))).toEqual([['x{job="j"}', 7200]]);
    expect(run("x unless rate(x[5m])", X)).toEqual([]);
  });

  it("or adds right samples whose labels are not on the left (the SLI `or 0 * total` idiom)", () => {
    // a: 1, b: 1 from the left; c only exists on the right, at 0 · 2 = 0.
    expect(
      rows(run('sum by (instance) (rate(http_requests_total{code=~"5.."}[5m])) or 0 * sum by (instance) (rate(http_requests_total[5m]))', HTTP)),
    ).toEqual([
      ['{instance="a"}', 1],
      ['{instance="b"}', 1],
      ['{instance="c"}', 0],
    ]);
    expect(rows(run("nothing_here or vector(0)", HTTP))).toEqual([["{}", 0]]);
  });
});

describe("histogram_quantile over bucket counters (quantile.go bucketQuantile)", () => {
  const bucket = (le: string, perSecond: number, job = "api") => counter({ __name__: "lat_bucket", job, le }, perSecond);

  it("interpolates linearly inside the bucket holding the rank", () => {
    // All 10 obs/s fall in (0.1, 0.5]: cumulative rates 0, 10, 10, 10.
    // q=0.5 → rank 5 of 10 → 0.1 + (0.5-0.1)·5/10 = 0.3; q=0.9 → 0.1 + 0.4·0.9 = 0.46.
    const s = [bucket("0.1", 0), bucket("0.5", 10), bucket("1", 10), bucket("+Inf", 10)];
    const q = (v: number) => run(`histogram_quantile(${v}, rate(lat_bucket[5m]))`, s);
    expect(q(0.5).map((x) => x.labels)).toEqual([{ job: "api" }]);
    expect(q(0.5)[0]!.value).toBeCloseTo(0.3, 12);
    expect(q(0.9)[0]!.value).toBeCloseTo(0.46, 12);
  });

  it("the first bucket interpolates from 0", () => {
    // Everything in (0, 0.25]: the median is 0.125.
    const s = [bucket("0.25", 4), bucket("1", 4), bucket("+Inf", 4)];
    expect(run("histogram_quantile(0.5, rate(lat_bucket[5m]))", s)[0]!.value).toBeCloseTo(0.125, 12);
  });

  it("a rank in the +Inf bucket returns the largest finite bound", () => {
    // 5 of 10 obs/s are ≤ 1; the 90th percentile (rank 9) is above every finite bucket.
    const s = [bucket("0.5", 0), bucket("1", 5), bucket("+Inf", 10)];
    expect(run("histogram_quantile(0.9, rate(lat_bucket[5m]))", s)[0]!.value).toBe(1);
  });

  it("groups by the labels other than le, e.g. after sum by (job, le)", () => {
    // api: 10/s all in (0.1, 0.5] → p50 0.3. web: 4/s all in (0.5, 1] → p50 0.5 + 0.5·2/4 = 0.75.
    const s = [
      bucket("0.1", 0),
      bucket("0.5", 10),
      bucket("1", 10),
      bucket("+Inf", 10),
      bucket("0.1", 0, "web"),
      bucket("0.5", 0, "web"),
      bucket("1", 4, "web"),
      bucket("+Inf", 4, "web"),
    ];
    const r = rows(run("histogram_quantile(0.5, sum by (job, le) (rate(lat_bucket[5m])))", s));
    expect(r.map(([l]) => l)).toEqual(['{job="api"}', '{job="web"}']);
    expect(r[0]![1]).toBeCloseTo(0.3, 12);
    expect(r[1]![1]).toBeCloseTo(0.75, 12);
  });

  it("no observations give NaN; q outside [0, 1] gives ±Inf", () => {
    const idle = [bucket("0.5", 0), bucket("+Inf", 0)];
    expect(run("histogram_quantile(0.5, rate(lat_bucket[5m]))", idle)[0]!.value).toBeNaN();
    const s = [bucket("0.5", 1), bucket("+Inf", 1)];
    expect(run("histogram_quantile(1.5, rate(lat_bucket[5m]))", s)[0]!.value).toBe(Infinity);
    expect(run("histogram_quantile(-1, rate(lat_bucket[5m]))", s)[0]!.value).toBe(-Infinity);
  });

  it("without a +Inf bucket the quantile is NaN", () => {
    expect(run("histogram_quantile(0.5, rate(lat_bucket[5m]))", [bucket("0.5", 1), bucket("1", 2)])[0]!.value).toBeNaN();
  });
});

describe("label matchers (fully anchored RE2 regexes)", () => {
  const S = [
    gauge({ __name__: "m", code: "200" }, 1),
    gauge({ __name__: "m", code: "500" }, 2),
    gauge({ __name__: "m", code: "1500" }, 3),
    gauge({ __name__: "m", code: "503" }, 4),
    gauge({ __name__: "m" }, 5), // no code label
  ];
  const values = (text: string) => run(text, S).map((s) => s.value).sort((a, b) => a - b);

  it("= and != (a missing label reads as the empty string)", () => {
    expect(values('m{code="500"}')).toEqual([2]);
    expect(values('m{code!="200"}')).toEqual([2, 3, 4, 5]);
    expect(values('m{code=""}')).toEqual([5]);
    expect(values('m{code!=""}')).toEqual([1, 2, 3, 4]);
  });

  it("=~ must match the whole value, not a substring", () => {
    // "5.." matches 500 and 503, but not 1500 (which only contains 500).
    expect(values('m{code=~"5.."}')).toEqual([2, 4]);
    expect(values('m{code=~"50"}')).toEqual([]);
    // Alternation is anchored as a whole: ^(?:200|5..)$.
    expect(values('m{code=~"200|5.."}')).toEqual([1, 2, 4]);
    expect(values('m{code=~".*"}')).toEqual([1, 2, 3, 4, 5]);
  });

  it("!~ keeps what does not fully match, including series without the label", () => {
    expect(values('m{code!~"5.."}')).toEqual([1, 3, 5]);
    expect(values('m{code!~".+"}')).toEqual([5]);
  });

  it("a __name__ regex selects across metrics", () => {
    const both = [...S, gauge({ __name__: "n" }, 10), gauge({ __name__: "other" }, 20)];
    expect(
      run('{__name__=~"m|n", code!~".+"}', both)
        .map((s) => s.value)
        .sort((a, b) => a - b),
    ).toEqual([5, 10]);
  });
});

describe("absent, vector, time and date functions", () => {
  it("absent of a missing selector returns 1 with the selector's equality labels", () => {
    // Regex matchers and the metric name do not become labels.
    expect(rows(run('absent(nothing{job="api", instance=~"a.*"})', HTTP))).toEqual([['{job="api"}', 1]]);
    expect(rows(run('absent_over_time(nothing{job="api"}[5m])', HTTP))).toEqual([['{job="api"}', 1]]);
  });

  it("absent of a present selector is empty", () => {
    expect(run('absent(http_requests_total{job="api"})', HTTP)).toEqual([]);
  });

  it("absent drops a label given twice with =, since it cannot hold both values", () => {
    expect(rows(run('absent(nothing{job="a", job="b", env="prod"})', HTTP))).toEqual([['{env="prod"}', 1]]);
  });

  it("absent of an aggregation has no labels", () => {
    expect(rows(run('absent(sum(nothing{job="api"}))', HTTP))).toEqual([["{}", 1]]);
  });

  it("vector(s) is one unlabelled sample; time() is the evaluation time in seconds", () => {
    expect(rows(run("vector(3)", []))).toEqual([["{}", 3]]);
    expect(rows(run("time()", []))).toEqual([["{}", T]]);
    expect(evaluate(parse("time()"), { series: [], timeMs: 90_000, intervalMs: MINUTE, rangeMode: "closed" })).toEqual({ type: "scalar", value: 90 });
    // time() - timestamp: samples are exactly at T here.
    expect(rows(run("time() - timestamp(x)", X))).toEqual([['{job="j"}', 0]]);
  });

  it("hour() and minute() read the evaluation time as UTC", () => {
    const timeMs = 5 * 3600_000 + 7 * MINUTE; // 1970-01-01T05:07:00Z
    expect(rows(run("hour()", [], { timeMs }))).toEqual([["{}", 5]]);
    expect(rows(run("minute()", [], { timeMs }))).toEqual([["{}", 7]]);
  });

  it("label_replace expands Go-style templates", () => {
    const s = [gauge({ __name__: "m", code: "503" }, 1)];
    // ${1} is group 1 ("5"), so "${1}xx" → "5xx"; the metric name is kept.
    expect(rows(run('label_replace(m, "class", "${1}xx", "code", "(.).*")', s))).toEqual([['m{class="5xx", code="503"}', 1]]);
    // "$1xx" names the group "1xx", which does not exist → empty → no label is set.
    expect(rows(run('label_replace(m, "class", "$1xx", "code", "(.).*")', s))).toEqual([['m{code="503"}', 1]]);
    // No full match: the sample passes through unchanged.
    expect(rows(run('label_replace(m, "class", "x", "code", "0")', s))).toEqual([['m{code="503"}', 1]]);
  });
});

describe("recording rules referenced by name", () => {
  const recordings: Record<string, RecordingDefinition[]> = {
    "instance:requests:rate5m": [{ expr: parse("sum by (instance) (rate(http_requests_total[5m]))"), labels: {} }],
    "instance:errors:ratio5m": [
      {
        expr: parse('sum by (instance) (rate(http_requests_total{code=~"5.."}[5m])) / instance:requests:rate5m'),
        labels: { window: "5m" },
      },
    ],
  };

  it("a recorded series carries the record name and the rule's labels", () => {
    expect(rows(run("instance:requests:rate5m > 3", HTTP, { recordings }))).toEqual([
      ['instance:requests:rate5m{instance="a"}', 10],
      ['instance:requests:rate5m{instance="b"}', 4],
    ]);
  });

  it("recording rules can use other recording rules", () => {
    // a: 1/10, b: 1/4; c has no error series, so no ratio. The static label window="5m" is
    // added — and since the left side's labels are {instance}, the right side matches.
    const r = rows(run("instance:errors:ratio5m", HTTP, { recordings }));
    expect(r.map(([l]) => l)).toEqual(['instance:errors:ratio5m{instance="a", window="5m"}', 'instance:errors:ratio5m{instance="b", window="5m"}']);
    expect(r[0]![1]).toBeCloseTo(0.1, 12);
    expect(r[1]![1]).toBeCloseTo(0.25, 12);
  });

  it("a recorded series is a constant gauge: its rate is 0, its average its value", () => {
    expect(rows(run('rate(instance:requests:rate5m{instance="a"}[5m])', HTTP, { recordings }))).toEqual([['{instance="a"}', 0]]);
    expect(rows(run('avg_over_time(instance:requests:rate5m{instance="a"}[1h])', HTTP, { recordings }))).toEqual([['{instance="a"}', 10]]);
  });

  it("several rules may record the same name with different labels", () => {
    const multi: Record<string, RecordingDefinition[]> = {
      "slo:burn": [
        { expr: parse("vector(1)"), labels: { window: "5m" } },
        { expr: parse("vector(2)"), labels: { window: "1h" } },
      ],
    };
    expect(rows(run("slo:burn", [], { recordings: multi }))).toEqual([
      ['slo:burn{window="1h"}', 2],
      ['slo:burn{window="5m"}', 1],
    ]);
  });

  it("rules that produce the same series twice, or depend on themselves, are not modelled", () => {
    const dup = { "r:x": [{ expr: parse("vector(1)"), labels: {} }, { expr: parse("vector(2)"), labels: {} }] };
    expect(() => run("r:x", [], { recordings: dup })).toThrow(Unsupported);
    const loop = { "r:a": [{ expr: parse("r:b + 1"), labels: {} }], "r:b": [{ expr: parse("r:a"), labels: {} }] };
    expect(() => run("r:a", [], { recordings: loop })).toThrow(Unsupported);
  });
});

describe("constructs the evaluator refuses (Unsupported) rather than guess", () => {
  const cases = [
    "x @ 100", // @ modifiers
    "histogram_count(x)", // a function it does not model (native histograms)
    "quantile_over_time(0.5, x[5m])", // of a counter
    "holt_winters(x[5m], 0.5, 0.5)", // of a counter
    "x[5m]", // a range vector is not an instant result
  ];
  it.each(cases)("%s", (text) => {
    expect(() => run(text, X)).toThrow(Unsupported);
  });
});

/**
 * The first minutes of a test and inputs that change: Prometheus' rate over a range reaching
 * before a counter that starts at 0 stops at that zero point (extrapolatedRate's
 * durationToZero), in both range modes; a range within one phase is the steady state.
 */
describe("series from 0 and in phases", () => {
  const c = (value: number, labels: Labels = {}): InputSeries => ({ labels: { __name__: "c", ...labels }, kind: "counter", value });
  const at = (text: string, o: Partial<EvalOptions>): Sample[] =>
    evaluateVector(parse(text), { series: [], timeMs: T_MS, intervalMs: MINUTE, rangeMode: "closed", ...o });

  it("rate over a range reaching before 0 holds what was counted since 0, in both modes", () => {
    for (const rangeMode of ["closed", "open"] as const) {
      // 2 samples at 0 and 60 s: increase 120 of a 2/s counter, over the 300 s range.
      expect(at("rate(c[5m])", { series: [c(2)], fromZero: true, timeMs: MINUTE, rangeMode })[0]!.value).toBeCloseTo(0.4, 12);
      expect(at("increase(c[5m])", { series: [c(2)], fromZero: true, timeMs: 4 * MINUTE, rangeMode })[0]!.value).toBeCloseTo(480, 9);
      // Full from 5m on.
      expect(at("rate(c[5m])", { series: [c(2)], fromZero: true, timeMs: 5 * MINUTE, rangeMode })[0]!.value).toBe(2);
    }
    // One sample: no rate yet; before 0: nothing at all.
    expect(at("rate(c[5m])", { series: [c(2)], fromZero: true, timeMs: 0 })).toEqual([]);
    expect(at("c offset 5m", { series: [c(2)], fromZero: true, timeMs: MINUTE })).toEqual([]);
    // Without fromZero the steady state extends into the past (as it always did).
    expect(at("rate(c[5m])", { series: [c(2)], timeMs: MINUTE })[0]!.value).toBe(2);
  });

  it("delta extrapolates without a zero point: not modelled over a partial range", () => {
    expect(() => at("delta(c[5m])", { series: [c(2)], fromZero: true, timeMs: 2 * MINUTE })).toThrow(Unsupported);
  });

  it("reads each phase at the time it covers, and counters keep counting across phases", () => {
    const phases = [
      { endMs: 10 * MINUTE, series: [c(3)] },
      { endMs: Infinity, series: [c(1)] },
    ];
    expect(at("rate(c[5m])", { phases, timeMs: 20 * MINUTE })[0]!.value).toBe(1);
    expect(at("rate(c[5m] offset 12m)", { phases, timeMs: 20 * MINUTE })[0]!.value).toBe(3);
    // 600 s at 3/s, then 600 s at 1/s.
    expect(at("c", { phases, timeMs: 20 * MINUTE })[0]!.value).toBe(2400);
    // Across the change, rate and increase read the first and last samples of the range: 2.x's
    // closed [7m, 12m] holds 1260 and 1920 (rate 660/300 s), 3.x's (7m, 12m] 1440 and 1920
    // (480 over 240 s sampled, extrapolated by a step to the range's start).
    expect(at("rate(c[5m])", { phases, timeMs: 12 * MINUTE })[0]!.value).toBeCloseTo(2.2, 12);
    expect(at("rate(c[5m])", { phases, timeMs: 12 * MINUTE, rangeMode: "open" })[0]!.value).toBeCloseTo(2, 12);
    expect(at("increase(c[5m])", { phases, timeMs: 12 * MINUTE })[0]!.value).toBeCloseTo(660, 9);
    // A range reaching before 0 holds everything counted since 0, across the change too:
    // 1800 + 600 over the 30m range, in both modes.
    for (const rangeMode of ["closed", "open"] as const) {
      expect(at("rate(c[30m])", { phases, fromZero: true, timeMs: 20 * MINUTE, rangeMode })[0]!.value).toBeCloseTo(2400 / 1800, 12);
      expect(at("increase(c[30m])", { phases, fromZero: true, timeMs: 20 * MINUTE, rangeMode })[0]!.value).toBeCloseTo(2400, 9);
    }
    // Functions reading every sample are not modelled across it, nor is a series that restarts.
    for (const fn of ["irate", "deriv", "avg_over_time", "resets"]) expect(() => at(`${fn}(c[5m])`, { phases, timeMs: 12 * MINUTE })).toThrow(Unsupported);
    // A series absent from a phase restarts at 0 at its first sample after.
    const gap = [
      { endMs: 10 * MINUTE, series: [c(3)] },
      { endMs: 20 * MINUTE, series: [] },
      { endMs: Infinity, series: [c(1)] },
    ];
    expect(at("c", { phases: gap, timeMs: 30 * MINUTE })[0]!.value).toBe(540);
    // It is still read within the 5m lookback after it ended: not modelled.
    expect(() => at("c", { phases: gap, timeMs: 12 * MINUTE })).toThrow(Unsupported);
    expect(() => at("rate(c[5m])", { phases: gap, timeMs: 22 * MINUTE })).toThrow(Unsupported);
  });

  it("reads every sample of a gauge across a change: the *_over_time functions of its values", () => {
    const g = (value: number): InputSeries => ({ labels: { __name__: "g" }, kind: "gauge", value });
    const phases = [
      { endMs: 10 * MINUTE, series: [g(1)] },
      { endMs: Infinity, series: [g(0.5)] },
    ];
    // 2.x's closed [7m, 12m] holds 7m..10m at 1 (the sample at 10m is the first phase's) and
    // 11m, 12m at 0.5; 3.x's (7m, 12m] drops 7m.
    expect(at("sum_over_time(g[5m])", { phases, timeMs: 12 * MINUTE })[0]!.value).toBe(5);
    expect(at("count_over_time(g[5m])", { phases, timeMs: 12 * MINUTE })[0]!.value).toBe(6);
    expect(at("sum_over_time(g[5m])", { phases, timeMs: 12 * MINUTE, rangeMode: "open" })[0]!.value).toBe(4);
    expect(at("avg_over_time(g[5m])", { phases, timeMs: 12 * MINUTE, rangeMode: "open" })[0]!.value).toBe(0.8);
    expect(at("min_over_time(g[5m])", { phases, timeMs: 12 * MINUTE })[0]!.value).toBe(0.5);
    expect(at("last_over_time(g[5m])", { phases, timeMs: 12 * MINUTE })[0]!.value).toBe(0.5);
    // From 0: the range holds only the samples since 0.
    expect(at("sum_over_time(g[5m])", { phases: [{ endMs: 2 * MINUTE, series: [g(1)] }, { endMs: Infinity, series: [g(0)] }], fromZero: true, timeMs: 3 * MINUTE })[0]!.value).toBe(3);
    // Functions of the first and last samples, or of the value's place in order, are not modelled.
    for (const fn of ["rate", "delta", "deriv", "changes", "quantile_over_time(0.5,"]) {
      const text = fn.endsWith(",") ? `${fn} g[5m])` : `${fn}(g[5m])`;
      expect(() => at(text, { phases, timeMs: 12 * MINUTE })).toThrow(Unsupported);
    }
    // A gauge absent from a phase the range reads has only the samples of the others (promtool's
    // `_`): appearing after 10m, [7m, 12m] holds 11m and 12m.
    expect(at("sum_over_time(g[5m])", { phases: [{ endMs: 10 * MINUTE, series: [] }, { endMs: Infinity, series: [g(1)] }], timeMs: 12 * MINUTE })[0]!.value).toBe(2);
  });

  it("a range still reads the samples of a gauge that ended in it (a replica gone), beside those that go on", () => {
    const up = (instance: string, value: number): InputSeries => ({ labels: { __name__: "up", instance }, kind: "gauge", value });
    const phases = [
      { endMs: 10 * MINUTE, series: [up("a", 1), up("b", 1)] },
      { endMs: Infinity, series: [up("a", 0.5)] },
    ];
    // b's samples at 7m..10m (closed) or 8m..10m (open) are still in the range at 12m.
    expect(at("sum(count_over_time(up[5m]))", { phases, timeMs: 12 * MINUTE })[0]!.value).toBe(6 + 4);
    expect(at("sum(count_over_time(up[5m]))", { phases, timeMs: 12 * MINUTE, rangeMode: "open" })[0]!.value).toBe(5 + 3);
    expect(at("sum(sum_over_time(up[5m]))", { phases, timeMs: 12 * MINUTE })[0]!.value).toBe(4 + 1 + 4);
    // Once the range has left it behind, it is gone.
    expect(at("sum(count_over_time(up[5m]))", { phases, timeMs: 16 * MINUTE })[0]!.value).toBe(6);
    // A counter that ended inside a range is not modelled.
    const c = (instance: string): InputSeries => ({ labels: { __name__: "c", instance }, kind: "counter", value: 1 });
    expect(() => at("sum(rate(c[5m]))", { phases: [{ endMs: 10 * MINUTE, series: [c("a"), c("b")] }, { endMs: Infinity, series: [c("a")] }], timeMs: 12 * MINUTE })).toThrow(Unsupported);
  });

  it("reads a recording that changes within a range at each rule evaluation, where the rules' interval is given", () => {
    const phases = [
      { endMs: 30 * MINUTE, series: [c(5)] },
      { endMs: Infinity, series: [c(1)] },
    ];
    const recordings = new Map([["r", [{ expr: parse("rate(c[5m])"), labels: {} }]]]);
    // Evaluations every 5m: at 45m, [15m, 45m] holds r at 15m, 20m, 25m, 30m (5/s), 35m (the
    // 5m window reads 30m..35m: 1/s), 40m and 45m (1/s); 3.x's (15m, 45m] drops 15m.
    const options = { phases, recordings, timeMs: 45 * MINUTE, ruleIntervalMs: 5 * MINUTE };
    expect(at("avg_over_time(r[30m])", options)[0]!.value).toBeCloseTo((4 * 5 + 3 * 1) / 7, 12);
    expect(at("avg_over_time(r[30m])", { ...options, rangeMode: "open" })[0]!.value).toBeCloseTo((3 * 5 + 3 * 1) / 6, 12);
    expect(at("count_over_time(r[30m])", options)[0]!.value).toBe(7);
    // From 0: no evaluation before it.
    expect(at("count_over_time(r[1h])", { ...options, fromZero: true })[0]!.value).toBe(9);
    // Without the rules' interval, or off its grid, it is not modelled.
    expect(() => at("avg_over_time(r[30m])", { phases, recordings, timeMs: 45 * MINUTE })).toThrow(Unsupported);
    expect(() => at("avg_over_time(r[30m])", { ...options, timeMs: 46 * MINUTE })).toThrow(Unsupported);
  });

  it("evaluates a recording at the time an offset reads it", () => {
    const phases = [
      { endMs: 30 * MINUTE, series: [c(5)] },
      { endMs: Infinity, series: [c(1)] },
    ];
    const recordings = new Map([["r", [{ expr: parse("rate(c[5m])"), labels: {} }]]]);
    expect(at("r", { phases, recordings, timeMs: 60 * MINUTE })[0]!.value).toBe(1);
    expect(at("r offset 30m", { phases, recordings, timeMs: 60 * MINUTE })[0]!.value).toBe(5);
  });
});
