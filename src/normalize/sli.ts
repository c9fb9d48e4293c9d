/**
 * SLIs → two queries over a `{{window}}`: error events per second and total events per second.
 * Everything downstream (recording rules, burn rates, tests) works on that pair.
 */
import type { PromQLSource, SliModel } from "../model/types.js";
import { formatNumber, formatSelector, quoteString } from "../promql/format.js";
import { re2Error } from "../promql/regex/match.js";
import { hasWindowPlaceholder, WINDOW, WINDOW_PLACEHOLDER_PATTERN, WINDOW_SECONDS } from "../promql/window.js";
import type { EventsSpec, SelectorSpec, SliSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { didYouMean } from "./names.js";
import type { SeriesInfo, SignalIndex } from "./signals.js";

export function normalizeSli(spec: SliSpec, path: Path, signals: SignalIndex, ctx: NormalizeContext): SliModel | undefined {
  const by = spec.by ?? [];
  const sources: PromQLSource[] = [];
  const allowed: Set<string>[] = [];
  let ok = true;

  /** A typed selector: resolved, its labels checked; returns its PromQL text. */
  const selector = (sel: SelectorSpec, at: Path, accept: (s: SeriesInfo) => string | undefined, metric = sel.metric): string | undefined => {
    const r = resolveSelector(sel, at, signals, ctx, accept, metric);
    if (!r) {
      ok = false;
      return undefined;
    }
    if (r.series.labels) allowed.push(r.series.labels);
    if (!r.clean) ok = false;
    return r.text;
  };

  /** A ratio SLI's events: a counter selector, or PromQL with the window placeholder. */
  const events = (ev: EventsSpec, at: Path): string | undefined => {
    if (typeof ev === "string") {
      if (!hasWindowPlaceholder(ev)) {
        ctx.report("VIG2016", "SLI query has no {{window}} placeholder", at, { hint: `write the rate window as {{window}}, e.g. sum(rate(x[{{window}}]))` });
        ok = false;
        return undefined;
      }
      sources.push({ text: ev, at: ctx.ref(at) });
      return `(${ev.replace(WINDOW_PLACEHOLDER_PATTERN, WINDOW)})`;
    }
    const sel = selector(ev, at, (s) =>
      s.signal.type === "gauge" || (s.signal.type === "summary" && s.part === "value")
        ? `ratio SLI events must be counters, but "${ev.metric}" is a ${s.signal.type}`
        : undefined,
    );
    return sel === undefined ? undefined : aggregate("sum", `rate(${sel}[${WINDOW}])`, by);
  };

  let errorQuery: string | undefined;
  let totalQuery: string | undefined;
  switch (spec.kind) {
    case "ratio": {
      if ((spec.bad === undefined) === (spec.good === undefined)) {
        ctx.report("VIG2012", "a ratio SLI needs exactly one of `bad` or `good`, and `total`", path);
        return undefined;
      }
      totalQuery = events(spec.total, [...path, "total"]);
      if (spec.bad !== undefined) {
        const bad = events(spec.bad, [...path, "bad"]);
        // No error series yet (nothing failed) must read as 0, not as a missing SLI.
        if (bad && totalQuery) errorQuery = `(${bad} or 0 * ${totalQuery})`;
      } else if (spec.good !== undefined) {
        const good = events(spec.good, [...path, "good"]);
        if (good && totalQuery) errorQuery = `${totalQuery} - (${good} or 0 * ${totalQuery})`;
      }
      break;
    }
    case "latency": {
      const at = [...path, "histogram"];
      const base = spec.histogram.metric.replace(/_bucket$/, "");
      const matchers = { ...(spec.histogram.matchers ?? {}) };
      if ("le" in matchers) {
        ctx.report("VIG2002", "a latency SLI sets `le` from its threshold; remove the `le` matcher", [...at, "matchers", "le"], { key: true });
        return undefined;
      }
      let buckets: number[] = [];
      const count = selector({ ...spec.histogram, matchers }, at, (s) => {
        if (s.signal.type !== "histogram") return `a latency SLI needs a histogram, but "${spec.histogram.metric}" is a ${s.signal.type}`;
        buckets = s.signal.buckets;
        return undefined;
      }, `${base}_count`);
      if (count === undefined) return undefined;
      if (!buckets.includes(spec.threshold)) {
        ctx.report("VIG2007", `threshold ${formatNumber(spec.threshold)} is not a bucket boundary of "${base}"`, [...path, "threshold"], {
          hint: `buckets: ${buckets.map(formatNumber).join(", ")}`,
        });
        return undefined;
      }
      const good = formatSelector({ metric: `${base}_bucket`, matchers: withSourceJob(matchers, signals.series(`${base}_bucket`)) }, [leMatcher(spec.threshold)]);
      totalQuery = aggregate("sum", `rate(${count}[${WINDOW}])`, by);
      const goodQuery = aggregate("sum", `rate(${good}[${WINDOW}])`, by);
      errorQuery = `${totalQuery} - (${goodQuery} or 0 * ${totalQuery})`;
      break;
    }
    case "boolean": {
      const at = [...path, "gauge"];
      let gauge: string | undefined;
      if (typeof spec.gauge === "string") {
        sources.push({ text: spec.gauge, at: ctx.ref(at) });
        gauge = spec.gauge;
      } else {
        const sel = spec.gauge;
        gauge = selector(sel, at, (s) => (s.signal.type !== "gauge" ? `a boolean SLI needs a 0/1 gauge, but "${sel.metric}" is a ${s.signal.type}` : undefined));
      }
      if (gauge === undefined) return undefined;
      const samples = aggregate("sum", `count_over_time(${gauge}[${WINDOW}])`, by);
      const ones = aggregate("sum", `sum_over_time(${gauge}[${WINDOW}])`, by);
      // Samples per second, so boolean SLIs share the events-per-second shape of the others.
      totalQuery = `${samples} / ${WINDOW_SECONDS}`;
      errorQuery = `(${samples} - ${ones}) / ${WINDOW_SECONDS}`;
      break;
    }
    case "errorRatio": {
      const at = [...path, "query"];
      if (!hasWindowPlaceholder(spec.query)) {
        ctx.report("VIG2016", "SLI query has no {{window}} placeholder", at, { hint: "write the window as {{window}}, e.g. 1 - avg_over_time(ratio[{{window}}])" });
        return undefined;
      }
      sources.push({ text: spec.query, at: ctx.ref(at) });
      const ratio = `(${spec.query.replace(WINDOW_PLACEHOLDER_PATTERN, WINDOW)})`;
      // The ratio over one event per second wherever it has a value: downstream, errors / total is the ratio.
      errorQuery = ratio;
      totalQuery = `(${ratio} * 0 + 1)`;
      break;
    }
  }

  by.forEach((label, k) => {
    if (allowed.length > 0 && !allowed.every((set) => set.has(label))) {
      ctx.report("VIG2002", `SLI groups by "${label}", which its signals do not all declare`, [...path, "by", k]);
      ok = false;
    }
  });
  if (!ok || errorQuery === undefined || totalQuery === undefined) return undefined;
  return { kind: spec.kind, by: [...by], errorQuery, totalQuery, sources };
}

/**
 * A typed selector of a declared signal: resolved (VIG2001), accepted for its use (`accept`
 * returns the problem, VIG2006), its job, label names and regexps checked (VIG2034, VIG2002,
 * VIG3001). Undefined when it cannot be used; `clean` is false when a label or regexp was
 * reported (the text is still returned, so later checks can go on).
 */
export function resolveSelector(
  sel: SelectorSpec,
  at: Path,
  signals: SignalIndex,
  ctx: NormalizeContext,
  accept: (s: SeriesInfo) => string | undefined,
  metric = sel.metric,
): { text: string; series: SeriesInfo; clean: boolean } | undefined {
  const series = signals.series(metric);
  if (!series) {
    ctx.report("VIG2001", `unknown signal "${sel.metric}"`, [...at, "metric"], { hint: didYouMean(sel.metric, signals.names()) ?? "declare it in signals" });
    return undefined;
  }
  const problem = accept(series);
  if (problem) {
    ctx.report("VIG2006", problem, [...at, "metric"]);
    return undefined;
  }
  const job = series.signal.job;
  const m = sel.matchers?.job;
  const jobMatcher = typeof m === "string" ? m : m?.op === "=" ? m.value : undefined;
  if (job !== undefined && jobMatcher !== undefined && jobMatcher !== job) {
    ctx.report("VIG2034", `"${series.signal.name}" comes from exporter job "${job}", so job="${jobMatcher}" selects nothing`, [...at, "matchers", "job"], { hint: `drop the job matcher: Vigil selects job="${job}"` });
    return undefined;
  }
  let clean = true;
  if (series.labels) {
    for (const label of Object.keys(sel.matchers ?? {})) {
      if (!series.labels.has(label)) {
        ctx.report("VIG2002", `signal "${series.signal.name}" has no label "${label}"`, [...at, "matchers", label], {
          key: true,
          hint: didYouMean(label, series.labels) ?? `declared labels: ${[...series.labels].join(", ")}`,
        });
        clean = false;
      }
    }
  }
  // Prometheus refuses the whole rule file over one invalid regexp: say so at the matcher.
  for (const [label, m] of Object.entries(sel.matchers ?? {})) {
    if (typeof m === "string" || (m.op !== "=~" && m.op !== "!~")) continue;
    const problem = re2Error(m.value);
    if (problem !== undefined) {
      ctx.report("VIG3001", `the regexp of label matcher ${label}${m.op}${quoteString(m.value)} is invalid: ${problem.replace(/^error parsing regexp: /, "")}`, [...at, "matchers", label, "value"], {
        hint: "matchers take RE2 syntax (Go's regexp), anchored at both ends; escape a literal \\ as \\\\",
      });
      clean = false;
    }
  }
  return { text: formatSelector({ ...sel, metric, matchers: withSourceJob(sel.matchers, series) }), series, clean };
}

/** An exporter's signal is selected by its job (unless the selector names one itself). */
function withSourceJob(matchers: SelectorSpec["matchers"], series: SeriesInfo | undefined): SelectorSpec["matchers"] {
  const job = series?.signal.job;
  if (job === undefined || (matchers && "job" in matchers)) return matchers;
  return { job, ...(matchers ?? {}) };
}

/** `sum(x)` or `sum by (a, b) (x)`. */
export function aggregate(op: string, inner: string, by: readonly string[]): string {
  return by.length ? `${op} by (${by.join(", ")}) (${inner})` : `${op}(${inner})`;
}

/**
 * The bucket matcher for a threshold. Client libraries print bucket bounds differently
 * (Go `1`, Python and Java `1.0`), so whole-number thresholds match both spellings.
 */
export function leMatcher(threshold: number): string {
  const text = formatNumber(threshold);
  return Number.isInteger(threshold) ? `le=~${quoteString(`${text}(\\.0)?`)}` : `le=${quoteString(text)}`;
}
