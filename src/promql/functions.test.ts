import { describe, expect, it } from "vitest";
import { AGGREGATIONS, FUNCTIONS, aggregationAvailability, functionAvailability, type FunctionInfo } from "./functions.js";
import { DEFAULT_TARGET, compareVersions, formatVersion, parseVersion } from "./version.js";

const v = (text: string) => {
  const parsed = parseVersion(text);
  if (!parsed) throw new Error(`bad version ${text}`);
  return parsed;
};

/**
 * The function names of Prometheus v2.42.0, extracted with
 * `git show v2.42.0:promql/parser/functions.go | grep -E '^\s+Name:'` (70 names).
 */
const FUNCTIONS_2_42 = [
  "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time",
  "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month",
  "day_of_week", "day_of_year", "days_in_month", "deg", "delta", "deriv", "exp", "floor", "histogram_count",
  "histogram_fraction", "histogram_quantile", "histogram_sum", "holt_winters", "hour", "idelta", "increase",
  "irate", "label_join", "label_replace", "last_over_time", "ln", "log10", "log2", "max_over_time",
  "min_over_time", "minute", "month", "pi", "predict_linear", "present_over_time", "quantile_over_time", "rad",
  "rate", "resets", "round", "scalar", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "stddev_over_time",
  "stdvar_over_time", "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year",
];

/**
 * How the function table changed from one minor release to the next, from diffing the Functions
 * maps of consecutive v<major>.<minor>.0 tags (releases not listed changed nothing).
 */
const FUNCTION_CHANGES: Record<string, { added?: string[]; removed?: string[] }> = {
  "2.0": {
    added: [
      "abs", "absent", "avg_over_time", "ceil", "changes", "clamp_max", "clamp_min", "count_over_time", "day_of_month",
      "day_of_week", "days_in_month", "delta", "deriv", "exp", "floor", "histogram_quantile", "holt_winters", "hour",
      "idelta", "increase", "irate", "label_join", "label_replace", "ln", "log10", "log2", "max_over_time",
      "min_over_time", "minute", "month", "predict_linear", "quantile_over_time", "rate", "resets", "round", "scalar",
      "sort", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time", "sum_over_time", "time", "timestamp",
      "vector", "year",
    ],
  },
  "2.16": { added: ["absent_over_time"] },
  "2.26": { added: ["clamp", "last_over_time", "sgn"] },
  "2.29": { added: ["present_over_time"] },
  "2.31": { added: ["acos", "acosh", "asin", "asinh", "atan", "atanh", "cos", "cosh", "deg", "pi", "rad", "sin", "sinh", "tan", "tanh"] },
  "2.36": { added: ["day_of_year"] },
  "2.40": { added: ["histogram_count", "histogram_fraction", "histogram_sum"] },
  "2.47": { added: ["histogram_stddev", "histogram_stdvar"] },
  "2.49": { added: ["mad_over_time", "sort_by_label", "sort_by_label_desc"] },
  "2.51": { added: ["histogram_avg"] },
  "2.55": { added: ["info"] },
  "3.0": { added: ["double_exponential_smoothing"], removed: ["holt_winters"] },
  "3.5": { added: ["ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time"] },
  "3.7": { added: ["first_over_time", "ts_of_first_over_time"] },
  "3.11": { added: ["histogram_quantiles"] },
  "3.12": { added: ["end", "range", "start", "step"] },
  "3.13": { added: ["max_of", "min_of"] },
  "3.14": { added: ["start_timestamp"] },
};

/** Functions with Experimental: true in the newest functions.go (v3.14.0 / HEAD). */
const EXPERIMENTAL_FUNCTIONS = [
  "double_exponential_smoothing", "end", "histogram_quantiles", "info", "mad_over_time", "max_of", "min_of", "range",
  "sort_by_label", "sort_by_label_desc", "start", "start_timestamp", "step", "ts_of_first_over_time",
  "ts_of_last_over_time", "ts_of_max_over_time", "ts_of_min_over_time",
];

const RELEASES = [
  ...Array.from({ length: 56 }, (_, i) => `2.${i}`),
  ...Array.from({ length: 15 }, (_, i) => `3.${i}`),
];

const knownFunctions = (target: string, experimental = true) =>
  [...FUNCTIONS.keys()].filter((name) => functionAvailability(name, v(target), { experimental }).ok).sort();

/** Prometheus' arity rule for a Function (checkAST in promql/parser/parse.go). */
function arity(f: FunctionInfo): { min: number; max: number } {
  const n = f.argTypes.length;
  if (f.variadic === 0) return { min: n, max: n };
  return { min: n - 1, max: f.variadic < 0 ? Infinity : n - 1 + f.variadic };
}

describe("version.ts", () => {
  it("parses major.minor, with an optional patch and v prefix", () => {
    expect(parseVersion("2.42")).toEqual({ major: 2, minor: 42 });
    expect(parseVersion("2.42.0")).toEqual({ major: 2, minor: 42 });
    expect(parseVersion("v3.1")).toEqual({ major: 3, minor: 1 });
    expect(parseVersion(" v3.14.2 ")).toEqual({ major: 3, minor: 14 });
    for (const bad of ["", "3", "latest", "2.x", "2.42.0.1", "2.42-rc.0", "vv3.1"]) expect(parseVersion(bad)).toBeUndefined();
  });

  it("orders numerically, not as text", () => {
    expect(compareVersions(v("2.9"), v("2.42"))).toBeLessThan(0);
    expect(compareVersions(v("2.42"), v("2.9"))).toBeGreaterThan(0);
    expect(compareVersions(v("3.0"), v("2.55"))).toBeGreaterThan(0);
    expect(compareVersions(v("2.42.1"), v("v2.42"))).toBe(0);
    expect(formatVersion(v("v3.01.7"))).toBe("3.1");
    expect(DEFAULT_TARGET).toBe("2.42");
  });
});

describe("function table", () => {
  it("knows exactly Prometheus 2.42's functions at 2.42, with or without the experimental flag", () => {
    expect(FUNCTIONS_2_42).toHaveLength(70);
    expect(knownFunctions("2.42", false)).toEqual([...FUNCTIONS_2_42].sort());
    expect(knownFunctions("2.42", true)).toEqual([...FUNCTIONS_2_42].sort());
  });

  it("knows exactly each minor release's functions, 2.0 to 3.14", () => {
    const expected = new Set<string>();
    for (const release of RELEASES) {
      const change = FUNCTION_CHANGES[release];
      for (const name of change?.added ?? []) expected.add(name);
      for (const name of change?.removed ?? []) expected.delete(name);
      expect({ release, names: knownFunctions(release) }).toEqual({ release, names: [...expected].sort() });
    }
    expect(FUNCTIONS.size).toBe(91);
  });

  it("rejects 3.x-only functions at 2.42, naming the release they need", () => {
    const dm = functionAvailability("ts_of_max_over_time", v("2.42"), { experimental: true });
    expect(dm).toMatchObject({ ok: false, reason: 'function "ts_of_max_over_time" needs Prometheus 3.5 or later (target: Prometheus 2.42)' });
    const first = functionAvailability("first_over_time", v("2.42"));
    expect(first).toMatchObject({ ok: false, reason: 'function "first_over_time" needs Prometheus 3.7 or later (target: Prometheus 2.42)' });
    const des = functionAvailability("double_exponential_smoothing", v("2.42"));
    expect(!des.ok && des.reason).toBe(
      'function "double_exponential_smoothing" needs Prometheus 3.0 or later (target: Prometheus 2.42); before 3.0 it was called "holt_winters"',
    );
    const sbl = functionAvailability("sort_by_label", v("2.42"));
    expect(!sbl.ok && sbl.reason).toBe('function "sort_by_label" needs Prometheus 2.49 or later (target: Prometheus 2.42)');
    expect(functionAvailability("no_such_function", v("3.14"))).toEqual({ ok: false, reason: 'unknown function "no_such_function"' });
  });

  it("accepts holt_winters up to 2.55 and reports its 3.0 rename", () => {
    expect(functionAvailability("holt_winters", v("2.42")).ok).toBe(true);
    expect(functionAvailability("holt_winters", v("2.55")).ok).toBe(true);
    const r = functionAvailability("holt_winters", v("3.0"), { experimental: true });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('function "holt_winters" was renamed to "double_exponential_smoothing" in Prometheus 3.0 (target: Prometheus 3.0)');
    expect(FUNCTIONS.get("holt_winters")).toMatchObject({ removedIn: "3.0", renamedTo: "double_exponential_smoothing" });
    expect(FUNCTIONS.get("double_exponential_smoothing")).toMatchObject({ argTypes: ["matrix", "scalar", "scalar"], since: "3.0", experimental: true });
  });

  it("marks the newest release's experimental functions, which need the feature flag", () => {
    const experimental = [...FUNCTIONS.values()].filter((f) => f.experimental).map((f) => f.name).sort();
    expect(experimental).toEqual(EXPERIMENTAL_FUNCTIONS);
    const r = functionAvailability("sort_by_label", v("3.1"));
    expect(!r.ok && r.reason).toBe('function "sort_by_label" is experimental: it needs --enable-feature=promql-experimental-functions');
    expect(functionAvailability("sort_by_label", v("3.1"), { experimental: true }).ok).toBe(true);
    expect(functionAvailability("info", v("2.55")).ok).toBe(false);
    expect(functionAvailability("mad_over_time", v("2.49"), { experimental: true }).ok).toBe(true);
    expect(functionAvailability("rate", v("3.14")).ok).toBe(true);
  });

  it("needs the flag for first_over_time only before 3.14, where it became stable", () => {
    expect(FUNCTIONS.get("first_over_time")?.experimental).toBeFalsy();
    const r = functionAvailability("first_over_time", v("3.7"));
    expect(!r.ok && r.reason).toContain("is experimental before Prometheus 3.14: it needs --enable-feature=promql-experimental-functions");
    expect(functionAvailability("first_over_time", v("3.13"), { experimental: true }).ok).toBe(true);
    expect(functionAvailability("first_over_time", v("3.14")).ok).toBe(true);
    expect(functionAvailability("ts_of_first_over_time", v("3.14")).ok).toBe(false);
  });

  it("records Prometheus' variadic conventions", () => {
    const get = (name: string) => {
      const f = FUNCTIONS.get(name);
      if (!f) throw new Error(`missing ${name}`);
      return f;
    };
    expect(get("round")).toMatchObject({ argTypes: ["vector", "scalar"], variadic: 1, returnType: "vector" });
    expect(arity(get("round"))).toEqual({ min: 1, max: 2 });
    expect(get("label_join")).toMatchObject({ argTypes: ["vector", "string", "string", "string"], variadic: -1 });
    expect(arity(get("label_join"))).toEqual({ min: 3, max: Infinity });
    expect(get("label_replace")).toMatchObject({ argTypes: ["vector", "string", "string", "string", "string"], variadic: 0 });
    expect(get("sort_by_label")).toMatchObject({ argTypes: ["vector", "string"], variadic: -1 });
    expect(arity(get("sort_by_label"))).toEqual({ min: 1, max: Infinity });
    expect(get("histogram_quantile")).toMatchObject({ argTypes: ["scalar", "vector"], variadic: 0, returnType: "vector" });
    expect(get("vector")).toMatchObject({ argTypes: ["scalar"], variadic: 0, returnType: "vector" });
    expect(get("scalar")).toMatchObject({ argTypes: ["vector"], variadic: 0, returnType: "scalar" });
    expect(get("time")).toMatchObject({ argTypes: [], variadic: 0, returnType: "scalar" });
    expect(arity(get("time"))).toEqual({ min: 0, max: 0 });
    expect(get("hour")).toMatchObject({ argTypes: ["vector"], variadic: 1 });
    expect(arity(get("hour"))).toEqual({ min: 0, max: 1 });
    expect(get("info")).toMatchObject({ argTypes: ["vector", "vector"], variadic: 1 });
    expect(arity(get("histogram_quantiles"))).toEqual({ min: 3, max: 12 });
  });

  it("keeps every entry well formed", () => {
    for (const [key, f] of FUNCTIONS) {
      expect(f.name).toBe(key);
      expect(parseVersion(f.since)).toBeDefined();
      if (f.removedIn) expect(compareVersions(v(f.removedIn), v(f.since))).toBeGreaterThan(0);
      if (f.renamedTo) expect(FUNCTIONS.get(f.renamedTo)?.since).toBe(f.removedIn);
      if (f.variadic !== 0) expect(f.argTypes.length).toBeGreaterThan(0);
    }
  });
});

describe("aggregation table", () => {
  it("knows each release's aggregation operators", () => {
    const known = (target: string) => [...AGGREGATIONS.keys()].filter((name) => aggregationAvailability(name, v(target), { experimental: true }).ok).sort();
    const base = ["avg", "bottomk", "count", "count_values", "max", "min", "quantile", "stddev", "stdvar", "sum", "topk"];
    expect(known("2.0")).toEqual(base);
    expect(known("2.19")).toEqual(base);
    expect(known("2.20")).toEqual([...base, "group"].sort());
    expect(known("2.42")).toEqual([...base, "group"].sort());
    expect(known("2.54")).toEqual([...base, "group", "limit_ratio", "limitk"].sort());
    expect(known("3.14")).toEqual([...base, "group", "limit_ratio", "limitk"].sort());
  });

  it("gates limitk and limit_ratio by version and by the experimental flag", () => {
    expect(aggregationAvailability("limitk", v("2.42"))).toMatchObject({
      ok: false,
      reason: 'aggregation "limitk" needs Prometheus 2.54 or later (target: Prometheus 2.42)',
    });
    const r = aggregationAvailability("limit_ratio", v("3.0"));
    expect(!r.ok && r.reason).toBe('aggregation "limit_ratio" is experimental: it needs --enable-feature=promql-experimental-functions');
    expect(aggregationAvailability("limitk", v("3.0"), { experimental: true }).ok).toBe(true);
    expect([...AGGREGATIONS.values()].filter((a) => a.experimental).map((a) => a.name).sort()).toEqual(["limit_ratio", "limitk"]);
  });

  it("records parameter types", () => {
    const params = Object.fromEntries([...AGGREGATIONS.values()].map((a) => [a.name, a.paramType ?? null]));
    expect(params).toEqual({
      avg: null, bottomk: "scalar", count: null, count_values: "string", group: null, limit_ratio: "scalar", limitk: "scalar",
      max: null, min: null, quantile: "scalar", stddev: null, stdvar: null, sum: null, topk: "scalar",
    });
  });
});
