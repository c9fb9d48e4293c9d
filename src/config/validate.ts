/**
 * Checks a config value against its schema (`schema.ts`) and what the schema cannot say: lint
 * rule ids that exist, a Prometheus version Vigil targets. Each problem is a diagnostic at the
 * config file's offending property.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { formatPath, makeDiagnostic, pathFromPointer, type Diagnostic } from "../diagnostics/index.js";
import { lintRule } from "../lint/registry.js";
import { didYouMean } from "../normalize/names.js";
import { strictSchema } from "../spec/schema.js";
import { compareVersions, parseVersion } from "../promql/version.js";
import { vigilConfigSchema } from "./schema.js";
import type { VigilConfig } from "./types.js";

let validator: ValidateFunction | undefined;

export function validateConfig(value: unknown): { config?: VigilConfig; diagnostics: Diagnostic[] } {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(strictSchema(vigilConfigSchema) as object);
  if (!validator(value)) {
    const seen = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    for (const e of validator.errors ?? []) {
      const d = toDiagnostic(e);
      const key = `${d.at?.path.join(".")}|${d.message}`;
      if (!seen.has(key)) diagnostics.push(d);
      seen.add(key);
    }
    return { diagnostics };
  }
  const config = value as VigilConfig;
  const diagnostics: Diagnostic[] = [];
  const version = config.prometheus?.version;
  if (version !== undefined) {
    const v = parseVersion(version);
    if (!v || v.major < 2 || v.major > 3 || compareVersions(v, { major: 2, minor: 42 }) < 0) {
      diagnostics.push(makeDiagnostic("VIG2020", `unsupported Prometheus version "${version}"`, { path: ["prometheus", "version"] }, { hint: 'Vigil targets Prometheus 2.42 or later, e.g. "2.42" or "3.1"' }));
    }
  }
  for (const id of Object.keys(config.lint?.rules ?? {})) {
    if (!lintRule(id)) diagnostics.push(makeDiagnostic("VIG2021", `unknown lint rule "${id}"`, { path: ["lint", "rules", id], key: true }, { hint: "see spec/lint/ for the rules" }));
  }
  return diagnostics.length ? { diagnostics } : { config, diagnostics };
}

function describe(path: readonly (string | number)[]): string {
  return formatPath(path) || "the config";
}

/** The properties the schema allows at a path, for "did you mean". */
function allowedAt(path: readonly (string | number)[]): string[] {
  let schema: unknown = vigilConfigSchema;
  for (const key of path) {
    const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
    schema = typeof key === "string" ? props?.[key] : (schema as { items?: unknown } | undefined)?.items;
  }
  return Object.keys((schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
}

function toDiagnostic(e: ErrorObject): Diagnostic {
  const path = pathFromPointer(e.instancePath);
  const where = describe(path);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "additionalProperties": {
      const prop = String(params.additionalProperty);
      const allowed = allowedAt(path);
      return makeDiagnostic("VIG1010", `${where}: unknown property "${prop}"`, { path: [...path, prop], key: true }, {
        hint: didYouMean(prop, allowed) ?? (allowed.length ? `allowed: ${allowed.join(", ")}` : undefined),
      });
    }
    case "type":
      return makeDiagnostic("VIG1010", `${where} must be ${params.type === "array" ? "an array" : params.type === "object" ? "an object" : `a ${String(params.type)}`}`, { path });
    case "enum":
      return makeDiagnostic("VIG1010", `${where} must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`, { path });
    case "minLength":
    case "minItems":
      return makeDiagnostic("VIG1010", `${where} must not be empty`, { path });
    default:
      return makeDiagnostic("VIG1010", `${where} ${e.message ?? "is invalid"}`, { path });
  }
}
