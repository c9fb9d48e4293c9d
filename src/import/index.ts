/**
 * `vigil import <kind> FILES...`: existing monitoring → a `monitoring.ts` that compiles. One
 * module per kind builds a SpecDraft from its input; writer.ts prints every draft the same way.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/index.js";
import type { DraftResult, ImportOptions } from "./prometheus.js";

export type { ImportOptions } from "./prometheus.js";

export const IMPORT_KINDS = ["prometheus", "sloth", "openslo", "pyrra", "alertmanager"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportResult {
  /** The generated `monitoring.ts`; undefined when the input has errors. */
  text?: string;
  diagnostics: Diagnostic[];
}

export async function importSpec(kind: ImportKind, paths: readonly string[], options: ImportOptions): Promise<ImportResult> {
  let result: DraftResult;
  switch (kind) {
    case "prometheus":
      result = (await import("./prometheus.js")).importPrometheus(paths, options);
      break;
    case "sloth":
      result = (await import("./sloth.js")).importSloth(paths, options);
      break;
    case "openslo":
      result = (await import("./openslo.js")).importOpenslo(paths, options);
      break;
    case "pyrra":
      result = (await import("./pyrra.js")).importPyrra(paths, options);
      break;
    case "alertmanager":
      result = (await import("./alertmanager.js")).importAlertmanager(paths, options);
      break;
  }
  const diagnostics = sortDiagnostics(result.diagnostics);
  if (hasErrors(diagnostics) || !result.draft) return { diagnostics };
  const { writeSpec } = await import("./writer.js");
  return { text: writeSpec(result.draft), diagnostics };
}
