/**
 * The PromQL front end every expression goes through: parse (parser.ts), then type-check
 * (typecheck.ts), both for a target Prometheus version whose functions and aggregation
 * operators come from the version table (functions.ts). Errors carry [start, end) offsets in
 * the expression text and a kind, so callers can map them into the user's spec.
 */
import type { Expr } from "./ast.js";
import { AGGREGATIONS, FUNCTIONS, aggregationAvailability, functionAvailability, type ValueType } from "./functions.js";
import { parseExpr } from "./parser.js";
import { checkTypesAndType, type Signature } from "./typecheck.js";
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
  paramType: (op: string) => ValueType | undefined;
  signature: (name: string) => Signature | undefined;
  unknownFunction: (name: string) => string | undefined;
}

const tables = new Map<string, TargetTables>();

/** The last target's tables: a rule file checks every expression for the same target. */
let last: { major: number; minor: number; tables: TargetTables } | undefined;

function tablesFor(target: PromVersion): TargetTables {
  if (last !== undefined && last.major === target.major && last.minor === target.minor) return last.tables;
  const made = tablesByKey(target);
  last = { major: target.major, minor: target.minor, tables: made };
  return made;
}

function tablesByKey(target: PromVersion): TargetTables {
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
  // Per-name answers, cached: a rule file calls the same few functions thousands of times.
  // Plain get-then-set (no closure per lookup); `null` caches a negative answer.
  const signatures = new Map<string, Signature | null>();
  const unknown = new Map<string, string | null>();
  const made: TargetTables = {
    aggregators,
    paramAggregators: new Set(paramTypes.keys()),
    paramTypes,
    paramType: (op) => paramTypes.get(op),
    signature: (name) => {
      let sig = signatures.get(name);
      if (sig === undefined) {
        const f = functionAvailability(name, target);
        sig = f.ok ? f.info : null;
        signatures.set(name, sig);
      }
      return sig ?? undefined;
    },
    unknownFunction: (name) => {
      let reason = unknown.get(name);
      if (reason === undefined) {
        reason = unknownFunctionReason(name) ?? null;
        unknown.set(name, reason);
      }
      return reason ?? undefined;
    },
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
  // Reasons that are version gating rather than syntax; rare, so the set is made on demand.
  let gated: Set<string> | undefined;
  const unknownFunction = (name: string) => {
    const reason = t.unknownFunction(name);
    if (reason !== undefined && (FUNCTIONS.has(name) || AGGREGATIONS.has(name))) (gated ??= new Set()).add(reason);
    return reason;
  };
  const parsed = parseExpr(text, { aggregators: t.aggregators, paramAggregators: t.paramAggregators, unknownFunction });
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => ({ ...e, kind: gated?.has(e.message) ? "version" : "syntax" })) };
  // The checker computes the expression's type on its way up: no second walk for it.
  const checked = checkTypesAndType(parsed.expr, text, t.signature, t.paramType);
  if (checked.errors.length > 0) return { ok: false, errors: checked.errors.map((e) => ({ ...e, kind: "type" })) };
  return { ok: true, expr: parsed.expr, type: checked.type };
}
