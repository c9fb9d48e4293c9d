/**
 * The PromQL front end every expression goes through: parse (parser.ts), then type-check
 * (typecheck.ts), both for a target Prometheus version whose functions and aggregation
 * operators come from the version table (functions.ts). Errors carry [start, end) offsets in
 * the expression text and a kind, so callers can map them into the user's spec.
 */
import type { Expr } from "./ast.js";
import { AGGREGATIONS, FUNCTIONS, aggregationAvailability, functionAvailability, type ValueType } from "./functions.js";
import { parseExpr } from "./parser.js";
import { checkTypes, valueType, type Signature } from "./typecheck.js";
import { DEFAULT_TARGET, formatVersion, parseVersion, type PromVersion } from "./version.js";

export interface PromQLError {
  message: string;
  start: number;
  end: number;
  /** syntax: the parser's; type: the checker's (run only on a clean parse); version: not in the target. */
  kind: "syntax" | "type" | "version";
}

/** The diagnostic code each kind of front-end error is reported under. */
export const PROMQL_ERROR_CODES = { syntax: "VIG3001", type: "VIG3002", version: "VIG3003" } as const;

export type AnalyzeResult = { ok: true; expr: Expr; type: ValueType } | { ok: false; errors: PromQLError[] };

interface TargetTables {
  aggregators: ReadonlySet<string>;
  paramAggregators: ReadonlySet<string>;
  paramTypes: ReadonlyMap<string, ValueType>;
  signature: (name: string) => Signature | undefined;
  unknownFunction: (name: string) => string | undefined;
}

const tables = new Map<string, TargetTables>();

function tablesFor(target: PromVersion): TargetTables {
  const key = formatVersion(target);
  const hit = tables.get(key);
  if (hit) return hit;
  const aggregators = new Set<string>();
  const paramTypes = new Map<string, ValueType>();
  for (const name of AGGREGATIONS.keys()) {
    const a = aggregationAvailability(name, target);
    if (!a.ok) continue;
    aggregators.add(name);
    if (a.info.paramType) paramTypes.set(name, a.info.paramType);
  }
  const signatures = new Map<string, Signature | undefined>();
  const unknown = new Map<string, string | undefined>();
  const memo = <T>(cache: Map<string, T>, name: string, compute: () => T): T => {
    if (!cache.has(name)) cache.set(name, compute());
    return cache.get(name) as T;
  };
  const made: TargetTables = {
    aggregators,
    paramAggregators: new Set(paramTypes.keys()),
    paramTypes,
    signature: (name) =>
      memo(signatures, name, () => {
        const f = functionAvailability(name, target);
        return f.ok ? f.info : undefined;
      }),
    unknownFunction: (name) => memo(unknown, name, () => unknownFunctionReason(name)),
  };
  function unknownFunctionReason(name: string): string | undefined {
    // `limitk(...)` at 2.42 lexes as a call: say it is a 3.x aggregation, not an unknown name.
    if (AGGREGATIONS.has(name) && !aggregators.has(name)) {
      const a = aggregationAvailability(name, target);
      if (!a.ok) return a.reason;
    }
    const f = functionAvailability(name, target);
    if (f.ok) return undefined;
    // Prometheus' own wording for names it has never heard of; ours for version gating.
    return FUNCTIONS.has(name) ? f.reason : `unknown function with name ${JSON.stringify(name)}`;
  }
  tables.set(key, made);
  return made;
}

const DEFAULT = parseVersion(DEFAULT_TARGET)!;

export function resolveTarget(version: string | undefined): PromVersion {
  return (version === undefined ? undefined : parseVersion(version)) ?? DEFAULT;
}

export function analyzePromQL(text: string, target: PromVersion = DEFAULT): AnalyzeResult {
  const t = tablesFor(target);
  const gated = new Set<string>();
  const unknownFunction = (name: string) => {
    const reason = t.unknownFunction(name);
    if (reason !== undefined && (FUNCTIONS.has(name) || AGGREGATIONS.has(name))) gated.add(reason);
    return reason;
  };
  const parsed = parseExpr(text, { aggregators: t.aggregators, paramAggregators: t.paramAggregators, unknownFunction });
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => ({ ...e, kind: gated.has(e.message) ? "version" : "syntax" })) };
  const errors = checkTypes(parsed.expr, text, t.signature, (op) => t.paramTypes.get(op));
  if (errors.length > 0) return { ok: false, errors: errors.map((e) => ({ ...e, kind: "type" })) };
  return { ok: true, expr: parsed.expr, type: valueType(parsed.expr, t.signature) };
}
