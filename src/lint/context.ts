/** Builds the lint context of a service: every PromQL expression of its alerts, recordings and SLIs. */
import type { ServiceModel } from "../model/types.js";
import { isGeneratedRecording } from "../model/rule-names.js";
import { parsePromQLCached } from "../promql/cache.js";
import { sameLengthWindow } from "../promql/window.js";
import { SignalIndex } from "../normalize/signals.js";
import { dashboardSources } from "../check/promql.js";
import { grafanaVariableRefs, sameLengthGrafanaVariables } from "../grafana/variables.js";
import type { DashboardQueryExpr, Finding, LintContext, LintExpr, LintItem } from "./types.js";
import type { PromQLSource } from "../model/types.js";

export function serviceExprs(service: ServiceModel): LintExpr[] {
  const out: LintExpr[] = [];
  const add = (source: PromQLSource, item: LintItem) => {
    const parsed = parsePromQLCached(sameLengthWindow(source.text), service.prometheus.version);
    if (!parsed.ok) return; // reported by the front end (promql/syntax, promql/type)
    out.push({ item, text: source.text, expr: parsed.expr, at: (offset, length) => ({ ...source.at, offset, length }) });
  };
  // Rules of one severity ladder share an expression: lint it once.
  const seen = new Set<string>();
  for (const alert of service.alerts) {
    const key = alert.source.at.path.join(".");
    if (seen.has(key)) continue;
    seen.add(key);
    add(alert.source, { kind: "alert", alert });
  }
  for (const recording of service.recordings) add(recording.source, { kind: "recording", recording });
  for (const slo of service.slos) for (const source of slo.sli.sources) add(source, { kind: "slo", slo });
  return out;
}

/** The queries of the service's declared dashboards that parse (the check stage reports the others). */
export function dashboardExprs(service: ServiceModel): DashboardQueryExpr[] {
  return dashboardSources(service).flatMap((source) => {
    const parsed = parsePromQLCached(sameLengthGrafanaVariables(source.text), service.prometheus.version);
    if (!parsed.ok) return [];
    return [{ text: source.text, expr: parsed.expr, variables: grafanaVariableRefs(source.text), at: (offset: number, length: number) => ({ ...source.at, offset, length }) }];
  });
}

export function serviceContext(service: ServiceModel, report: (f: Finding) => void): LintContext {
  const recorded = new Set(service.recordings.map((r) => r.record));
  const signals = new SignalIndex(service.signals, (name) => recorded.has(name) || isGeneratedRecording(name));
  return {
    service,
    exprs: serviceExprs(service),
    dashboardQueries: dashboardExprs(service),
    invalid: [],
    signals,
    seriesLabels: (metric) => {
      const series = signals.series(metric);
      return series?.labels ? [...series.labels] : undefined;
    },
    scrapeIntervalMs: service.prometheus.scrapeIntervalMs,
    report,
  };
}
