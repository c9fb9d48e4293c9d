/**
 * The examples' logs output, compiled here (load → normalize → the logs emitters) rather than
 * read from golden/, so the tests check what the compiler produces now; and variants of them.
 */
import { join } from "node:path";
import { loadSpec } from "../../src/load/index.js";
import { emitKibana } from "../../src/kibana/index.js";
import { emitLogstash } from "../../src/logstash/index.js";
import type { OutputFile } from "../../src/emit/types.js";
import { normalizeModel } from "../../src/normalize/index.js";
import type { LogConditionSpec, LogsSpec, MonitoringSpec } from "../../src/spec/types.js";
import { REPO } from "../helpers.js";

export const LOG_EXAMPLES = ["halcytone", "novel-engine"] as const;

export async function exampleSpec(name: string): Promise<MonitoringSpec> {
  const loaded = await loadSpec(join(REPO, "examples", name, "monitoring.ts"), { typecheck: false });
  if (!loaded.spec) throw new Error(`examples/${name} did not load: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
  return loaded.spec.value as MonitoringSpec;
}

/** The logs emitters' files for specs (Logstash and Elasticsearch, then Kibana); throws on any error diagnostic. */
export function emitLogs(specs: readonly MonitoringSpec[]): OutputFile[] {
  const { model, diagnostics } = normalizeModel(specs);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join("\n"));
  const out = [emitLogstash(model), emitKibana(model)];
  const problems = out.flatMap((o) => o.diagnostics);
  if (problems.length) throw new Error(problems.map((d) => `${d.code} ${d.message}`).join("\n"));
  return out.flatMap((o) => o.files);
}

export const withLogs = (spec: MonitoringSpec, logs: Partial<LogsSpec>): MonitoringSpec => ({ ...spec, logs: { ...spec.logs!, ...logs } });

/** A JSON line that meets a category's condition (first of each kind given). */
export function lineFor(when: LogConditionSpec | undefined): string {
  const event: Record<string, unknown> = { level: "INFO", logger: "zzz.other", message: "hello" };
  if (when?.loggerPrefix?.length) event.logger = `${when.loggerPrefix[0]}.x`;
  if (when?.level?.length) event.level = when.level[0];
  // A dotted name is a nested field, as the JSON formatter writes it.
  for (const f of when?.fieldPresent ?? []) {
    const path = f.split(".");
    let at = event;
    for (const key of path.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
    at[path.at(-1)!] = 0.5;
  }
  Object.assign(event, when?.fieldEquals ?? {});
  return JSON.stringify(event);
}
