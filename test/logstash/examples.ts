/**
 * The examples' logs output, compiled here (load → normalize → the logs emitter) rather than
 * read from golden/, so the tests check what the compiler produces now; and variants of them.
 */
import { join } from "node:path";
import { loadSpec } from "../../src/load/index.js";
import { emitLogstash } from "../../src/logstash/index.js";
import type { OutputFile } from "../../src/emit/types.js";
import { normalizeModel } from "../../src/normalize/index.js";
import type { LogsSpec, MonitoringSpec } from "../../src/spec/types.js";
import { REPO } from "../helpers.js";

export const LOG_EXAMPLES = ["halcytone", "novel-engine"] as const;

export async function exampleSpec(name: string): Promise<MonitoringSpec> {
  const loaded = await loadSpec(join(REPO, "examples", name, "monitoring.ts"), { typecheck: false });
  if (!loaded.spec) throw new Error(`examples/${name} did not load: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
  return loaded.spec.value as MonitoringSpec;
}

/** The logs emitter's files for specs; throws on any error diagnostic. */
export function emitLogs(specs: readonly MonitoringSpec[]): OutputFile[] {
  const { model, diagnostics } = normalizeModel(specs);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join("\n"));
  const out = emitLogstash(model);
  if (out.diagnostics.length) throw new Error(out.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return out.files;
}

export const withLogs = (spec: MonitoringSpec, logs: Partial<LogsSpec>): MonitoringSpec => ({ ...spec, logs: { ...spec.logs!, ...logs } });
