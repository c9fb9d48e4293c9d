/**
 * Builders for synthetic checks and journeys: assertions with the comparators people expect,
 * typed per subject, and journey steps whose extracted values are typed references, so a
 * later step cannot name a value that was never extracted (`login.extracted.tokne` does not
 * compile). They return the plain spec data a YAML spec would hold.
 */
import type { AssertionComparison, AssertionSource, AssertionSpec, CheckSpec, ExtractSpec, JourneySpec, StepRefSpec, StepSpec } from "../spec/types.js";

type Target = string | number | boolean | null;
const make = (source: AssertionSource, property: string | undefined, comparison: AssertionComparison, target?: Target): AssertionSpec => {
  const a: AssertionSpec = { source, comparison };
  if (property !== undefined) a.property = property;
  if (target !== undefined) a.target = target;
  return a;
};

/** Comparators on a number (status, response time in ms). */
export interface NumberAssertions {
  equals(n: number): AssertionSpec;
  notEquals(n: number): AssertionSpec;
  lessThan(n: number): AssertionSpec;
  lessThanOrEqual(n: number): AssertionSpec;
  greaterThan(n: number): AssertionSpec;
  greaterThanOrEqual(n: number): AssertionSpec;
}
/** Comparators on text (a header, the body). */
export interface TextAssertions {
  equals(s: string): AssertionSpec;
  notEquals(s: string): AssertionSpec;
  contains(s: string): AssertionSpec;
  notContains(s: string): AssertionSpec;
  /** A JavaScript regular expression, e.g. `^application/json`. */
  matches(regex: string): AssertionSpec;
  exists(): AssertionSpec;
  notExists(): AssertionSpec;
}
/** Comparators on a JSON value. */
export interface JsonAssertions extends Omit<NumberAssertions, "equals" | "notEquals">, Omit<TextAssertions, "equals" | "notEquals"> {
  equals(v: Target): AssertionSpec;
  notEquals(v: Target): AssertionSpec;
}

function comparators(source: AssertionSource, property?: string): NumberAssertions & TextAssertions & JsonAssertions {
  const c = (comparison: AssertionComparison) => (target?: Target) => make(source, property, comparison, target);
  return {
    equals: c("equals"),
    notEquals: c("notEquals"),
    lessThan: c("lessThan"),
    lessThanOrEqual: c("lessThanOrEqual"),
    greaterThan: c("greaterThan"),
    greaterThanOrEqual: c("greaterThanOrEqual"),
    contains: c("contains"),
    notContains: c("notContains"),
    matches: c("matches"),
    exists: () => make(source, property, "exists"),
    notExists: () => make(source, property, "notExists"),
  };
}

/** The response status code. */
export const assertStatus = (): NumberAssertions => comparators("status");
/** Whole request time in milliseconds. */
export const assertResponseTime = (): NumberAssertions => comparators("responseTime");
/** A response header (case-insensitive). */
export const assertHeader = (name: string): TextAssertions => comparators("header", name);
/** The body as text. */
export const assertText = (): TextAssertions => comparators("textBody");
/** A value in the JSON body, by path: `$.status`, `$.items[0].id`. */
export const assertJson = (path: string): JsonAssertions => comparators("jsonBody", path);

/** Where a journey step takes a value from. */
export const fromJson = (path: string): ExtractSpec => ({ from: "jsonBody", property: path });
export const fromHeader = (name: string): ExtractSpec => ({ from: "header", property: name });
/** The first group of `regex` in the body (the whole match without groups). */
export const fromText = (regex: string): ExtractSpec => ({ from: "textBody", regex });

export function check(spec: CheckSpec): CheckSpec {
  return spec;
}

/** A journey step; `.extracted.<name>` are references later steps put in URLs, headers and bodies. */
export type TypedStep<E extends Record<string, ExtractSpec>> = StepSpec & { readonly extracted: { readonly [K in keyof E]: StepRefSpec } };

export function step<const E extends Record<string, ExtractSpec> = Record<never, ExtractSpec>>(spec: Omit<StepSpec, "extract"> & { extract?: E }): TypedStep<E> {
  const extracted = Object.fromEntries(Object.keys(spec.extract ?? {}).map((name) => [name, { ref: { step: spec.name, name } }]));
  // Not enumerable: the spec data (and its JSON Schema check) never sees it.
  return Object.defineProperty({ ...spec }, "extracted", { value: extracted, enumerable: false }) as TypedStep<E>;
}

export function journey(spec: JourneySpec): JourneySpec {
  return spec;
}
