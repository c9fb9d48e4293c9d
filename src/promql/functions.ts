/**
 * Every PromQL function and aggregation operator Prometheus has had from 2.0 to the newest
 * development head (checked against prometheus/prometheus at d15adb9ad7, 2026-08-21, whose table
 * equals v3.14.0's), with its signature and the first release whose parser knows it.
 *
 * How the versions were established (no entry is guessed):
 * - For every minor release tag v2.0.0 … v2.55.0 and v3.0.0 … v3.14.0 (all present in the mirror)
 *   and for HEAD, the `Functions` map was read from `git show <tag>:promql/parser/functions.go`
 *   (`promql/functions.go` up to 2.16) and the aggregation keywords from the `key` map of
 *   promql/parser/lex.go (`promql/lex.go` up to 2.16). `since` is the first tag whose table lists the
 *   name; `removedIn` the first tag that no longer does.
 * - Cross-check: `git log -S '"name"'` on those files finds each name's first commit, and
 *   `git tag --contains` on it gives the same first minor release for every entry. Tags were
 *   complete, so the commit-date fallback (the release following the commit) was never needed.
 * - Signatures are the newest ones. Comparing every consecutive pair of tables found no change of
 *   argument types, variadic count or return type for any function since 2.0; the only change
 *   besides additions and the holt_winters rename is first_over_time leaving experimental in 3.14.
 * - `experimental` is as in the newest table (Function.Experimental, refused by the parser unless
 *   --enable-feature=promql-experimental-functions). limitk and limit_ratio are gated by the same
 *   flag in promql/parser/parse.go (IsExperimentalAggregator).
 * - Names that only ever existed between releases are left out: atan2() (a function for a day in
 *   2021, then the binary operator) and greatest()/least() (renamed max_of()/min_of() before 3.13).
 *   count_scalar and drop_common_labels were removed in 2.0 itself.
 */
import { compareVersions, formatVersion, parseVersion, type PromVersion } from "./version.js";

export type ValueType = "scalar" | "vector" | "matrix" | "string";

export interface FunctionInfo {
  name: string;
  /**
   * Argument types in order. With `variadic` ≠ 0 the last one is optional: a call takes from
   * argTypes.length - 1 up to argTypes.length - 1 + variadic arguments (no upper bound when -1),
   * the extra ones typed like the last — Prometheus' Function.Variadic. 0: exactly argTypes.length.
   */
  argTypes: readonly ValueType[];
  variadic: number;
  returnType: ValueType;
  /** First release (major.minor) whose PromQL parser knows the function. */
  since: string;
  /** Release that removed or renamed it, if any (holt_winters → double_exponential_smoothing in 3.0). */
  removedIn?: string;
  /** New name, when renamed. */
  renamedTo?: string;
  /** Needs --enable-feature=promql-experimental-functions (as in the newest release). */
  experimental?: boolean;
  /** For a function no longer experimental: the release that made it stable (it needs the flag before). */
  experimentalBefore?: string;
}

export interface AggregationInfo {
  name: string;
  /** Type of the parameter, if the operator takes one (`topk(3, x)`, `count_values("v", x)`). */
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
    fn("day_of_month", ["vector"], 1, "vector", "2.0"),
    fn("day_of_week", ["vector"], 1, "vector", "2.0"),
    fn("day_of_year", ["vector"], 1, "vector", "2.36"),
    fn("days_in_month", ["vector"], 1, "vector", "2.0"),
    fn("deg", ["vector"], 0, "vector", "2.31"),
    fn("delta", ["matrix"], 0, "vector", "2.0"),
    fn("deriv", ["matrix"], 0, "vector", "2.0"),
    // holt_winters under its 3.0 name; experimental from the start.
    fn("double_exponential_smoothing", ["matrix", "scalar", "scalar"], 0, "vector", "3.0", { experimental: true }),
    // start(), end(), range(), step(): the query's evaluation parameters (3.12, ae9e52c868).
    fn("end", [], 0, "scalar", "3.12", { experimental: true }),
    fn("exp", ["vector"], 0, "vector", "2.0"),
    // Experimental in 3.7–3.13; promoted to stable in 3.14 (b4741eeb99).
    fn("first_over_time", ["matrix"], 0, "vector", "3.7", { experimentalBefore: "3.14" }),
    fn("floor", ["vector"], 0, "vector", "2.0"),
    fn("histogram_avg", ["vector"], 0, "vector", "2.51"),
    fn("histogram_count", ["vector"], 0, "vector", "2.40"),
    fn("histogram_fraction", ["scalar", "scalar", "vector"], 0, "vector", "2.40"),
    fn("histogram_quantile", ["scalar", "vector"], 0, "vector", "2.0"),
    // 3 to 12 arguments: histogram_quantiles(v, "label", q1, q2, …, q10).
    fn("histogram_quantiles", ["vector", "string", "scalar", "scalar"], 9, "vector", "3.11", { experimental: true }),
    fn("histogram_stddev", ["vector"], 0, "vector", "2.47"),
    fn("histogram_stdvar", ["vector"], 0, "vector", "2.47"),
    fn("histogram_sum", ["vector"], 0, "vector", "2.40"),
    // Renamed (not aliased) in 3.0 by 96e5a94d29 "promql: rename holt_winters to double_exponential_smoothing".
    fn("holt_winters", ["matrix", "scalar", "scalar"], 0, "vector", "2.0", { removedIn: "3.0", renamedTo: "double_exponential_smoothing" }),
    fn("hour", ["vector"], 1, "vector", "2.0"),
    fn("idelta", ["matrix"], 0, "vector", "2.0"),
    fn("increase", ["matrix"], 0, "vector", "2.0"),
    // The optional second argument must be a label-matcher-only selector (checked separately by Prometheus).
    fn("info", ["vector", "vector"], 1, "vector", "2.55", { experimental: true }),
    fn("irate", ["matrix"], 0, "vector", "2.0"),
    fn("label_join", ["vector", "string", "string", "string"], -1, "vector", "2.0"),
    fn("label_replace", ["vector", "string", "string", "string", "string"], 0, "vector", "2.0"),
    fn("last_over_time", ["matrix"], 0, "vector", "2.26"),
    fn("ln", ["vector"], 0, "vector", "2.0"),
    fn("log10", ["vector"], 0, "vector", "2.0"),
    fn("log2", ["vector"], 0, "vector", "2.0"),
    fn("mad_over_time", ["matrix"], 0, "vector", "2.49", { experimental: true }),
    // Landed as greatest()/least() (7af21f195c) and renamed to max_of()/min_of() (a74f0b2e7a) before any
    // release, so greatest/least were never in a release and are not listed.
    fn("max_of", ["scalar", "scalar"], 0, "scalar", "3.13", { experimental: true }),
    fn("max_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("min_of", ["scalar", "scalar"], 0, "scalar", "3.13", { experimental: true }),
    fn("min_over_time", ["matrix"], 0, "vector", "2.0"),
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
    fn("sort_by_label", ["vector", "string"], -1, "vector", "2.49", { experimental: true }),
    fn("sort_by_label_desc", ["vector", "string"], -1, "vector", "2.49", { experimental: true }),
    fn("sort_desc", ["vector"], 0, "vector", "2.0"),
    fn("sqrt", ["vector"], 0, "vector", "2.0"),
    fn("start", [], 0, "scalar", "3.12", { experimental: true }),
    fn("start_timestamp", ["vector"], 0, "vector", "3.14", { experimental: true }),
    fn("stddev_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("stdvar_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("step", [], 0, "scalar", "3.12", { experimental: true }),
    fn("sum_over_time", ["matrix"], 0, "vector", "2.0"),
    fn("tan", ["vector"], 0, "vector", "2.31"),
    fn("tanh", ["vector"], 0, "vector", "2.31"),
    fn("time", [], 0, "scalar", "2.0"),
    fn("timestamp", ["vector"], 0, "vector", "2.0"),
    fn("ts_of_first_over_time", ["matrix"], 0, "vector", "3.7", { experimental: true }),
    fn("ts_of_last_over_time", ["matrix"], 0, "vector", "3.5", { experimental: true }),
    fn("ts_of_max_over_time", ["matrix"], 0, "vector", "3.5", { experimental: true }),
    fn("ts_of_min_over_time", ["matrix"], 0, "vector", "3.5", { experimental: true }),
    fn("vector", ["scalar"], 0, "vector", "2.0"),
    fn("year", ["vector"], 1, "vector", "2.0"),
  ].map((f): [string, FunctionInfo] => [f.name, f]),
);

const AGGREGATION_LIST: AggregationInfo[] = [
  { name: "avg", since: "2.0" },
  { name: "bottomk", paramType: "scalar", since: "2.0" },
  { name: "count", since: "2.0" },
  { name: "count_values", paramType: "string", since: "2.0" },
  // 72425d4e3d "Add group() aggregator", first in v2.20.0.
  { name: "group", since: "2.20" },
  // c94c5b64c3 "feat: add limitk() and limit_ratio() operators", first in v2.54.0; experimental ever since.
  { name: "limit_ratio", paramType: "scalar", since: "2.54", experimental: true },
  { name: "limitk", paramType: "scalar", since: "2.54", experimental: true },
  { name: "max", since: "2.0" },
  { name: "min", since: "2.0" },
  { name: "quantile", paramType: "scalar", since: "2.0" },
  { name: "stddev", since: "2.0" },
  { name: "stdvar", since: "2.0" },
  { name: "sum", since: "2.0" },
  { name: "topk", paramType: "scalar", since: "2.0" },
];

export const AGGREGATIONS: ReadonlyMap<string, AggregationInfo> = new Map(AGGREGATION_LIST.map((a): [string, AggregationInfo] => [a.name, a]));

export interface AvailabilityOptions {
  /** The target runs with --enable-feature=promql-experimental-functions. */
  experimental?: boolean;
}

export type Availability<T> = { ok: true; info: T } | { ok: false; reason: string; info?: T };

const EXPERIMENTAL_FLAG = "--enable-feature=promql-experimental-functions";

function version(text: string): PromVersion {
  const v = parseVersion(text);
  if (!v) throw new Error(`bad version in the PromQL function table: ${JSON.stringify(text)}`);
  return v;
}

function gate<T extends AggregationInfo & Partial<FunctionInfo>>(kind: "function" | "aggregation", info: T | undefined, name: string, target: PromVersion, options: AvailabilityOptions): Availability<T> {
  const subject = `${kind} ${JSON.stringify(name)}`;
  if (!info) return { ok: false, reason: `unknown ${subject}` };
  const targetText = `(target: Prometheus ${formatVersion(target)})`;
  if (compareVersions(target, version(info.since)) < 0) {
    const formerly = kind === "function" ? formerName(name) : undefined;
    const hint = formerly ? `; before ${info.since} it was called ${JSON.stringify(formerly)}` : "";
    return { ok: false, info, reason: `${subject} needs Prometheus ${info.since} or later ${targetText}${hint}` };
  }
  if (info.removedIn && compareVersions(target, version(info.removedIn)) >= 0) {
    const what = info.renamedTo ? `was renamed to ${JSON.stringify(info.renamedTo)}` : "was removed";
    return { ok: false, info, reason: `${subject} ${what} in Prometheus ${info.removedIn} ${targetText}` };
  }
  if (!options.experimental) {
    if (info.experimental) return { ok: false, info, reason: `${subject} is experimental: it needs ${EXPERIMENTAL_FLAG}` };
    if (info.experimentalBefore && compareVersions(target, version(info.experimentalBefore)) < 0) {
      return { ok: false, info, reason: `${subject} is experimental before Prometheus ${info.experimentalBefore}: it needs ${EXPERIMENTAL_FLAG} ${targetText}` };
    }
  }
  return { ok: true, info };
}

function formerName(name: string): string | undefined {
  for (const f of FUNCTIONS.values()) if (f.renamedTo === name) return f.name;
  return undefined;
}

/**
 * Whether `name` is a function the target's PromQL parser accepts. Experimental functions count
 * only with `options.experimental` (the target runs with the feature flag); the reason is phrased
 * for a diagnostic.
 */
export function functionAvailability(name: string, target: PromVersion, options: AvailabilityOptions = {}): Availability<FunctionInfo> {
  return gate("function", FUNCTIONS.get(name), name, target, options);
}

/** Like functionAvailability, for aggregation operators (sum, topk, limitk, …). */
export function aggregationAvailability(name: string, target: PromVersion, options: AvailabilityOptions = {}): Availability<AggregationInfo> {
  return gate("aggregation", AGGREGATIONS.get(name), name, target, options);
}
