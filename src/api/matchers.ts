/** Label matcher helpers for selectors: `select({ code: matches("5..") })`. */
import type { MatcherObject } from "../spec/types.js";

/** Equality (the same as a plain string). */
export function eq(value: string): MatcherObject {
  return { op: "=", value };
}

/** Not equal. */
export function not(value: string): MatcherObject {
  return { op: "!=", value };
}

/** Regular expression match (RE2 syntax, anchored at both ends as in Prometheus). */
export function matches(regex: string): MatcherObject {
  return { op: "=~", value: regex };
}

/** Regular expression non-match. */
export function notMatches(regex: string): MatcherObject {
  return { op: "!~", value: regex };
}

const RE2_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/** Matches any of the given literal values (escaped, so `oneOf("a.b")` does not match `axb`). */
export function oneOf(...values: string[]): MatcherObject {
  return { op: "=~", value: values.map((v) => v.replace(RE2_SPECIAL, "\\$&")).join("|") };
}

/** Matches none of the given literal values. */
export function noneOf(...values: string[]): MatcherObject {
  return { op: "!~", value: oneOf(...values).value };
}
