import { CODES, type DiagnosticCode } from "./codes.js";
import type { Diagnostic, SpecRef, Severity } from "./diagnostic.js";

/** Builds a diagnostic with the code's default severity unless one is given. */
export function makeDiagnostic(
  code: DiagnosticCode,
  message: string,
  at?: SpecRef,
  extra: { hint?: string; severity?: Severity; related?: Diagnostic["related"] } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: extra.severity ?? CODES[code].severity, message };
  if (at) d.at = at;
  if (extra.hint) d.hint = extra.hint;
  if (extra.related) d.related = extra.related;
  return d;
}
