/** Stage 3: checks on the model that need parsed PromQL and cross-references. */
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { Model } from "../model/types.js";
import { isGeneratedRecording } from "../model/rule-names.js";
import { SignalIndex } from "../normalize/signals.js";
import { checkDashboardQueries, checkSelectors, parseSource, promqlSources } from "./promql.js";

export function checkModel(model: Model): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const service of model.services) {
    const recorded = new Set(service.recordings.map((r) => r.record));
    const signals = new SignalIndex(service.signals, (name) => recorded.has(name) || isGeneratedRecording(name));
    for (const source of promqlSources(service)) {
      const expr = parseSource(source, diagnostics, service.prometheus.version);
      if (expr) checkSelectors(expr, source, signals, diagnostics);
    }
    checkDashboardQueries(service, diagnostics);
    for (const slo of service.slos) {
      for (const source of slo.sli.sources) {
        if (slo.sli.kind !== "boolean") continue;
        const expr = parseSource(source, [], service.prometheus.version);
        if (expr && expr.type !== "vector") {
          diagnostics.push(makeDiagnostic("VIG2006", "a boolean SLI's gauge must be a vector selector, e.g. up{job=\"api\"}", source.at));
        }
      }
    }
  }
  return diagnostics;
}
