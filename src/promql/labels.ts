/**
 * Label flow: which labels an expression's result series can carry, following Prometheus'
 * engine — `by`/`without`, one-to-one matching keeping only `on(...)` labels, `group_x(extra)`
 * copying labels from the "one" side, `label_replace`/`label_join` adding one, arithmetic and
 * most functions dropping `__name__`. Used by lint rules and routing checks ("does this alert
 * carry a `team` label?").
 */
import type { Expr, VectorSelector } from "./ast.js";
import { COMPARISON_OPS } from "./ast.js";
import { selectorMetric } from "./ast.js";

export interface LabelSet {
  /** Labels the result can carry. */
  labels: ReadonlySet<string>;
  /** Whether it may carry labels beyond `labels` (an input whose labels are not known). */
  open: boolean;
}

/** The labels of a series name, or undefined when unknown (e.g. an undeclared metric). */
export type SeriesLabels = (metric: string) => readonly string[] | undefined;

const NAME = "__name__";
const EMPTY: LabelSet = { labels: new Set(), open: false };

/** Functions whose output keeps the input's metric name (all others drop it). */
const KEEPS_NAME = new Set(["last_over_time", "first_over_time", "sort", "sort_desc", "sort_by_label", "sort_by_label_desc", "limitk", "limit_ratio"]);
/** Functions returning a scalar or a label-less vector. */
const NO_LABELS = new Set(["scalar", "time", "vector", "pi", "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"]);
/** Aggregations whose output series are input series (labels kept, name included). */
const SELECTING = new Set(["topk", "bottomk", "limitk", "limit_ratio"]);

export function labelFlow(expr: Expr, lookup: SeriesLabels): LabelSet {
  switch (expr.type) {
    case "number":
    case "string":
      return EMPTY;
    case "vector":
      return selectorLabels(expr, lookup);
    case "matrix":
      return selectorLabels(expr.vector, lookup);
    case "subquery":
    case "paren":
      return labelFlow(expr.expr, lookup);
    case "unary":
      return without(labelFlow(expr.expr, lookup), [NAME]);
    case "call":
      return callLabels(expr.func, expr.args, lookup);
    case "aggregate": {
      const input = labelFlow(expr.expr, lookup);
      if (SELECTING.has(expr.op)) return input;
      let out: LabelSet;
      if (!expr.hasGrouping) out = EMPTY;
      else if (expr.without) out = without(input, [...expr.grouping, NAME]);
      else out = { labels: new Set(expr.grouping.filter((l) => input.open || input.labels.has(l))), open: false };
      if (expr.op === "count_values" && expr.param?.type === "string") out = withLabels(out, [expr.param.value]);
      return out;
    }
    case "binary":
      return binaryLabels(expr, lookup);
  }
}

function selectorLabels(sel: VectorSelector, lookup: SeriesLabels): LabelSet {
  const metric = selectorMetric(sel);
  const known = metric === undefined ? undefined : lookup(metric);
  if (known === undefined) {
    // Unknown series: at least the labels it is matched on (non-empty equality can only match carriers).
    return { labels: new Set([NAME, ...sel.matchers.map((m) => m.name)]), open: true };
  }
  return { labels: new Set([NAME, ...known]), open: false };
}

function callLabels(func: string, args: readonly Expr[], lookup: SeriesLabels): LabelSet {
  // Date functions without an argument read time(); with one they keep its labels.
  if (NO_LABELS.has(func) && (args.length === 0 || func === "scalar" || func === "vector")) return EMPTY;
  if (func === "absent" || func === "absent_over_time") {
    // The output carries the selector's equality matchers (when it fires at all).
    const arg = args[0];
    const sel = arg?.type === "vector" ? arg : arg?.type === "matrix" ? arg.vector : undefined;
    const names = sel ? sel.matchers.filter((m) => m.op === "=" && m.name !== NAME).map((m) => m.name) : [];
    return { labels: new Set(names), open: false };
  }
  const vectorArg = args.find((a) => a.type !== "number" && a.type !== "string");
  const input = vectorArg ? labelFlow(vectorArg, lookup) : EMPTY;
  if (func === "histogram_quantile") return without(input, ["le", NAME]);
  if (func === "label_replace" || func === "label_join") {
    // Both keep the metric name and add (or overwrite) the destination label.
    const dst = args[1];
    return dst?.type === "string" ? withLabels(input, [dst.value]) : { ...input, open: true };
  }
  if (KEEPS_NAME.has(func)) return input;
  return without(input, [NAME]);
}

function binaryLabels(expr: Extract<Expr, { type: "binary" }>, lookup: SeriesLabels): LabelSet {
  const lhs = labelFlow(expr.lhs, lookup);
  const rhs = labelFlow(expr.rhs, lookup);
  const lScalar = isScalar(expr.lhs);
  const rScalar = isScalar(expr.rhs);
  if (lScalar && rScalar) return EMPTY;
  const comparison = COMPARISON_OPS.has(expr.op);
  const dropName = !comparison || expr.bool;
  const clean = (s: LabelSet) => (dropName ? without(s, [NAME]) : s);
  if (lScalar) return clean(rhs);
  if (rScalar) return clean(lhs);
  if (expr.op === "and" || expr.op === "unless") return lhs;
  if (expr.op === "or") return union(lhs, rhs);
  const m = expr.matching;
  if (!m || m.card === "one-to-one") {
    if (m?.on) return clean({ labels: new Set(m.labels.filter((l) => lhs.open || lhs.labels.has(l))), open: false });
    return clean(m ? without(lhs, m.labels) : lhs);
  }
  // group_left: the "many" side is lhs; group_right: rhs. Extra labels come from the other side.
  const [many, one] = m.card === "many-to-one" ? [lhs, rhs] : [rhs, lhs];
  const extra = m.include.filter((l) => one.open || one.labels.has(l));
  return clean(withLabels(many, extra));
}

function isScalar(expr: Expr): boolean {
  switch (expr.type) {
    case "number":
      return true;
    case "paren":
    case "unary":
      return isScalar(expr.expr);
    case "binary":
      return isScalar(expr.lhs) && isScalar(expr.rhs);
    case "call":
      return expr.func === "scalar" || expr.func === "time" || expr.func === "pi";
    default:
      return false;
  }
}

function without(set: LabelSet, names: readonly string[]): LabelSet {
  const labels = new Set(set.labels);
  for (const n of names) labels.delete(n);
  return { labels, open: set.open };
}

function withLabels(set: LabelSet, names: readonly string[]): LabelSet {
  return { labels: new Set([...set.labels, ...names]), open: set.open };
}

function union(a: LabelSet, b: LabelSet): LabelSet {
  return { labels: new Set([...a.labels, ...b.labels]), open: a.open || b.open };
}
