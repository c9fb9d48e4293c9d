/**
 * RE2 regexps (as mtail compiles them) that find a field of a JSON log line, whatever the
 * order of the fields and the spaces around `:` and `,`. A line is JSON that some encoder wrote,
 * so a text is matched in every form a common encoder writes it: `/` also as `\/` (PHP), `<`,
 * `>` and `&` also as `\u003c`… (Go), non-ASCII also as `\uXXXX` (Python's default), any case
 * of hex digit. Every regexp is written for an mtail regexp literal (`/…/`): no `/` unescaped.
 *
 * A key is found only where a key can start: after `{` or `,` and spaces. Inside a JSON string
 * every `"` is escaped (`\"`), so `[{,]\s*"level"\s*:` never matches text inside a value; it
 * does match the same key of a nested object (only top-level fields are declared for metrics,
 * and a nested object that repeats one of their names would count too).
 */
import type { LogConditionModel } from "../model/types.js";

/** mtail refuses longer regexps unless started with a larger `--max_regexp_length`. */
export const MAX_REGEXP_LENGTH = 1024;

export type Built = { ok: true; re: string } | { ok: false; reason: string };

const META = /[\\.+*?()|[\]{}^$]/;

/** `\uXXXX` with either case of hex letter, as a regexp. */
function unicodeEscape(code: number): string {
  const hex = code.toString(16).padStart(4, "0");
  return `\\\\u${[...hex].map((h) => (/[a-f]/.test(h) ? `[${h}${h.toUpperCase()}]` : h)).join("")}`;
}

/** A regexp matching `text` as JSON encoders write it between the quotes of a string. */
export function jsonText(text: string): Built {
  let re = "";
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return { ok: false, reason: `it holds the control character U+${code.toString(16).padStart(4, "0").toUpperCase()}` };
    if (ch === '"') re += '\\\\"';
    else if (ch === "\\") re += "\\\\\\\\";
    else if (ch === "/") re += "\\\\?\\/";
    else if (ch === "<" || ch === ">" || ch === "&") re += `(?:${ch}|${unicodeEscape(code)})`;
    else if (code > 0x7f) {
      const escaped = code > 0xffff ? unicodeEscape(0xd800 + ((code - 0x10000) >> 10)) + unicodeEscape(0xdc00 + ((code - 0x10000) & 0x3ff)) : unicodeEscape(code);
      re += `(?:${ch}|${escaped})`;
    } else re += META.test(ch) ? `\\${ch}` : ch;
  }
  return { ok: true, re };
}

/** What precedes a top-level field's value: `"name":` where a key can start. */
function key(field: string): Built {
  const name = jsonText(field);
  return name.ok ? { ok: true, re: `[{,]\\s*"${name.re}"\\s*:\\s*` } : name;
}

/** Alternatives of one kind of condition, each a regexp; or why a value cannot be matched. */
function alternatives(c: LogConditionModel): { kinds: string[][] } | { reason: string } {
  const kinds: string[][] = [];
  const all = (field: string, values: readonly string[], close: string): string[] | string => {
    const k = key(field);
    if (!k.ok) return `field "${field}": ${k.reason}`;
    const out: string[] = [];
    for (const v of values) {
      const t = jsonText(v);
      if (!t.ok) return `value "${v}": ${t.reason}`;
      out.push(`${k.re}"${t.re}${close}`);
    }
    return out;
  };
  const push = (x: string[] | string): string | undefined => {
    if (typeof x === "string") return x;
    if (x.length) kinds.push(x);
    return undefined;
  };
  const problems = [
    push(all("logger", c.loggerPrefix, "")),
    push(all("level", c.level, '"')),
    ...c.fieldPresent.map((f) => {
      const k = key(f.join("."));
      // A value that is neither null nor false: in JSON, only those start with n or f.
      return push(k.ok ? [`${k.re}[^\\snf]`] : `field "${f.join(".")}": ${k.reason}`);
    }),
    ...c.fieldEquals.map((f) => push(all(f.path.join("."), [f.value], '"'))),
  ].filter((p): p is string => p !== undefined);
  return problems.length ? { reason: problems[0]! } : { kinds };
}

const union = (res: readonly string[]): string => (res.length === 1 ? res[0]! : res.map((r) => `(?:${r})`).join("|"));

/** One regexp per kind of condition; a line matches the condition when it matches them all. */
export function everyKind(c: LogConditionModel): { ok: true; res: string[] } | { ok: false; reason: string } {
  const a = alternatives(c);
  return "reason" in a ? { ok: false, reason: a.reason } : { ok: true, res: a.kinds.map(union) };
}

/** One regexp a line matches when any condition holds (a category's `when`). */
export function anyCondition(c: LogConditionModel): Built {
  const a = alternatives(c);
  return "reason" in a ? { ok: false, reason: a.reason } : { ok: true, re: union(a.kinds.flat()) };
}

/** One regexp matching when any of these regexps does. */
export function anyOf(res: readonly string[]): string {
  return union(res);
}

export type LabelValue = "string" | "number" | "boolean";
export type Truncate = 8 | 16 | 24;

const OCTET = "[0-9]{1,3}";

/**
 * A field's value captured as group `group`, and the mtail expression of the label value. A
 * string is captured only when it holds no escape (mtail cannot unescape it), an address to
 * truncate only when it is a dotted IPv4 address; the line does not count otherwise.
 */
export function capture(field: string, value: LabelValue, group: string, truncate?: Truncate): { ok: true; re: string; expr: string } | { ok: false; reason: string } {
  const k = key(field);
  if (!k.ok) return k;
  if (truncate !== undefined) {
    const kept = truncate / 8;
    const net = Array.from({ length: kept }, () => OCTET).join("\\.");
    const rest = Array.from({ length: 4 - kept }, () => `\\.${OCTET}`).join("");
    const zeros = Array.from({ length: 4 - kept }, () => ".0").join("");
    return { ok: true, re: `${k.re}"(?P<${group}>${net})${rest}"`, expr: `$${group} + "${zeros}/${truncate}"` };
  }
  const body = value === "number" ? "-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?" : value === "boolean" ? "true|false" : undefined;
  return { ok: true, re: body ? `${k.re}(?P<${group}>${body})` : `${k.re}"(?P<${group}>[^"\\\\]*)"`, expr: `$${group}` };
}
