/**
 * A tiny model of the Go values that can flow through a Prometheus alert
 * template. Go's fmt and text/template dispatch on the dynamic type, so we
 * must keep it: `$value` is a float64 even when it is integral, `len` returns
 * an int, `safeHtml` returns an html/template.HTML, and so on.
 */

import { formatTimeUTC } from "./gotime.js";

export interface GoStructField {
  readonly name: string;
  readonly value: GoValue;
}

export type GoValue =
  | { readonly goType: "float64"; readonly value: number }
  /** Go `int` (64-bit); kept as bigint so that int64 range is exact. */
  | { readonly goType: "int"; readonly value: bigint }
  /** A byte, e.g. the result of `index "abc" 0`. */
  | { readonly goType: "uint8"; readonly value: number }
  | { readonly goType: "string"; readonly value: string }
  /** html/template.HTML (what `safeHtml` returns): a string kind with its own type. */
  | { readonly goType: "template.HTML"; readonly value: string }
  | { readonly goType: "bool"; readonly value: boolean }
  /** map[string]string; `null` is a nil map. */
  | { readonly goType: "map[string]string"; readonly value: ReadonlyMap<string, string> | null }
  /** *time.Time in UTC (what `toTime` returns), as Unix nanoseconds. */
  | { readonly goType: "*time.Time"; readonly value: bigint }
  /** The anonymous struct Prometheus passes as template data. */
  | { readonly goType: "struct"; readonly typeName: string; readonly fields: readonly GoStructField[] }
  /** A nil interface value (prints as <nil>). */
  | { readonly goType: "nil" };

export type GoType = GoValue["goType"];

export const goFloat = (value: number): GoValue => ({ goType: "float64", value });
export const goInt = (value: bigint | number): GoValue => ({ goType: "int", value: BigInt(value) });
export const goString = (value: string): GoValue => ({ goType: "string", value });
export const goBool = (value: boolean): GoValue => ({ goType: "bool", value });
export const goNil: GoValue = { goType: "nil" };
export const goStringMap = (value: Readonly<Record<string, string>> | null | undefined): GoValue => ({
  goType: "map[string]string",
  value: value == null ? null : new Map(Object.entries(value)),
});

const GO_TYPES: ReadonlySet<string> = new Set([
  "float64",
  "int",
  "uint8",
  "string",
  "template.HTML",
  "bool",
  "map[string]string",
  "*time.Time",
  "struct",
  "nil",
]);

export function isGoValue(x: unknown): x is GoValue {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as { goType?: unknown }).goType === "string" &&
    GO_TYPES.has((x as { goType: string }).goType)
  );
}

/**
 * Converts a JS value to the Go value fmt would see. Plain JS numbers are
 * float64 (that is what Prometheus passes: `$value`, `.Value`, humanize
 * results' inputs), bigints are Go ints.
 */
export function toGoValue(x: unknown): GoValue {
  if (isGoValue(x)) return x;
  switch (typeof x) {
    case "number":
      return goFloat(x);
    case "bigint":
      return goInt(x);
    case "string":
      return goString(x);
    case "boolean":
      return goBool(x);
    case "undefined":
      return goNil;
  }
  if (x === null) return goNil;
  throw new TypeError(`cannot represent ${Object.prototype.toString.call(x)} as a Go value`);
}

/** reflect.Type.String() of a value, as used by %T and %!verb(type=value). */
export function goTypeName(v: GoValue): string {
  return v.goType === "struct" ? v.typeName : v.goType;
}

/** reflect.Kind == String (string and template.HTML). */
export function isStringKind(v: GoValue): v is Extract<GoValue, { goType: "string" | "template.HTML" }> {
  return v.goType === "string" || v.goType === "template.HTML";
}

/** time.Time.String() for our UTC times. */
export function timeString(v: Extract<GoValue, { goType: "*time.Time" }>): string {
  return formatTimeUTC(v.value);
}

/** Signals a construct this re-implementation does not reproduce faithfully. */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedError";
  }
}
