/** The Prometheus target: prometheus.yml, and per service its rule files (rule-files.ts) and their generated promtool unit tests. */
import type { Diagnostic } from "../diagnostics/index.js";
import type { OutputFile } from "../emit/types.js";
import type { Model } from "../model/types.js";
import { PROMETHEUS_ARGS_PATH, renderPrometheusArgs } from "./config.js";
import { prometheusConfigFiles } from "./ha.js";
import { serviceRuleFiles } from "./rule-files.js";
import { renderRulesFile } from "./rules.js";
import { renderTestFiles } from "./tests/index.js";

export function emitPrometheus(model: Model): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  const files: OutputFile[] = prometheusConfigFiles(model);
  const args = renderPrometheusArgs(model);
  if (args !== undefined) files.push({ path: PROMETHEUS_ARGS_PATH, content: args });
  const diagnostics: Diagnostic[] = [];
  for (const service of model.services) {
    const ruleFiles = serviceRuleFiles(service);
    for (const f of ruleFiles) files.push({ path: f.path, content: renderRulesFile(service, f.groups) });
    const tests = renderTestFiles(service, ruleFiles);
    diagnostics.push(...tests.diagnostics);
    files.push(...tests.files);
  }
  return { files, diagnostics };
}
