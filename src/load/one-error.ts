/**
 * One mistake, one error. A TypeScript spec is checked twice: by the TypeScript compiler
 * (VIG1005) and by Vigil (schema VIG1006, normalize VIG2xxx). A label typo is TS2353 and
 * VIG2002 at the same key, a missing property TS2345 over the object and VIG1006 at its call,
 * a string for a number TS2322 at the property's name and VIG1006 at its value. Where a
 * VIG1005 error lies at the place of another error, only the other stays: it names the
 * spec's terms (the signal, the property path) and carries Vigil's hint, where TypeScript's
 * names the type of the whole object literal.
 */
import { readFileSync } from "node:fs";
import type { Diagnostic, SourceLocation } from "../diagnostics/index.js";

interface Span {
  file: string;
  start: [number, number];
  end: [number, number];
  /** The property a "missing property" error is about. */
  missing?: string;
}

const span = (d: Diagnostic, missing: RegExp): Span => {
  const l = d.location!;
  const s: Span = { file: l.file, start: [l.line, l.column], end: [l.endLine ?? l.line, l.endColumn ?? l.column] };
  const m = missing.exec(`${d.message}\n${d.hint ?? ""}`);
  if (m) s.missing = m[1]!;
  return s;
};
const before = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
const same = (a: readonly [number, number], b: readonly [number, number]) => a[0] === b[0] && a[1] === b[1];
const TS_MISSING = /Property '([^']+)' is missing in type/;
const VIGIL_MISSING = /missing required property "([^"]+)"/;

export function dropDuplicateTypeErrors(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const others = diagnostics.filter((d) => d.severity === "error" && d.code !== "VIG1005" && d.location).map((d) => span(d, VIGIL_MISSING));
  if (others.length === 0) return [...diagnostics];
  const lines = new Map<string, string[] | undefined>();
  const lineOf = (file: string, line: number): string | undefined => {
    if (!lines.has(file)) {
      try {
        lines.set(file, readFileSync(file, "utf8").split("\n"));
      } catch {
        lines.set(file, undefined);
      }
    }
    return lines.get(file)?.[line - 1];
  };
  /** `name: value` on one line: only a colon between the end of one and the start of the other. */
  const nameOfValue = (name: Span, value: Span) =>
    name.end[0] === value.start[0] && before(name.end, value.start) && /^\s*:\s*$/.test(lineOf(name.file, name.end[0])?.slice(name.end[1] - 1, value.start[1] - 1) ?? "");
  const overlap = (a: Span, b: Span) => before(a.start, b.end) && before(b.start, a.end);
  const samePlace = (ts: Span, o: Span) =>
    ts.file === o.file && (same(ts.start, o.start) || nameOfValue(ts, o) || nameOfValue(o, ts) || (ts.missing !== undefined && ts.missing === o.missing && overlap(ts, o)));
  return diagnostics.filter((d) => !(d.code === "VIG1005" && d.location && others.some((o) => samePlace(span(d, TS_MISSING), o))));
}
