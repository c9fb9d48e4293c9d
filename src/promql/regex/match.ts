/**
 * Label-matcher regex semantics: Prometheus anchors every `=~`/`!~` pattern at both ends and
 * evaluates it with Go's RE2 engine. We translate RE2 to an equivalent JS RegExp (re2.ts), so
 * `\d`, `\s`, `.` and friends keep RE2's meaning rather than JavaScript's.
 * Prometheus 2.x anchors with `^(?:…)$` (3.x with `^(?s:…)$`); we target 2.42, the default.
 */
import { compileGoRegexp, RegexpError, RegexpUnsupported } from "./re2.js";

export { RegexpError, RegexpUnsupported };

/** Whether `value` fully matches the RE2 `pattern`. Throws RegexpError for an invalid pattern. */
export function re2FullMatch(pattern: string, value: string): boolean {
  const { re } = compileGoRegexp(`^(?:${pattern})$`);
  re.lastIndex = 0;
  return re.test(value);
}

/** The RE2 error for `pattern`, or undefined when Prometheus would accept it. */
export function re2Error(pattern: string): string | undefined {
  try {
    // Prometheus parses the pattern on its own first (so `a)(b` fails even though the
    // anchored `^(?:a)(b)$` would compile), then compiles it anchored.
    compileGoRegexp(pattern);
    compileGoRegexp(`^(?:${pattern})$`);
    return undefined;
  } catch (e) {
    if (e instanceof RegexpError) return e.message;
    if (e instanceof RegexpUnsupported) return undefined; // valid RE2 we merely cannot run
    throw e;
  }
}
