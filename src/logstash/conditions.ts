/** Logstash conditional expressions for the spec's event conditions. */
import type { LogConditionModel } from "../model/types.js";
import { ref, str } from "./writer.js";

/**
 * `field` equals one of `values`, as `==` comparisons joined by `or`. Not `in [...]`: the
 * grammar tries a field reference before an array, so `in ["x"]`, or a list whose first
 * string holds a `]`, would be read as a reference `["x"]` and never match (or not parse).
 */
export function oneOf(field: string, values: readonly string[]): string {
  const each = values.map((v) => `${field} == ${str(v)}`);
  return each.length === 1 ? each[0]! : `(${each.join(" or ")})`;
}

/**
 * A regexp literal matching values that start with `prefix`, whatever it holds. Metacharacters
 * are escaped with `\`; other ASCII besides letters, digits, `_` and space is written `\xNN`:
 * the literal's grammar pairs `\` with a following `/`, so a `/` or a trailing `\` written as is
 * would end or swallow the literal, and `${` or `%{` never appear. Below 0x80, `\xNN` means the
 * same to Logstash's regexp engine (Joni) and to JavaScript; non-ASCII is written as is.
 */
export function prefixRegexp(prefix: string): string {
  let body = "";
  for (const ch of prefix) {
    const code = ch.codePointAt(0)!;
    if (code > 0x7f || /[A-Za-z0-9_ ]/.test(ch)) body += ch;
    else if (/[.^$*+?()[\]{}|-]/.test(ch)) body += `\\${ch}`;
    else body += `\\x${code.toString(16).padStart(2, "0")}`;
  }
  return `/^${body}/`;
}

/** Each kind of condition as its alternatives. */
function alternatives(c: LogConditionModel): string[][] {
  const kinds = [
    c.loggerPrefix.map((p) => `${ref(["logger"])} =~ ${prefixRegexp(p)}`),
    c.level.map((l) => `${ref(["level"])} == ${str(l)}`),
    ...c.fieldPresent.map((f) => [ref(f)]),
    ...c.fieldEquals.map((f) => [`${ref(f.path)} == ${str(f.value)}`]),
  ];
  return kinds.filter((k) => k.length > 0);
}

/** True when any condition holds (categories). */
export function anyOf(c: LogConditionModel): string {
  return alternatives(c)
    .flat()
    .map((x) => `(${x})`)
    .join(" or ");
}

/** True when every kind of condition holds, any of its alternatives (sampling). */
export function allOf(c: LogConditionModel): string {
  return alternatives(c)
    .map((k) => (k.length === 1 ? `(${k[0]})` : `(${k.join(" or ")})`))
    .join(" and ");
}
