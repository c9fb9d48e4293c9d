/**
 * Every PromQL string in the spec must parse, and its selectors must name declared signals
 * and declared labels. Diagnostics point at the offending characters inside the string.
 */
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { PromQLSource, ServiceModel } from "../model/types.js";
import { selectorMetric, walk, type Expr, type VectorSelector } from "../promql/ast.js";
import { parsePromQLCached } from "../promql/cache.js";
import { PROMQL_ERROR_CODES } from "../promql/frontend.js";
import { sameLengthWindow } from "../promql/window.js";
import { sameLengthGrafanaVariables } from "../grafana/variables.js";
import { didYouMean } from "../normalize/names.js";
import type { SignalIndex } from "../normalize/signals.js";

const PREFIX_BY_KIND = { syntax: "PromQL syntax error", type: "PromQL type error", version: "PromQL" } as const;

/**
 * Parses and type-checks a source for the target version; reports the errors at their
 * characters in the spec (the window placeholder is replaced by a same-length duration, so
 * columns do not shift). Returns the AST when the expression is valid.
 */
export function parseSource(source: PromQLSource, diagnostics: Diagnostic[], target?: string): Expr | undefined {
  const result = parsePromQLCached(sameLengthWindow(source.text), target);
  if (result.ok) return result.expr;
  for (const e of result.errors) {
    const at = { ...source.at, offset: e.start, length: Math.max(0, e.end - e.start) };
    diagnostics.push(makeDiagnostic(PROMQL_ERROR_CODES[e.kind], `${PREFIX_BY_KIND[e.kind]}: ${e.message}`, at));
  }
  return undefined;
}

export function checkSelectors(expr: Expr, source: PromQLSource, signals: SignalIndex, diagnostics: Diagnostic[]): void {
  walk(expr, (node) => {
    if (node.type === "vector") checkSelector(node, source, signals, diagnostics);
  });
}

function checkSelector(sel: VectorSelector, source: PromQLSource, signals: SignalIndex, diagnostics: Diagnostic[]): void {
  const metric = selectorMetric(sel);
  if (metric === undefined) return;
  const series = signals.series(metric);
  if (!series) {
    diagnostics.push(
      makeDiagnostic("VIG2001", `unknown signal "${metric}"`, { ...source.at, offset: sel.start, length: metric.length }, {
        hint: didYouMean(metric, signals.names()) ?? "declare it in signals (or as a recording rule)",
      }),
    );
    return;
  }
  const job = series.signal.job;
  for (const m of sel.matchers) {
    // An exporter's series carry its job: a selector asking for another one reads nothing.
    if (job === undefined || m.name !== "job" || m.op !== "=" || m.value === job) continue;
    diagnostics.push(
      makeDiagnostic("VIG2034", `"${series.signal.name}" comes from exporter job "${job}", so job="${m.value}" selects nothing`, { ...source.at, offset: m.start, length: m.end - m.start }, {
        hint: `select job="${job}" (the signal's source), or drop the job matcher`,
      }),
    );
  }
  if (!series.labels) return;
  for (const m of sel.matchers) {
    if (m.name === "__name__" || series.labels.has(m.name)) continue;
    diagnostics.push(
      makeDiagnostic("VIG2002", `signal "${series.signal.name}" has no label "${m.name}"`, { ...source.at, offset: m.start, length: m.name.length }, {
        hint: didYouMean(m.name, series.labels) ?? `declared labels: ${[...series.labels].join(", ")}`,
      }),
    );
  }
}

/** All PromQL a service's spec contains, with where each came from. */
export function promqlSources(service: ServiceModel): PromQLSource[] {
  return [
    ...service.recordings.map((r) => r.source),
    ...service.slos.flatMap((s) => s.sli.sources),
    // Rules of one ladder share their source; check it once.
    ...[...new Map(service.alerts.map((a) => [a.source.at.path.join("."), a.source])).values()],
    ...(service.anomalies ?? []).flatMap((a) => (a.source ? [a.source] : [])),
  ];
}

/** Every PromQL query of a service's declared dashboards, with where it came from (Grafana variables as written). */
export function dashboardSources(service: ServiceModel): PromQLSource[] {
  return service.dashboards.flatMap((d) => [
    ...d.variables.flatMap((v) => (v.source ? [v.source] : [])),
    ...d.rows.flatMap((r) => r.panels.flatMap((p) => p.queries.map((q) => q.source))),
  ]);
}

/**
 * Dashboard queries must parse and type-check like rule expressions, once Grafana's variables
 * are replaced by same-length values of the right type (so errors land on the user's columns).
 * Unknown metrics are left to the lint rule dashboard/unknown-metric: a dashboard may chart
 * series that no alert reads.
 */
export function checkDashboardQueries(service: ServiceModel, diagnostics: Diagnostic[]): void {
  for (const source of dashboardSources(service)) {
    parseSource({ text: sameLengthGrafanaVariables(source.text), at: source.at }, diagnostics, service.prometheus.version);
  }
}
