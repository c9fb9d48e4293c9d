import { describe, expect, it } from "vitest";
import { AGGREGATIONS, FUNCTIONS, aggregationAvailability, functionAvailability } from "./functions.js";
import { compareVersions, parseVersion } from "./version.js";

const v = (text: string) => parseVersion(text)!;

// The function names in Prometheus v2.42.0's promql/parser/functions.go (git show v2.42.0:...).
const FUNCTIONS_2_42 = ["abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time", "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "deg", "delta", "deriv", "exp", "floor", "histogram_count", "histogram_fraction", "histogram_quantile", "histogram_sum", "holt_winters", "hour", "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln", "log10", "log2", "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear", "present_over_time", "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time", "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year"];

describe("version table", () => {
  it("parses and orders versions", () => {
    expect(parseVersion("2.42")).toEqual({ major: 2, minor: 42 });
    expect(parseVersion("v3.1.0")).toEqual({ major: 3, minor: 1 });
    expect(parseVersion("latest")).toBeUndefined();
    expect(compareVersions(v("2.9"), v("2.42"))).toBeLessThan(0);
    expect(compareVersions(v("3.0"), v("2.55"))).toBeGreaterThan(0);
  });

  it("knows exactly Prometheus 2.42's functions at target 2.42", () => {
    const known = [...FUNCTIONS.keys()].filter((name) => functionAvailability(name, v("2.42")).ok).sort();
    expect(known).toEqual([...FUNCTIONS_2_42].sort());
  });

  it("gates later functions with a reason naming the version", () => {
    const r = functionAvailability("present_over_time", v("2.28"));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('function "present_over_time" needs Prometheus 2.29 or later (target: Prometheus 2.28)');
    expect(functionAvailability("present_over_time", v("2.29")).ok).toBe(true);
  });

  it("knows holt_winters was renamed in 3.0", () => {
    expect(functionAvailability("holt_winters", v("2.42")).ok).toBe(true);
    const r = functionAvailability("holt_winters", v("3.0"));
    expect(!r.ok && r.reason).toContain('renamed to "double_exponential_smoothing" in Prometheus 3.0');
  });

  it("treats experimental functions as unavailable unless the feature flag is on", () => {
    const r = functionAvailability("sort_by_label", v("3.1"));
    expect(!r.ok && r.reason).toContain("--enable-feature=promql-experimental-functions");
    expect(functionAvailability("sort_by_label", v("3.1"), { experimental: true }).ok).toBe(true);
  });

  it("records Prometheus' variadic conventions", () => {
    expect(FUNCTIONS.get("round")).toMatchObject({ argTypes: ["vector", "scalar"], variadic: 1 });
    expect(FUNCTIONS.get("label_join")).toMatchObject({ argTypes: ["vector", "string", "string", "string"], variadic: -1 });
    expect(FUNCTIONS.get("time")).toMatchObject({ argTypes: [], variadic: 0, returnType: "scalar" });
    expect(FUNCTIONS.get("histogram_quantile")).toMatchObject({ argTypes: ["scalar", "vector"], variadic: 0 });
  });

  it("gates aggregations: group since 2.20, limitk is a 3.0 experimental one", () => {
    expect(aggregationAvailability("group", v("2.19")).ok).toBe(false);
    expect(aggregationAvailability("group", v("2.20")).ok).toBe(true);
    expect(aggregationAvailability("limitk", v("2.42")).ok).toBe(false);
    expect(aggregationAvailability("limitk", v("3.0"), { experimental: true }).ok).toBe(true);
    expect(AGGREGATIONS.get("count_values")?.paramType).toBe("string");
  });
});
