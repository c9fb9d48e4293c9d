/** The Prometheus target: prometheus.yml, and per service a rule file (and one of its anomaly alerts) and their generated promtool unit tests. */
import type { Diagnostic } from "../diagnostics/index.js";
import type { OutputFile } from "../emit/types.js";
import type { Model } from "../model/types.js";
import { anomalyRuleGroups, anomalyRulesFilePath } from "./anomaly-rules.js";
import { PROMETHEUS_ARGS_PATH, PROMETHEUS_CONFIG_PATH, renderPrometheusArgs, renderPrometheusConfig } from "./config.js";
import { renderRulesFile, rulesFilePath, serviceRuleGroups } from "./rules.js";
import { renderTestFiles } from "./tests/index.js";

export function emitPrometheus(model: Model): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const files: OutputFile[] = [{ path: PROMETHEUS_CONFIG_PATH, content: renderPrometheusConfig(model) }];
  const args = renderPrometheusArgs(model);
  if (args !== undefined) files.push({ path: PROMETHEUS_ARGS_PATH, content: args });
  const diagnostics: Diagnostic[] = [];
  for (const service of model.services) {
    const groups = serviceRuleGroups(service);
    files.push({ path: rulesFilePath(service), content: renderRulesFile(service, groups) });
    const anomalies = anomalyRuleGroups(service);
    if (anomalies.length) files.push({ path: anomalyRulesFilePath(service), content: renderRulesFile(service, anomalies) });
    const tests = renderTestFiles(service, groups);
    diagnostics.push(...tests.diagnostics);
    files.push(...tests.files);
  }
  return { files, diagnostics };
}
