/**
 * Validates a spec value against the JSON Schema and turns ajv's errors into diagnostics:
 * one per problem, with "did you mean" for misspelt properties and without the noise of
 * the union branches that clearly do not apply (an SLI of kind "ratio" is not reported
 * against the latency branch).
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { formatPath, makeDiagnostic, pathFromPointer, type Diagnostic } from "../diagnostics/index.js";
import { didYouMean } from "../normalize/names.js";
import { monitoringSpecSchema, strictSchema } from "./schema.js";

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(strictSchema(monitoringSpecSchema) as object);
  return validator;
}

/** Diagnostics for a spec value that does not match the schema (empty when it does). */
export function validateSpec(value: unknown, spec: number): Diagnostic[] {
  const values = checkValues(value, spec);
  const validate = getValidator();
  if (validate(value)) return values;
  const errors = pruneUnionBranches(validate.errors ?? []);
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const e of errors) {
    const d = toDiagnostic(e, spec);
    const key = `${d.at?.path.join(".")}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(d);
  }
  return [...values, ...withoutMisspeltRequired(diagnostics)];
}

/**
 * A misspelt required property is one mistake: `nme: "x"` is reported as the unknown property
 * "nme" (did you mean "name"?), not also as the missing property "name" of the same object.
 */
function withoutMisspeltRequired(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const meant = new Set<string>();
  for (const d of diagnostics) {
    const m = /^did you mean "([^"]+)"\?$/.exec(d.hint ?? "");
    if (m && d.at?.key && / unknown property "/.test(d.message)) meant.add(JSON.stringify([...d.at.path.slice(0, -1), m[1]]));
  }
  return diagnostics.filter((d) => {
    const m = /: missing required property "([^"]+)"$/.exec(d.message);
    return !(m && d.at && meant.has(JSON.stringify([...d.at.path, m[1]])));
  });
}

const LONE_SURROGATE = /\p{Cs}/u;

/**
 * What JSON Schema cannot say: numbers are finite (a threshold of NaN compares false with
 * everything, Infinity is no Prometheus literal a rule file may hold) and strings are Unicode
 * (a lone UTF-16 surrogate cannot be written as UTF-8: promtool, amtool and Grafana reject the
 * file it reaches). Keys are strings too (label and annotation names).
 */
function checkValues(root: unknown, spec: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<object>();
  const surrogate = (s: string) => {
    const m = LONE_SURROGATE.exec(s);
    return m ? `\\u${m[0].charCodeAt(0).toString(16).toUpperCase()}` : undefined;
  };
  const walk = (v: unknown, path: (string | number)[]) => {
    if (typeof v === "number") {
      if (!Number.isFinite(v)) out.push(makeDiagnostic("VIG1006", `${describe(path)} must be a finite number, not ${String(v)}`, { path, spec }));
    } else if (typeof v === "string") {
      const u = surrogate(v);
      if (u) out.push(makeDiagnostic("VIG1006", `${describe(path)} holds a lone UTF-16 surrogate (${u}), which is not Unicode text`, { path, spec }, { hint: "no output format can hold it (promtool, amtool and Grafana reject the file); remove it or write the whole character" }));
    } else if (typeof v === "object" && v !== null && !seen.has(v)) {
      seen.add(v);
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
      else {
        for (const [k, x] of Object.entries(v)) {
          const u = surrogate(k);
          if (u) out.push(makeDiagnostic("VIG1006", `${describe([...path, k])}: the property name holds a lone UTF-16 surrogate (${u}), which is not Unicode text`, { path: [...path, k], spec, key: true }));
          walk(x, [...path, k]);
        }
      }
    }
  };
  walk(root, []);
  return out;
}

function describe(path: readonly (string | number)[]): string {
  return formatPath(path) || "the spec";
}

function toDiagnostic(e: ErrorObject, spec: number): Diagnostic {
  const path = pathFromPointer(e.instancePath);
  const where = describe(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperty":
    case "additionalProperties": {
      const prop = String(params.additionalProperty);
      const allowed = Object.keys(schemaAt(e.schemaPath)?.properties ?? {});
      return makeDiagnostic("VIG1006", `${where}: unknown property "${prop}"`, { path: [...path, prop], spec, key: true }, {
        hint: didYouMean(prop, allowed) ?? (allowed.length ? `allowed: ${allowed.join(", ")}` : undefined),
      });
    }
    case "required":
      return makeDiagnostic("VIG1006", `${where}: missing required property "${String(params.missingProperty)}"`, { path, spec });
    case "type":
      return makeDiagnostic("VIG1006", `${where} must be ${article(String(params.type))}`, { path, spec });
    case "enum":
      return makeDiagnostic("VIG1006", `${where} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`, { path, spec });
    case "const":
      return makeDiagnostic("VIG1006", `${where} must be ${JSON.stringify(params.allowedValue)}`, { path, spec });
    case "minLength":
      return makeDiagnostic("VIG1006", `${where} must not be empty`, { path, spec });
    case "union":
      return makeDiagnostic("VIG1006", `${where} must be ${String(params.expected)}`, { path, spec });
    default:
      return makeDiagnostic("VIG1006", `${where} ${e.message ?? "is invalid"}`, { path, spec });
  }
}

function article(type: string): string {
  const t = type.replace(/,/g, " or ");
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

/** The schema object an error's schemaPath points into (its parent for keyword errors). */
function schemaAt(schemaPath: string): { properties?: Record<string, unknown> } | undefined {
  let node: unknown = strictSchema(monitoringSpecSchema);
  const parts = schemaPath.replace(/^#\/?/, "").split("/").slice(0, -1);
  for (const p of parts) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[p];
  }
  return node as { properties?: Record<string, unknown> };
}

/**
 * For each oneOf/anyOf failure: drop branches ruled out by a discriminator (`kind` const) or
 * by the value's type; keep the first plausible branch's errors, or summarise the union.
 */
function pruneUnionBranches(errors: readonly ErrorObject[]): ErrorObject[] {
  let out = [...errors];
  const unions = out
    .filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf")
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const union of unions) {
    const prefix = union.schemaPath + "/";
    const branches = new Map<number, ErrorObject[]>();
    for (const e of out) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const k = Number(e.schemaPath.slice(prefix.length).split("/")[0]);
      branches.set(k, [...(branches.get(k) ?? []), e]);
    }
    const plausible = [...branches.entries()].filter(
      ([, errs]) =>
        !errs.some((e) => e.keyword === "const" && e.instancePath === `${union.instancePath}/kind`) &&
        !errs.some((e) => e.keyword === "type" && e.instancePath === union.instancePath),
    );
    const drop = new Set<ErrorObject>([union, ...[...branches.values()].flat()]);
    out = out.filter((e) => !drop.has(e));
    const kinds = kindsOf([...branches.values()].flat(), union.instancePath);
    if (plausible.length > 0) {
      out.push(...plausible[0]![1]);
    } else if (kinds.length === branches.size) {
      // Every branch refused the kind: the kind is the mistake, reported at its value (where TypeScript reports it too).
      out.push({ ...union, keyword: "enum", instancePath: `${union.instancePath}/kind`, params: { allowedValues: kinds } });
    } else {
      out.push({ ...union, keyword: "union", params: { expected: unionExpectation([...branches.values()].flat(), union.instancePath) } });
    }
  }
  return out;
}

/** The kinds the branches of a union take, from their `kind` const errors. */
function kindsOf(errors: readonly ErrorObject[], path: string): unknown[] {
  return errors.filter((e) => e.keyword === "const" && e.instancePath === `${path}/kind`).map((e) => (e.params as { allowedValue: unknown }).allowedValue);
}

function unionExpectation(errors: readonly ErrorObject[], path: string): string {
  const kinds = kindsOf(errors, path).map((k) => JSON.stringify(k));
  if (kinds.length) return `an object whose kind is ${kinds.join(", ").replace(/, ([^,]*)$/, " or $1")}`;
  const types = [...new Set(errors.filter((e) => e.keyword === "type").map((e) => String((e.params as { type: unknown }).type)))];
  return types.map(article).join(" or ") || "valid";
}
