/**
 * Every PromQL function and aggregation operator Prometheus has had since 2.0, with its
 * signature (as in the newest release) and the first release whose parser knows it.
 *
 * How `since` was established: for every v2.x.0 and v3.x.0 tag of prometheus/prometheus, the
 * names in promql/parser/functions.go (promql/functions.go before 2.x moved it) were listed;
 * `since` is the first tag that lists the name. Signatures and the experimental flag come from
 * the newest release's table. `holt_winters` was renamed `double_exponential_smoothing` in 3.0.
 */
import type { ValueType } from "./typecheck.js";
import { compareVersions, formatVersion, parseVersion, type PromVersion } from "./version.js";

export type { ValueType };

export interface FunctionInfo {
  name: string;
  /** Argument types in order; see `variadic`. */
  argTypes: readonly ValueType[];
  /** Prometheus' Function.Variadic: 0 exact; n > 0 up to n optional trailing args; -1 the last one repeats. */
  variadic: number;
  returnType: ValueType;
  /** First release (major.minor) whose parser knows the function. */
  since: string;
  /** Release that removed or renamed it. */
  removedIn?: string;
  /** Its new name, when renamed. */
  renamedTo?: string;
  /** Needs --enable-feature=promql-experimental-functions. */
  experimental?: boolean;
}

export interface AggregationInfo {
  name: string;
  /** Type of the parameter, for operators that take one (`topk(3, x)`). */
  paramType?: ValueType;
  since: string;
  experimental?: boolean;
}

function fn(name: string, argTypes: ValueType[], variadic: number, returnType: ValueType, since: string, extra: Partial<FunctionInfo> = {}): FunctionInfo {
  return { name, argTypes, variadic, returnType, since, ...extra };
}

export const FUNCTIONS: ReadonlyMap<string, FunctionInfo> = new Map(
  [
    fn("abs", ["vector"], 0, "vector", "2.0"),
    fn("absent", ["vector"], 0, "vector", "2.0"),
    fn("absent_over_time", ["matrix"], 0, "vector", "2.16"),
    fn("acos", ["vector"], 0, "vector", "2.31"),
    fn("acosh", ["vector"], 0, "vector", "2.31"),
    fn("asin", ["vector"], 0, "vector", "2.31"),
    fn("asinh", ["vector"], 0, "vector", "2.31"),
    fn("atan", ["vector"], 0, "vector", "2.31"),
    fn("atanh", ["vector"], 0, "vector", "2.31"),
    fn("avg_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("ceil", ["vector"], 0, "vector", "2.0"),
    fn("changes", ["matrix"], 0, "vector", "2.0"),
    fn("clamp", ["vector", "scalar", "scalar"], 0, "vector", "2.26"),
    fn("clamp_max", ["vector", "scalar"], 0, "vector", "2.0"),
    fn("clamp_min", ["vector", "scalar"], 0, "vector", "2.0"),
    fn("cos", ["vector"], 0, "vector", "2.31"),
    fn("cosh", ["vector"], 0, "vector", "2.31"),
    fn("count_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("days_in_month", ["vector"], 1, "vector", "2.0"),
    fn("day_of_month", ["vector"], 1, "vector", "2.0"),
    fn("day_of_week", ["vector"], 1, "vector", "2.0"),
    fn("day_of_year", ["vector"], 1, "vector", "2.36"),
    fn("deg", ["vector"], 0, "vector", "2.31"),
    fn("end", [], 0, "scalar", "3.12", { experimental: true }),
    fn("delta", ["matrix"], 0, "vector", "2.0"),
    fn("deriv", ["matrix"], 0, "vector", "2.0"),
    fn("exp", ["vector"], 0, "vector", "2.0"),
    fn("first_over_time", ["matrix"], 0, "vector", "3.7"),
    fn("floor", ["vector"], 0, "vector", "2.0"),
    fn("histogram_avg", ["vector"], 0, "vector", "2.51"),
    fn("histogram_count", ["vector"], 0, "vector", "2.40"),
    fn("histogram_sum", ["vector"], 0, "vector", "2.40"),
    fn("histogram_stddev", ["vector"], 0, "vector", "2.47"),
    fn("histogram_stdvar", ["vector"], 0, "vector", "2.47"),
    fn("histogram_fraction", ["scalar", "scalar", "vector"], 0, "vector", "2.40"),
    fn("histogram_quantile", ["scalar", "vector"], 0, "vector", "2.0"),
    fn("histogram_quantiles", ["vector", "string", "scalar", "scalar"], 9, "vector", "3.11", { experimental: true }),
    fn("double_exponential_smoothing", ["matrix", "scalar", "scalar"], 0, "vector", "3.0", { experimental: true }),
    fn("hour", ["vector"], 1, "vector", "2.0"),
    fn("idelta", ["matrix"], 0, "vector", "2.0"),
    fn("increase", ["matrix"], 0, "vector", "2.0"),
    fn("info", ["vector", "vector"], 1, "vector", "2.55", { experimental: true }),
    fn("irate", ["matrix"], 0, "vector", "2.0"),
    fn("label_replace", ["vector", "string", "string", "string", "string"], 0, "vector", "2.0"),
    fn("label_join", ["vector", "string", "string", "string"], -1, "vector", "2.0"),
    fn("max_of", ["scalar", "scalar"], 0, "scalar", "3.13", { experimental: true }),
    fn("last_over_time", ["matrix"], 0, "vector", "2.26"),
    fn("min_of", ["scalar", "scalar"], 0, "scalar", "3.13", { experimental: true }),
    fn("ln", ["vector"], 0, "vector", "2.0"),
    fn("log10", ["vector"], 0, "vector", "2.0"),
    fn("log2", ["vector"], 0, "vector", "2.0"),
    fn("mad_over_time", ["matrix"], 0, "vector", "2.49", { experimental: true }),
    fn("max_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("min_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("ts_of_first_over_time", ["matrix"], 0, "vector", "3.7", { experimental: true }),
    fn("ts_of_max_over_time", ["matrix"], 0, "vector", "3.5", { experimental: true }),
    fn("ts_of_min_over_time", ["matrix"], 0, "vector", "3.5", { experimental: true }),
    fn("ts_of_last_over_time", ["matrix"], 0, "vector", "3.5", { experimental: true }),
    fn("minute", ["vector"], 1, "vector", "2.0"),
    fn("month", ["vector"], 1, "vector", "2.0"),
    fn("pi", [], 0, "scalar", "2.31"),
    fn("predict_linear", ["matrix", "scalar"], 0, "vector", "2.0"),
    fn("present_over_time", ["matrix"], 0, "vector", "2.29"),
    fn("quantile_over_time", ["scalar", "matrix"], 0, "vector", "2.0"),
    fn("rad", ["vector"], 0, "vector", "2.31"),
    fn("range", [], 0, "scalar", "3.12", { experimental: true }),
    fn("rate", ["matrix"], 0, "vector", "2.0"),
    fn("resets", ["matrix"], 0, "vector", "2.0"),
    fn("round", ["vector", "scalar"], 1, "vector", "2.0"),
    fn("scalar", ["vector"], 0, "scalar", "2.0"),
    fn("sgn", ["vector"], 0, "vector", "2.26"),
    fn("sin", ["vector"], 0, "vector", "2.31"),
    fn("sinh", ["vector"], 0, "vector", "2.31"),
    fn("sort", ["vector"], 0, "vector", "2.0"),
    fn("sort_desc", ["vector"], 0, "vector", "2.0"),
    fn("sort_by_label", ["vector", "string"], -1, "vector", "2.49", { experimental: true }),
    fn("sort_by_label_desc", ["vector", "string"], -1, "vector", "2.49", { experimental: true }),
    fn("sqrt", ["vector"], 0, "vector", "2.0"),
    fn("start", [], 0, "scalar", "3.12", { experimental: true }),
    fn("start_timestamp", ["vector"], 0, "vector", "3.14", { experimental: true }),
    fn("step", [], 0, "scalar", "3.12", { experimental: true }),
    fn("stddev_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("stdvar_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("sum_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("tan", ["vector"], 0, "vector", "2.31"),
    fn("tanh", ["vector"], 0, "vector", "2.31"),
    fn("time", [], 0, "scalar", "2.0"),
    fn("timestamp", ["vector"], 0, "vector", "2.0"),
    fn("vector", ["scalar"], 0, "vector", "2.0"),
    fn("year", ["vector"], 1, "vector", "2.0"),
    fn("holt_winters", ["matrix", "scalar", "scalar"], 0, "vector", "2.0", { removedIn: "3.0", renamedTo: "double_exponential_smoothing" }),
  ].map((f) => [f.name, f]),
);

export const AGGREGATIONS: ReadonlyMap<string, AggregationInfo> = new Map(
  (
    [
      { name: "sum", since: "2.0" },
      { name: "avg", since: "2.0" },
      { name: "count", since: "2.0" },
      { name: "min", since: "2.0" },
      { name: "max", since: "2.0" },
      { name: "stddev", since: "2.0" },
      { name: "stdvar", since: "2.0" },
      { name: "topk", paramType: "scalar", since: "2.0" },
      { name: "bottomk", paramType: "scalar", since: "2.0" },
      { name: "count_values", paramType: "string", since: "2.0" },
      { name: "quantile", paramType: "scalar", since: "2.0" },
      { name: "group", since: "2.20" },
      { name: "limitk", paramType: "scalar", since: "3.0", experimental: true },
      { name: "limit_ratio", paramType: "scalar", since: "3.0", experimental: true },
    ] satisfies AggregationInfo[]
  ).map((a) => [a.name, a]),
);

export interface AvailabilityOptions {
  /** The target runs with --enable-feature=promql-experimental-functions. */
  experimental?: boolean;
}

type Availability<T> = { ok: true; info: T } | { ok: false; reason: string; info?: T };

function gate<T extends { name: string; since: string; experimental?: boolean; removedIn?: string; renamedTo?: string }>(
  kind: string,
  info: T | undefined,
  name: string,
  target: PromVersion,
  options: AvailabilityOptions,
): Availability<T> {
  if (!info) return { ok: false, reason: `unknown ${kind} ${JSON.stringify(name)}` };
  const targetText = formatVersion(target);
  if (compareVersions(target, parseVersion(info.since)!) < 0) {
    return { ok: false, info, reason: `${kind} ${JSON.stringify(name)} needs Prometheus ${info.since} or later (target: Prometheus ${targetText})` };
  }
  if (info.removedIn && compareVersions(target, parseVersion(info.removedIn)!) >= 0) {
    const now = info.renamedTo ? `was renamed to ${JSON.stringify(info.renamedTo)}` : "was removed";
    return { ok: false, info, reason: `${kind} ${JSON.stringify(name)} ${now} in Prometheus ${info.removedIn} (target: Prometheus ${targetText})` };
  }
  if (info.experimental && !options.experimental) {
    return { ok: false, info, reason: `${kind} ${JSON.stringify(name)} is experimental: it needs --enable-feature=promql-experimental-functions` };
  }
  return { ok: true, info };
}

export function functionAvailability(name: string, target: PromVersion, options: AvailabilityOptions = {}): Availability<FunctionInfo> {
  return gate("function", FUNCTIONS.get(name), name, target, options);
}

export function aggregationAvailability(name: string, target: PromVersion, options: AvailabilityOptions = {}): Availability<AggregationInfo> {
  return gate("aggregation", AGGREGATIONS.get(name), name, target, options);
}
