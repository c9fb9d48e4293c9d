/**
 * promql/unknown-metric: a selector names a series that no declared signal (counter, gauge,
 * a histogram's `_bucket`/`_count`/`_sum`, a summary's quantiles, `_count` and `_sum`), no
 * recording rule and no Prometheus built-in (`up`, `ALERTS`, ...) provides. Such a selector
 * matches nothing, so the alert never fires and the SLI has no data; it is almost always a
 * typo or a signal someone forgot to declare. The compiler's check stage reports the same
 * selectors as VIG2001; this rule is what `vigil lint` reports for rule files linted against
 * a spec, and it must agree with VIG2001 on which names are unknown.
 */
import type { SpecRef } from "../../../diagnostics/index.js";
import { selectorMetric, walk, type Expr, type VectorSelector } from "../../../promql/ast.js";
import { didYouMean } from "../../../normalize/names.js";
import { BUILTIN_METRICS, type SignalIndex } from "../../../normalize/signals.js";
import type { Finding, LintContext, LintItem, LintRule } from "../../types.js";

/** Every series name a selector may use: signals with their histogram/summary parts, recordings, built-ins. */
function seriesNames(signals: SignalIndex, ctx: LintContext): string[] {
  const out: string[] = [];
  for (const name of signals.names()) {
    out.push(name);
    const type = signals.get(name)?.type;
    if (type === "histogram") out.push(`${name}_bucket`, `${name}_count`, `${name}_sum`);
    if (type === "summary") out.push(`${name}_count`, `${name}_sum`);
  }
  for (const r of ctx.service?.recordings ?? []) out.push(r.record);
  return [...out, ...Object.keys(BUILTIN_METRICS)];
}

/**
 * The characters of the metric name: the identifier before the braces, or the inside of the
 * string of a `__name__="..."` matcher (the whole string literal if it has escapes).
 */
function nameSpan(sel: VectorSelector, metric: string, text: string): { start: number; length: number } {
  if (sel.name !== undefined) return { start: sel.start, length: sel.name.length };
  const m = sel.matchers.find((x) => x.name === "__name__" && x.op === "=");
  if (!m) return { start: sel.start, length: sel.end - sel.start };
  let i = m.start + m.name.length;
  while (/\s/.test(text[i] ?? "")) i++;
  i += m.op.length;
  while (/\s/.test(text[i] ?? "")) i++;
  const inner = text.slice(i + 1, m.end - 1);
  return inner === metric ? { start: i + 1, length: inner.length } : { start: i, length: m.end - i };
}

/**
 * Reports every selector of `exprs` on a series nothing provides; shared with
 * dashboard/unknown-metric. `skip` leaves out selectors that are not the user's (e.g. made of a
 * Grafana variable's placeholder).
 */
export function reportUnknownMetrics<E extends { text: string; expr: Expr; at(offset: number, length: number): SpecRef; item?: LintItem }>(
  ctx: LintContext,
  signals: SignalIndex,
  exprs: readonly E[],
  what: string,
  skip: (name: { start: number; length: number }, e: E) => boolean = () => false,
): void {
  let candidates: string[] | undefined;
  for (const e of exprs) {
    walk(e.expr, (node) => {
      if (node.type !== "vector") return;
      const metric = selectorMetric(node);
      if (metric === undefined || signals.series(metric)) return;
      const { start, length } = nameSpan(node, metric, e.text);
      if (skip({ start, length }, e)) return;
      const finding: Finding = {
        message: `unknown signal "${metric}": no declared signal or recording rule provides it, so ${what}`,
        hint: didYouMean(metric, (candidates ??= seriesNames(signals, ctx))) ?? "declare it in signals (or as a recording rule)",
        at: e.at(start, length),
      };
      if (e.item) finding.item = e.item;
      ctx.report(finding);
    });
  }
}

export const rule: LintRule = {
  meta: { id: "promql/unknown-metric", severity: "error", description: "selector on a metric that no declared signal or recording rule provides", needsSpec: true },
  check(ctx) {
    if (ctx.signals) reportUnknownMetrics(ctx, ctx.signals, ctx.exprs, "the selector matches nothing");
  },
};
