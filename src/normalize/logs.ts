/**
 * `logs` → the model Logstash is emitted from. Every value that ends up in the config is
 * checked here with the same builders the emitter uses, so the emitter can never meet a value
 * it cannot write (VIG2029); every field a rule names must be declared (VIG2030); settings that
 * cannot work are refused (VIG2031).
 */
import type { LogConditionModel, LogsModel } from "../model/types.js";
import { fieldRef, quoteValue } from "../logstash/values.js";
import { readDissect, readGrok } from "../logstash/patterns.js";
import type { LogConditionSpec, LogsSpec } from "../spec/types.js";
import type { NormalizeContext, Path } from "./context.js";
import { didYouMean, ENV_NAME } from "./names.js";

/** Logstash substitutes `${VAR}` in every config string at load, and sprintf's `%{...}` in many: a user value may hold neither. */
const REFERENCE = /\$\{|%\{/;
const SUBSTITUTED = "holds ${ or %{, which Logstash would substitute";

export function normalizeLogs(spec: LogsSpec, ctx: NormalizeContext): LogsModel {
  const path: Path = ["logs"];
  const declared = new Map<string, number>();
  const split = (name: string, at: Path): string[] => {
    const parts = name.split(".");
    const ref = fieldRef(parts);
    // The reference is also written inside strings (`remove_field => ["[a][b]"]`).
    const quoted = !ref.ok ? ref : REFERENCE.test(name) ? { ok: false as const, reason: SUBSTITUTED } : quoteValue(ref.text);
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
  /** A value written as a string; `allow` names the reference opener a pattern legitimately holds. */
  const safe = (value: string, what: string, at: Path, allow?: "%{"): string => {
    const substituted = allow ? value.includes("${") : REFERENCE.test(value);
    const q = substituted ? { ok: false as const, reason: allow ? "holds ${, which Logstash would substitute" : SUBSTITUTED } : quoteValue(value);
    if (!q.ok) ctx.report("VIG2029", `${what} cannot be written into the Logstash config: it ${q.reason}`, at);
    return value;
  };
  const env = (name: string | undefined, fallback: string, key: string): string => {
    const value = name ?? fallback;
    if (!ENV_NAME.test(value)) ctx.report("VIG2029", `"${value}" is not an environment variable name`, [...path, key]);
    return value;
  };
  const condition = (when: LogConditionSpec, at: Path, owner: string): LogConditionModel => {
    // Conditions on loggers and levels read the `logger` and `level` fields.
    if (when.loggerPrefix?.length) known("logger", [...at, "loggerPrefix"]);
    if (when.level?.length) known("level", [...at, "level"]);
    const fieldEquals = Object.entries(when.fieldEquals ?? {}).map(([name, value]) => ({
      path: known(name, [...at, "fieldEquals", name]),
      value: safe(value, `value "${value}" of ${name}`, [...at, "fieldEquals", name]),
    }));
    const model: LogConditionModel = {
      // Written as a regexp literal that escapes everything (logstash/conditions.ts): any text works.
      loggerPrefix: when.loggerPrefix ?? [],
      level: (when.level ?? []).map((l, k) => safe(l, `level "${l}"`, [...at, "level", k])),
      fieldPresent: (when.fieldPresent ?? []).map((f, k) => known(f, [...at, "fieldPresent", k])),
      fieldEquals,
    };
    if (!model.loggerPrefix.length && !model.level.length && !model.fieldPresent.length && !fieldEquals.length) {
      ctx.report("VIG2031", `${owner} has no condition`, at, { hint: "give loggerPrefix, level, fieldPresent or fieldEquals" });
    }
    return model;
  };

  const retentionDays = spec.retentionDays ?? 30;
  if (spec.dropLevels?.length) known("level", [...path, "dropLevels"]);
  const categories = (spec.categories ?? []).map((c, i) => ({
    name: c.name,
    ...condition(c.when, [...path, "categories", i, "when"], `category "${c.name}"`),
    retentionDays: c.retentionDays ?? retentionDays,
  }));
  const model: LogsModel = {
    source: normalizeSource(spec, ctx, safe),
    fields,
    categories,
    retentionDays,
    indices: spec.indices ?? "daily",
    dropLevels: (spec.dropLevels ?? []).map((l, k) => safe(l, `level "${l}"`, [...path, "dropLevels", k])),
    sampling: (spec.sampling ?? []).map((s, i) => ({ when: condition(s.when, [...path, "sampling", i, "when"], "sampling rule"), keepPercent: s.keepPercent })),
    hashKeyEnv: env(spec.hashKeyEnv, "LOG_HASH_KEY", "hashKeyEnv"),
    elasticsearchEnv: env(spec.elasticsearchEnv, "ES_HOSTS", "elasticsearchEnv"),
  };
  if (spec.correlation) {
    const to = spec.correlation.to ?? "trace.id";
    model.correlation = { from: known(spec.correlation.field, [...path, "correlation", "field"]), to: split(to, [...path, "correlation", "to"]) };
  }
  const nonJson = spec.nonJson;
  if (nonJson) {
    const at: Path = [...path, "nonJson"];
    if ((nonJson.grok === undefined) === (nonJson.dissect === undefined)) {
      ctx.report("VIG2031", "logs.nonJson needs exactly one of grok and dissect", at);
    } else {
      const kind = nonJson.grok !== undefined ? "grok" : "dissect";
      const pattern = safe((nonJson.grok ?? nonJson.dissect)!, `the ${kind} pattern`, [...at, kind], "%{");
      const reading = kind === "grok" ? readGrok(pattern) : readDissect(pattern);
      if (!reading.ok) ctx.report("VIG2031", `${kind} pattern, at character ${reading.at + 1}: ${reading.problem}`, [...at, kind]);
      else reading.captures.forEach((c) => known(c.field, [...at, kind]));
      model.nonJson = { kind, pattern };
    }
  }
  return model;
}

function normalizeSource(spec: LogsSpec, ctx: NormalizeContext, safe: (value: string, what: string, at: Path) => string): LogsModel["source"] {
  const source = spec.source ?? { kind: "beats" };
  const at: Path = ["logs", "source"];
  if (source.kind === "file") {
    if (source.port !== undefined) ctx.report("VIG2031", "a file source has no port", [...at, "port"], { hint: "Logstash tails the files itself; remove port" });
    if (!source.paths?.length) ctx.report("VIG2031", "a file source needs paths", [...at, "kind"], { hint: 'e.g. paths: ["/var/log/app/*.log"]' });
    const paths = (source.paths ?? []).map((p, k) => {
      // The file input only takes absolute paths; a relative one is silently never read.
      if (!p.startsWith("/")) ctx.report("VIG2031", `file path "${p}" is not absolute`, [...at, "paths", k]);
      return safe(p, `file path "${p}"`, [...at, "paths", k]);
    });
    return { kind: "file", paths };
  }
  if (source.paths !== undefined) ctx.report("VIG2031", `a ${source.kind} source has no paths`, [...at, "paths"], { hint: 'paths are for kind: "file"' });
  return { kind: source.kind, port: source.port ?? (source.kind === "http" ? 8080 : 5044) };
}
