/**
 * Safe building blocks for Logstash configuration text. The config language processes no
 * escapes by default (`config.support_escapes: false`): a string's value is its characters as
 * written. Its grammar still pairs a backslash with the next character when finding the end
 * of a string, so a value can hold neither its quote character nor a trailing backslash.
 * Strings, field references `[a][b]`, sprintf `%{...}` and `${ENV}` references are built
 * here from checked parts, never concatenated from raw user text; what cannot be written
 * safely is refused with a reason (the caller turns it into a diagnostic).
 */

export type Built = { ok: true; text: string } | { ok: false; reason: string };

import { ENV_NAME } from "../normalize/names.js";

/** A quoted string carrying `value` unchanged: double quotes, or single quotes when it holds a `"`. */
export function quoteValue(value: string): Built {
  if (/\\$/.test(value)) return { ok: false, reason: "ends in a backslash, which would escape the closing quote (Logstash processes no escapes)" };
  if (!value.includes('"')) return { ok: true, text: `"${value}"` };
  if (!value.includes("'")) return { ok: true, text: `'${value}'` };
  return { ok: false, reason: "contains both quote characters, which Logstash cannot write without escapes" };
}

/** A field reference `[a][b]` from path segments; brackets and empty segments are refused. */
export function fieldRef(path: readonly string[]): Built {
  if (path.length === 0) return { ok: false, reason: "empty field path" };
  for (const s of path) {
    if (s === "") return { ok: false, reason: "empty field name" };
    if (/[[\]]/.test(s)) return { ok: false, reason: `field name "${s}" contains a bracket` };
    // The grammar's selector element is `[` [^\],]+ `]`: no comma either.
    if (s.includes(",")) return { ok: false, reason: `field name "${s}" contains a comma` };
    if (/[\n\r]/.test(s)) return { ok: false, reason: "field name contains a line break" };
  }
  return { ok: true, text: path.map((s) => `[${s}]`).join("") };
}

export type SprintfPart = { text: string } | { field: readonly string[] } | { date: string } | { env: string };

/**
 * The inside of a string with `%{[field]}`, `%{+date}` and `${ENV}` references: literal text may
 * not itself start a reference. Quote the result with `quoteValue`.
 */
export function sprintf(parts: readonly SprintfPart[]): Built {
  // Adjacent literal texts could join into an opener ("%" + "{x}"): check them joined.
  const merged: SprintfPart[] = [];
  for (const p of parts) {
    const last = merged[merged.length - 1];
    if ("text" in p && last && "text" in last) merged[merged.length - 1] = { text: last.text + p.text };
    else merged.push(p);
  }
  let out = "";
  for (const p of merged) {
    if ("text" in p) {
      if (p.text.includes("%{") || p.text.includes("${")) return { ok: false, reason: `literal text "${p.text}" contains a reference opener (%{ or \${)` };
      out += p.text;
    } else if ("field" in p) {
      const ref = fieldRef(p.field);
      if (!ref.ok) return ref;
      if (ref.text.includes("}")) return { ok: false, reason: "field name contains }" };
      out += `%{${ref.text}}`;
    } else if ("date" in p) {
      if (!/^[A-Za-z.\-_:]+$/.test(p.date)) return { ok: false, reason: `date pattern "${p.date}" is not a Joda pattern of letters and separators` };
      out += `%{+${p.date}}`;
    } else {
      if (!ENV_NAME.test(p.env)) return { ok: false, reason: `"${p.env}" is not an environment variable name` };
      out += `\${${p.env}}`;
    }
  }
  return { ok: true, text: out };
}
