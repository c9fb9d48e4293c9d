/**
 * `logs` → the model Logstash is emitted from. Every value that ends up in the config is
 * checked here with the same builders the emitter uses, so the emitter can never meet a value
 * it cannot write (VIG2029); every field a rule names must be declared (VIG2030); settings that
 * cannot work are refused (VIG2031).
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { LogConditionModel, LogMaskModel, LogsModel, ServiceModel } from "../model/types.js";
import { fieldRef, quoteValue } from "../logstash/values.js";
import { readDissect, readGrok } from "../logstash/patterns.js";
import { globsOverlap, retentionClasses } from "../logstash/indices.js";
import type { LogConditionSpec, LogsSpec } from "../spec/types.js";
import { NormalizeContext, type Path } from "./context.js";
import { normalizeKibana } from "./kibana.js";
import { normalizeFilebeat } from "./filebeat.js";
import { didYouMean, ENV_NAME } from "./names.js";

/**
 * Free-text masks every spec gets, in order (Ruby regexps, as mutate/gsub reads them). Card
 * numbers: Logstash has no Luhn check, so every run of 13–19 digits that is not part of a longer
 * run of digits is masked, a single space or dash allowed between any two of its digits
 * (`4111 1111 1111 1111`, `3782-822463-10005`); long order numbers and epoch milliseconds in free
 * text are masked too.
 */
export const BUILTIN_MASKS: readonly LogMaskModel[] = [
  { name: "email", pattern: "[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}", replacement: "[EMAIL]" },
  { name: "bearer-token", pattern: "(?i)bearer\\s+[A-Za-z0-9._~+/=-]+", replacement: "Bearer [TOKEN]" },
  { name: "password", pattern: "(?i)((?:password|passwd|pwd|secret|token)=)[^&\\s]+", replacement: "\\1[REDACTED]" },
  { name: "card-number", pattern: "(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])", replacement: "[CARD]" },
];

/** Category names end up in index names, data stream datasets and route pipeline ids. */
const CATEGORY_NAME = /^[a-z][a-z0-9_]*$/;
/** Route names of their own: the service-wide index and the dead letters. */
const RESERVED_CATEGORIES = new Set(["main", "deadletter"]);

/** A field name as a regexp matching itself: letters, digits and `_` as is, other ASCII as `\xNN` (no quote or `/` is written). */
function literalRegexp(text: string): string {
  let out = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    out += code > 0x7f || /[A-Za-z0-9_]/.test(ch) ? ch : `\\x${code.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/**
 * The value after a key in a line that is no JSON Logstash could read (`"email": "a@b.c"`,
 * `email=a@b.c`): a quoted string, or everything up to a space or separator.
 */
function keyMask(key: string): LogMaskModel {
  const k = literalRegexp(key);
  return { name: `key ${key}`, pattern: `(?i)((?<![A-Za-z0-9_])\\x22?${k}\\x22?\\s*[:=]\\s*)(?:\\x22(?:[^\\x22\\\\]|\\\\.)*\\x22?|[^\\s,;&}\\]\\x22]+)`, replacement: "\\1[REDACTED]" };
}

/**
 * A Logstash (Ruby) regexp read by JavaScript's engine, which agrees with it on the common
 * syntax; a leading `(?i)` becomes the `i` flag. Undefined when JavaScript cannot read it.
 */
export function jsRegExp(pattern: string): RegExp | undefined {
  const ci = pattern.startsWith("(?i)");
  try {
    return new RegExp(ci ? pattern.slice(4) : pattern, ci ? "gi" : "g");
  } catch {
    return undefined;
  }
}

/** Logstash substitutes `${VAR}` in every config string at load, and sprintf's `%{...}` in many: a user value may hold neither. */
const REFERENCE = /\$\{|%\{/;
const SUBSTITUTED = "holds ${ or %{, which Logstash would substitute";

export function normalizeLogs(spec: LogsSpec, service: string, ctx: NormalizeContext): LogsModel {
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
  const categoryNames = new Map<string, number>();
  const categories = (spec.categories ?? []).map((c, i) => {
    const at: Path = [...path, "categories", i, "name"];
    if (!CATEGORY_NAME.test(c.name) || c.name.length > 64) {
      ctx.report("VIG2031", `category name "${c.name}" is not lower case letters, digits and _ (starting with a letter, at most 64)`, at, { hint: "it becomes part of index and data stream names" });
    } else if (RESERVED_CATEGORIES.has(c.name)) {
      ctx.report("VIG2031", `category name "${c.name}" is reserved`, at, { hint: c.name === "main" ? "main is the service-wide index" : "deadletter holds the lines that did not parse" });
    }
    const first = categoryNames.get(c.name);
    if (first !== undefined) ctx.report("VIG2004", `category "${c.name}" is declared twice`, at, { related: [{ message: "first declared here", at: ctx.ref([...path, "categories", first, "name"]) }] });
    else categoryNames.set(c.name, i);
    return {
      name: c.name,
      ...condition(c.when, [...path, "categories", i, "when"], `category "${c.name}"`),
      retentionDays: c.retentionDays ?? retentionDays,
    };
  });
  const maskNames = new Map<string, number>();
  const userMasks = (spec.masks ?? []).map((m, i): LogMaskModel => {
    const at: Path = [...path, "masks", i];
    const first = maskNames.get(m.name);
    if (first !== undefined || BUILTIN_MASKS.some((b) => b.name === m.name)) {
      ctx.report("VIG2004", first !== undefined ? `mask "${m.name}" is declared twice` : `mask "${m.name}" is the name of a built-in mask`, [...at, "name"]);
    } else maskNames.set(m.name, i);
    const pattern = safe(m.pattern, `mask pattern "${m.pattern}"`, [...at, "pattern"]);
    const re = jsRegExp(pattern);
    if (!re) ctx.report("VIG2031", `mask pattern "${m.pattern}" is not a regular expression`, [...at, "pattern"], { hint: "Logstash reads it as a Ruby regexp; write the common syntax both engines read" });
    else if (new RegExp(re.source, re.flags.replace("g", "")).test("")) ctx.report("VIG2031", `mask pattern "${m.pattern}" matches the empty string`, [...at, "pattern"], { hint: "gsub would insert the replacement between every two characters" });
    const replacement = safe(m.replacement ?? "[REDACTED]", `mask replacement "${m.replacement}"`, [...at, "replacement"]);
    return { name: m.name, pattern, replacement };
  });
  // A dead-letter line is no JSON Logstash could read: the values of PII fields are found by their keys.
  const piiKeys = [...new Set(fields.filter((f) => f.pii).map((f) => f.path[f.path.length - 1]!))];
  const source = normalizeSource(spec, ctx, safe);
  const filebeat = normalizeFilebeat(spec, source, ctx);
  const model: Omit<LogsModel, "kibana"> = {
    ...(filebeat ? { filebeat } : {}),
    source,
    sourceAt: ctx.ref(spec.source?.port !== undefined ? [...path, "source", "port"] : spec.source ? [...path, "source"] : path),
    masks: [...BUILTIN_MASKS, ...userMasks],
    keyMasks: piiKeys.map(keyMask),
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
  return { ...model, kibana: normalizeKibana(spec.kibana, model, service, ctx) };
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

/**
 * What services compiled together must not share: a port their Logstash inputs bind (only one
 * can), and an index pattern of their templates (Elasticsearch refuses the second of two
 * overlapping templates of one priority, and both would write the same indices).
 */
export function checkLogServices(services: readonly ServiceModel[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const ports = new Map<number, ServiceModel>();
  const patterns: { service: ServiceModel; pattern: string; priority: number }[] = [];
  for (const service of services) {
    const logs = service.logs;
    if (!logs) continue;
    const ctx = new NormalizeContext(service.spec);
    if (logs.source.kind !== "file") {
      const first = ports.get(logs.source.port);
      if (first) {
        ctx.report("VIG2031", `Logstash input port ${logs.source.port} of service "${service.name}" is also the input port of service "${first.name}"`, [...logs.sourceAt.path], {
          hint: "only one input can bind a port: give each service its own logs.source.port",
          related: [{ message: "that input", at: first.logs!.sourceAt }],
        });
      } else ports.set(logs.source.port, service);
    }
    for (const cls of retentionClasses(service, logs)) {
      const clash = patterns.find((p) => p.service !== service && p.priority === cls.priority && globsOverlap(p.pattern, cls.pattern));
      if (clash) {
        ctx.report("VIG2031", `index pattern "${cls.pattern}" of service "${service.name}" overlaps "${clash.pattern}" of service "${clash.service.name}" at the same template priority`, ["service", "name"], {
          hint: "Elasticsearch refuses the second template, and both services would write the same indices: rename one service or category",
          related: [{ message: "that service", at: { path: ["service", "name"], spec: clash.service.spec } }],
        });
        break;
      }
      patterns.push({ service, pattern: cls.pattern, priority: cls.priority });
    }
    diagnostics.push(...ctx.diagnostics);
  }
  return diagnostics;
}
