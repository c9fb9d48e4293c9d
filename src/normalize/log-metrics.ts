/**
 * `logs.metrics` → counters mtail keeps, and the signals alerts and panels read them as. Every
 * regexp the mtail program will hold is built here with the emitter's own builders, so the
 * emitter never meets a value it cannot match (VIG2044). Fields must be declared, top-level
 * and countable (VIG2040); names must be metric and label names (VIG2041); a `pii` field is a
 * label only truncated to its network or with an explicit, reasoned opt-in (VIG2042); a metric
 * may not take the name of a signal (VIG2043).
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { LogConditionModel, LogMetricModel, ServiceModel, SignalModel } from "../model/types.js";
import { anyCondition, capture, everyKind, jsonText, MAX_REGEXP_LENGTH, type Built, type Truncate } from "../mtail/regexp.js";
import type { LogConditionSpec, LogFieldSpec, LogMetricMatchSpec, LogsSpec } from "../spec/types.js";
import { NormalizeContext, type Path } from "./context.js";
import { MTAIL, type SourceResolver } from "./exporters.js";
import { didYouMean, isValidLabelName } from "./names.js";
import { BUILTIN_METRICS } from "./signals.js";

/** mtail identifiers and Prometheus metric names both: no `:`. */
const LOG_METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the series get from elsewhere: the scrape target's, mtail's program label, Prometheus' own. */
const TAKEN_LABELS = new Map([
  ["job", "Prometheus sets it from the scrape job"],
  ["instance", "Prometheus sets it from the target"],
  ["prog", "mtail labels every series with its program file"],
  ["le", "it is the histogram bucket label"],
  ["quantile", "it is the summary quantile label"],
]);
const TRUNCATE: Record<string, Truncate> = { "/8": 8, "/16": 16, "/24": 24 };

export interface LogMetrics {
  models: LogMetricModel[];
  signals: SignalModel[];
}

/** `signals`: the names of the spec's signals and the probe bundle's → where each is declared (the bundle's: nowhere). */
export function normalizeLogMetrics(logs: LogsSpec, signals: ReadonlyMap<string, Path | undefined>, ctx: NormalizeContext, resolve: SourceResolver): LogMetrics {
  const specs = logs.metrics ?? [];
  if (!specs.length) return { models: [], signals: [] };
  const fields = new Map<string, LogFieldSpec>(logs.fields.map((f) => [f.name, f]));
  const job = resolve(MTAIL, ["logs", "metrics", 0, "name"]);

  /** A declared top-level field, or undefined (reported). */
  const field = (name: string, at: Path, what: string, key = false): LogFieldSpec | undefined => {
    const f = fields.get(name);
    if (!f) {
      ctx.report("VIG2040", `unknown log field "${name}" in ${what}`, at, { key, hint: didYouMean(name, fields.keys()) ?? "declare it in logs.fields" });
      return undefined;
    }
    if (name.includes(".")) {
      ctx.report("VIG2040", `log field "${name}" is nested: mtail reads top-level fields only`, at, { key, hint: "log the value as a top-level field of the JSON line" });
      return undefined;
    }
    return f;
  };
  const regexp = (built: Built, at: Path, what: string): void => {
    if (!built.ok) ctx.report("VIG2044", `${what} cannot be matched in a JSON line: ${built.reason}`, at);
    else if (built.re.length > MAX_REGEXP_LENGTH) ctx.report("VIG2044", `${what} needs a regexp of ${built.re.length} characters, more than mtail's ${MAX_REGEXP_LENGTH}`, at, { hint: "match fewer values" });
  };
  const categories = logs.categories ?? [];
  const categoryCondition = (when: LogConditionSpec): LogConditionModel => ({
    loggerPrefix: [...(when.loggerPrefix ?? [])],
    level: [...(when.level ?? [])],
    fieldPresent: (when.fieldPresent ?? []).map((f) => f.split(".")),
    fieldEquals: Object.entries(when.fieldEquals ?? {}).map(([name, value]) => ({ path: name.split("."), value })),
  });

  const seen = new Map<string, number>();
  const models: LogMetricModel[] = [];
  const out: SignalModel[] = [];
  specs.forEach((m, i) => {
    const path: Path = ["logs", "metrics", i];
    if (!LOG_METRIC_NAME.test(m.name)) {
      ctx.report("VIG2041", `invalid log metric name "${m.name}"`, [...path, "name"], { hint: "letters, digits and _, not starting with a digit (mtail takes no ':'), e.g. log_errors_total" });
    }
    const first = seen.get(m.name);
    const declared = signals.has(m.name);
    const declaredAt = signals.get(m.name);
    if (first !== undefined) {
      ctx.report("VIG2043", `log metric "${m.name}" is declared twice`, [...path, "name"], { related: [{ message: "first declared here", at: ctx.ref(["logs", "metrics", first, "name"]) }] });
      return;
    }
    seen.set(m.name, i);
    if (declared || BUILTIN_METRICS[m.name]) {
      ctx.report("VIG2043", `log metric "${m.name}" has the name of ${declared ? "a declared signal" : "a series Prometheus makes itself"}`, [...path, "name"], {
        hint: "a metric from logs is a signal of its own: give it another name",
        ...(declaredAt ? { related: [{ message: "the signal", at: ctx.ref(declaredAt) }] } : {}),
      });
      return;
    }

    const match: LogMetricMatchSpec = m.match ?? {};
    const mat: Path = [...path, "match"];
    if (match.level?.length) field("level", [...mat, "level"], "match.level");
    if (match.loggerPrefix?.length) field("logger", [...mat, "loggerPrefix"], "match.loggerPrefix");
    // Each value where it is written, then the regexps they make (one per kind) for their length.
    const value = (v: string, at: Path, what: string) => regexp(jsonText(v), at, `${what} "${v}"`);
    match.level?.forEach((v, k) => value(v, [...mat, "level", k], "level"));
    match.loggerPrefix?.forEach((v, k) => value(v, [...mat, "loggerPrefix", k], "logger prefix"));
    Object.entries(match.fieldEquals ?? {}).forEach(([name, v]) => value(v, [...mat, "fieldEquals", name], `value of ${name}`));
    const when: LogConditionModel = {
      loggerPrefix: [...(match.loggerPrefix ?? [])],
      level: [...(match.level ?? [])],
      fieldPresent: (match.fieldPresent ?? []).flatMap((f, k) => (field(f, [...mat, "fieldPresent", k], "match.fieldPresent") ? [[f]] : [])),
      fieldEquals: Object.entries(match.fieldEquals ?? {}).flatMap(([name, value]) => (field(name, [...mat, "fieldEquals", name], "match.fieldEquals", true) ? [{ path: [name], value }] : [])),
    };
    const kinds = everyKind(when);
    if (kinds.ok) kinds.res.forEach((re) => regexp({ ok: true, re }, mat, "match"));

    const model: LogMetricModel = { name: m.name, kind: m.kind, when, labels: [], at: ctx.ref(path) };
    if (m.help !== undefined) model.help = m.help;
    if (match.category !== undefined) {
      const at: Path = [...mat, "category"];
      const index = categories.findIndex((c) => c.name === match.category);
      if (index < 0 && match.category !== "application") {
        ctx.report("VIG2044", `unknown log category "${match.category}"`, at, { hint: didYouMean(match.category, [...categories.map((c) => c.name), "application"]) ?? "a category of logs.categories, or application (none matches)" });
      } else {
        // First match wins: a line of this category matches none of the earlier ones.
        const earlier = index < 0 ? categories : categories.slice(0, index);
        const category: NonNullable<LogMetricModel["category"]> = { name: match.category, exclude: earlier.map((c) => categoryCondition(c.when)) };
        if (index >= 0) category.include = categoryCondition(categories[index]!.when);
        const read = [...earlier, ...(index >= 0 ? [categories[index]!] : [])];
        for (const c of read) {
          const cond = categoryCondition(c.when);
          const nested = [...cond.fieldPresent, ...cond.fieldEquals.map((f) => f.path)].find((p) => p.length > 1);
          if (nested) ctx.report("VIG2044", `category "${c.name}" reads the nested field "${nested.join(".")}", which mtail cannot find in a line`, at, { hint: "match the metric's lines with level, loggerPrefix, fieldPresent or fieldEquals instead" });
          else regexp(anyCondition(cond), at, `the condition of category "${c.name}"`);
        }
        model.category = category;
      }
    }

    const labels = new Map<string, number>();
    (m.by ?? []).forEach((b, k) => {
      const at: Path = [...path, "by", k];
      const spec = typeof b === "string" ? { field: b } : b;
      const fieldAt: Path = typeof b === "string" ? at : [...at, "field"];
      const name = spec.label ?? spec.field;
      const nameAt: Path = spec.label !== undefined ? [...at, "label"] : fieldAt;
      if (!isValidLabelName(name)) ctx.report("VIG2041", `invalid label name "${name}"`, nameAt, { hint: spec.label === undefined ? "name the label: { field, label }" : "label names match [a-zA-Z_][a-zA-Z0-9_]*, not starting with __" });
      else if (TAKEN_LABELS.has(name)) ctx.report("VIG2041", `label "${name}" is taken: ${TAKEN_LABELS.get(name)}`, nameAt, { hint: "name the label otherwise: { field, label }" });
      const dup = labels.get(name);
      if (dup !== undefined) ctx.report("VIG2041", `label "${name}" is given twice`, nameAt, { related: [{ message: "first given here", at: ctx.ref([...path, "by", dup]) }] });
      labels.set(name, k);
      const f = field(spec.field, fieldAt, "by");
      if (!f) return;
      if (f.type === "timestamp" || f.type === "string" || f.freeText) {
        ctx.report("VIG2040", `log field "${f.name}" is ${f.type === "timestamp" ? "a timestamp" : "free text"}: as a label, every value would be a series of its own`, fieldAt, { hint: "label by keyword, number or boolean fields" });
        return;
      }
      const truncate = spec.truncate === undefined ? undefined : TRUNCATE[spec.truncate];
      if (truncate !== undefined && f.type !== "keyword") {
        ctx.report("VIG2042", `truncate takes an IPv4 address: log field "${f.name}" is a ${f.type}`, [...at, "truncate"]);
        return;
      }
      if (f.pii && truncate === undefined && !spec.allowPii) {
        ctx.report("VIG2042", `log field "${f.name}" is personal data (pii: "${f.pii}"): as a label, Prometheus would store what Logstash ${f.pii === "remove" ? "removes" : f.pii === "mask" ? "masks" : "hashes"}`, fieldAt, {
          hint: `label by the network only, { field: "${f.name}", truncate: "/24" }, or opt in with allowPii: { reason: "..." }`,
        });
      } else if (spec.allowPii && !f.pii) {
        ctx.report("VIG2042", `allowPii on log field "${f.name}", which is no personal data (no pii)`, [...at, "allowPii"], { hint: "remove allowPii" });
      }
      const value = f.type === "number" ? "number" : f.type === "boolean" ? "boolean" : "string";
      const label: LogMetricModel["labels"][number] = { name, field: f.name, value };
      if (truncate !== undefined) label.truncate = truncate;
      const built = capture(f.name, value, "l0", truncate);
      regexp(built.ok ? { ok: true, re: built.re } : built, fieldAt, `log field "${f.name}"`);
      model.labels.push(label);
    });
    models.push(model);
    const signal: SignalModel = { name: m.name, type: "counter", labels: model.labels.map((l) => l.name), buckets: [], quantiles: [], at: ctx.ref(path) };
    if (m.help !== undefined) signal.help = m.help;
    if (job !== undefined) signal.job = job;
    out.push(signal);
  });
  return { models, signals: out };
}

/**
 * Services compiled together share one mtail scrape job (their programs may run in one mtail):
 * two services' metrics of one name would be one metric there, their series mixed (VIG2043).
 */
export function checkLogMetricServices(services: readonly ServiceModel[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const first = new Map<string, { service: ServiceModel; metric: LogMetricModel }>();
  for (const service of services) {
    const ctx = new NormalizeContext(service.spec);
    for (const metric of service.logMetrics ?? []) {
      const other = first.get(metric.name);
      if (!other) first.set(metric.name, { service, metric });
      else if (other.service !== service) {
        ctx.report("VIG2043", `log metric "${metric.name}" of service "${service.name}" is also a log metric of service "${other.service.name}"`, [...metric.at.path, "name"], {
          hint: "both are counted for job mtail: give one another name",
          related: [{ message: "that metric", at: { ...other.metric.at, path: [...other.metric.at.path, "name"] } }],
        });
      }
    }
    diagnostics.push(...ctx.diagnostics);
  }
  return diagnostics;
}
