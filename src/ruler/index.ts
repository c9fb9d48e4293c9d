/**
 * The `ruler` target: the rule groups of every service as one rule namespace each, the layout
 * the Mimir and Cortex rulers and the Thanos ruler read:
 *
 * - `ruler/<service>.yml` holds every group of the service's rule files (its own, each SLO's,
 *   the history alerts'), in Prometheus' rule file format (`groups:`), so `promtool check rules`
 *   and the Thanos ruler (`--rule-file=ruler/*.yml`) read it as it is;
 * - the file carries no `namespace:` key: `mimirtool rules load ruler/*.yml` and
 *   `mimirtool rules sync --rule-dirs=ruler` name the namespace after the file, the service,
 *   and refuse a namespace loaded twice, which one file a service rules out.
 *
 * Group names are unique within a service (`vigil:<service>:...`), as the ruler requires within
 * a namespace.
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { OutputFile } from "../emit/types.js";
import type { Model, ServiceModel } from "../model/types.js";
import { serviceRuleFiles } from "../prometheus/rule-files.js";
import { renderRulesFile } from "../prometheus/rules.js";

export const RULER_DIR = "ruler";

export function rulerNamespacePath(service: ServiceModel): string {
  return `${RULER_DIR}/${service.name}.yml`;
}

export function emitRuler(model: Model): { files: OutputFile[]; diagnostics: Diagnostic[] } {
  if (!model.targets?.includes("ruler")) return { files: [], diagnostics: [] };
  const files = model.services.map((s) => ({ path: rulerNamespacePath(s), content: renderRulesFile(s, serviceRuleFiles(s).flatMap((f) => f.groups)) }));
  return { files, diagnostics: [] };
}
