/**
 * alerts/for: an alert's `for` does not fit its expression.
 *
 * - No `for` (0) on a noisy expression: a `rate()`/`irate()`/`increase()` or a gauge read at a
 *   single instant jitters from one evaluation to the next, and without `for` one spike past
 *   the threshold is a page (that resolves a minute later). Gauges smoothed over a range
 *   (`avg_over_time(x[10m])`) and timestamps compared with `time()` are not noisy.
 * - An `absent()` alert whose `for` is shorter than 2 scrape intervals: a single failed scrape
 *   marks the target's series stale at once, so `absent()` fires on one scrape hiccup. For
 *   `absent_over_time(x[w])` the window counts too: it fires after `w + for` without samples.
 */
import type { Expr } from "../../../promql/ast.js";
import { selectorMetric } from "../../../promql/ast.js";
import { formatDuration } from "../../../promql/format.js";
import type { LintContext, LintRule } from "../../types.js";

const RATES = new Set(["rate", "irate", "increase"]);
const MIN_SCRAPES = 2;

function unparen(e: Expr): Expr {
  return e.type === "paren" ? unparen(e.expr) : e;
}

/**
 * How long the series must be missing before the expression returns something, for each
 * `absent()`/`absent_over_time()` that decides whether the alert fires; undefined when the
 * alert is not absent-based.
 */
function absentWindows(e: Expr): number[] | undefined {
  const d = unparen(e);
  if (d.type === "call" && d.func === "absent") return [0];
  if (d.type === "call" && d.func === "absent_over_time") {
    const arg = d.args[0];
    return [arg?.type === "matrix" || arg?.type === "subquery" ? arg.range : 0];
  }
  if (d.type !== "binary") return undefined;
  if (d.op === "and" || d.op === "unless") return absentWindows(d.lhs);
  if (d.op === "or") {
    const both = [...(absentWindows(d.lhs) ?? []), ...(absentWindows(d.rhs) ?? [])];
    return both.length > 0 ? both : undefined;
  }
  return undefined;
}

function isTime(e: Expr): boolean {
  const d = unparen(e);
  return d.type === "call" && d.func === "time";
}

/** What makes the expression jitter between evaluations: a rate function or a gauge read at one instant. */
function noise(e: Expr, ctx: LintContext): string | undefined {
  switch (e.type) {
    case "call":
      if (RATES.has(e.func)) return `${e.func}()`;
      for (const arg of e.args) {
        const n = noise(arg, ctx);
        if (n) return n;
      }
      return undefined;
    case "vector": {
      const metric = selectorMetric(e);
      const series = metric === undefined ? undefined : ctx.signals?.series(metric);
      if (!series || series.part !== "value" || series.signal.type !== "gauge") return undefined;
      return ctx.signals?.get(metric!) || series.labels ? `the gauge ${metric}` : `the recorded series ${metric}`;
    }
    case "binary": {
      // `time() - process_start_time_seconds`: a timestamp, it does not jitter.
      if (e.op === "-" && isTime(e.lhs) && unparen(e.rhs).type === "vector") return undefined;
      if (e.op === "-" && isTime(e.rhs) && unparen(e.lhs).type === "vector") return undefined;
      return noise(e.lhs, ctx) ?? noise(e.rhs, ctx);
    }
    case "aggregate":
      return noise(e.expr, ctx);
    case "paren":
    case "unary":
      return noise(e.expr, ctx);
    default:
      // Ranges and subqueries are smoothed by the function over them.
      return undefined;
  }
}

export const rule: LintRule = {
  meta: { id: "alerts/for", severity: "warning", description: "alert without `for` on a noisy expression, or an absent() alert with a `for` under 2 scrape intervals" },
  check(ctx) {
    const minAbsentMs = MIN_SCRAPES * ctx.scrapeIntervalMs;
    for (const e of ctx.exprs) {
      if (e.item.kind !== "alert") continue;
      const alert = e.item.alert;
      const at = { ...alert.at, path: [...alert.at.path, "for"] };
      const windows = absentWindows(e.expr);
      if (windows) {
        const blindMs = alert.forMs + Math.min(...windows);
        if (blindMs >= minAbsentMs) continue;
        ctx.report({
          message: `absent() alert "${alert.name}" fires after ${formatDuration(blindMs)} without samples, less than ${MIN_SCRAPES} scrape intervals (${formatDuration(ctx.scrapeIntervalMs)}): one failed scrape is enough`,
          hint: `set \`for: ${formatDuration(minAbsentMs)}\` or longer`,
          at,
          item: e.item,
        });
        continue;
      }
      if (alert.forMs > 0) continue;
      const reason = noise(e.expr, ctx);
      if (!reason) continue;
      ctx.report({
        message: `alert "${alert.name}" has no \`for\` and follows ${reason}, which varies from one evaluation to the next: a single spike pages`,
        hint: "set `for` to a few evaluation intervals (e.g. 5m), or smooth the expression over a range",
        at,
        item: e.item,
      });
    }
  },
};
