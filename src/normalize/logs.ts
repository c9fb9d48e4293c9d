/**
 * `logs` → the model Logstash is emitted from. Every value that ends up in the config is
 * checked here with the same builders the emitter uses, so the emitter can never meet a value
 * it cannot write (VIG2029), and every field a rule names must be declared (VIG2030).
 */
import type { LogsModel } from "../model/types.js";
import { fieldRef, quoteValue } from "../logstash/values.js";
import type { LogsSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { didYouMean, ENV_NAME } from "./names.js";

/** Logstash substitutes `${VAR}` in every config string at load, and sprintf's `%{...}` in many: a user value may hold neither. */
const REFERENCE = /\$\{|%\{/;

export function normalizeLogs(spec: LogsSpec, ctx: NormalizeContext): LogsModel {
  const path: Path = ["logs"];
  const declared = new Map<string, number>();
  const split = (name: string, at: Path): string[] => {
    const parts = name.split(".");
    const ref = fieldRef(parts);
    // The reference is also written inside strings (`remove_field => ["[a][b]"]`).
    const quoted = !ref.ok ? ref : REFERENCE.test(name) ? { ok: false as const, reason: "holds ${ or %{, which Logstash would substitute" } : quoteValue(ref.text);
    if (!quoted.ok) ctx.report("VIG2029", `log field "${name}" cannot be written into the Logstash config: ${quoted.reason}`, at);
    return parts;
  };
  const fields = spec.fields.map((f, i) => {
    const at = [...path, "fields", i, "name"];
    if (declared.has(f.name)) ctx.report("VIG2004", `log field "${f.name}" is declared twice`, at);
    declared.set(f.name, i);
    const field: LogsModel["fields"][number] = { path: split(f.name, at), type: f.type, freeText: f.freeText ?? false };
    if (f.pii) field.pii = f.pii;
    return field;
  });
  const known = (name: string, at: Path): string[] => {
    if (!declared.has(name)) ctx.report("VIG2030", `unknown log field "${name}"`, at, { hint: didYouMean(name, declared.keys()) ?? "declare it in logs.fields" });
    return name.split(".");
  };
  const safe = (value: string, what: string, at: Path): string => {
    const q = REFERENCE.test(value) ? { ok: false as const, reason: "holds ${ or %{, which Logstash would substitute" } : quoteValue(value);
    if (!q.ok) ctx.report("VIG2029", `${what} cannot be written into the Logstash config: it ${q.reason}`, at);
    return value;
  };
  const env = (name: string | undefined, fallback: string, key: string): string => {
    const value = name ?? fallback;
    if (!ENV_NAME.test(value)) ctx.report("VIG2029", `"${value}" is not an environment variable name`, [...path, key]);
    return value;
  };

  const retentionDays = spec.retentionDays ?? 30;
  // Conditions on loggers and levels read the `logger` and `level` fields.
  (spec.categories ?? []).forEach((c, i) => {
    if (c.when.loggerPrefix?.length) known("logger", [...path, "categories", i, "when", "loggerPrefix"]);
    if (c.when.level?.length) known("level", [...path, "categories", i, "when", "level"]);
  });
  if (spec.dropLevels?.length) known("level", [...path, "dropLevels"]);
  const categories = (spec.categories ?? []).map((c, i) => {
    const at = [...path, "categories", i, "when"];
    if (!c.when.loggerPrefix?.length && !c.when.level?.length && !c.when.fieldPresent?.length) {
      ctx.report("VIG2030", `category "${c.name}" has no condition`, at, { hint: "give loggerPrefix, level or fieldPresent" });
    }
    return {
      name: c.name,
      loggerPrefix: (c.when.loggerPrefix ?? []).map((p, k) => safe(p, `logger prefix "${p}"`, [...at, "loggerPrefix", k])),
      level: (c.when.level ?? []).map((l, k) => safe(l, `level "${l}"`, [...at, "level", k])),
      fieldPresent: (c.when.fieldPresent ?? []).map((f, k) => known(f, [...at, "fieldPresent", k])),
      retentionDays: c.retentionDays ?? retentionDays,
    };
  });
  const model: LogsModel = {
    source: { kind: spec.source?.kind ?? "beats", port: spec.source?.port ?? (spec.source?.kind === "http" ? 8080 : 5044) },
    fields,
    categories,
    retentionDays,
    dropLevels: (spec.dropLevels ?? []).map((l, k) => safe(l, `level "${l}"`, [...path, "dropLevels", k])),
    hashKeyEnv: env(spec.hashKeyEnv, "LOG_HASH_KEY", "hashKeyEnv"),
    elasticsearchEnv: env(spec.elasticsearchEnv, "ES_HOSTS", "elasticsearchEnv"),
  };
  if (spec.correlation) {
    const to = spec.correlation.to ?? "trace.id";
    model.correlation = { from: known(spec.correlation.field, [...path, "correlation", "field"]), to: split(to, [...path, "correlation", "to"]) };
  }
  return model;
}
