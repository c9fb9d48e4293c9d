/** Diagnostics: every problem Vigil reports, with a stable code and a place in the user's spec. */
import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "info";

/** A 1-based position in a source file (columns count UTF-16 code units, as editors and tsc do). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/**
 * A place inside a loaded spec, before it is resolved to a file position: the property path
 * from the spec root (e.g. `["slos", 0, "sli", "total"]`) and, for string values such as
 * PromQL, a character range inside the string's value.
 */
export interface SpecRef {
  path: readonly (string | number)[];
  offset?: number;
  length?: number;
  /** Point at the property's name rather than its value (e.g. for an unknown property). */
  key?: boolean;
  /** Index of the spec (for multi-spec compiles); resolved by the compiler, defaults to the only one. */
  spec?: number;
}

export interface RelatedInformation {
  message: string;
  at?: SpecRef;
  location?: SourceLocation;
}

/** A lint rule id such as `promql/rate-window` (src/lint/rules/). */
export type LintRuleId = `${string}/${string}`;

export interface Diagnostic {
  /** A VIGnnnn code, or the id of the lint rule that found the problem. */
  code: DiagnosticCode | LintRuleId;
  severity: Severity;
  message: string;
  /** Where in the spec (resolved into `location` by the loader's locator). */
  at?: SpecRef;
  location?: SourceLocation;
  hint?: string;
  related?: RelatedInformation[];
  /**
   * The text `at`/`location` points at is a secret (spec/secret): a source excerpt shows that
   * span as `*`s (to the end of the line when the span is not known), never the text itself.
   */
  mask?: boolean;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Orders diagnostics by file, position and code so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fa = a.location?.file ?? "";
    const fb = b.location?.file ?? "";
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.location?.line ?? 0;
    const lb = b.location?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.location?.column ?? 0;
    const cb = b.location?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}
