/**
 * The regexps of checks and journeys (`matches` assertions, `textBody` extractions) run on
 * response bodies an attacker or a broken target controls, inside the one process that runs
 * every probe. They are RE2 (Go's syntax, as everywhere else in Vigil) and run on re2js, a
 * linear-time engine: no pattern can backtrack exponentially and wedge the bundle (with
 * JavaScript's engine, `^(a+)+$` on 41 bytes blocked the event loop: no scrape answered, no
 * timeout fired). The compiler validates each pattern with the same engine the bundle runs, so
 * a pattern that compiles is one the bundle accepts.
 */
import { RE2JS } from "re2js";

export type UserRegexp = RE2JS;

const cache = new Map<string, RE2JS>();

/** A compiled RE2 pattern, cached by source (the set of sources is fixed by the config). Throws on invalid syntax. */
export function userRegexp(source: string): UserRegexp {
  let re = cache.get(source);
  if (re === undefined) {
    re = RE2JS.compile(source);
    cache.set(source, re);
  }
  return re;
}

/** RE2's message for an invalid pattern (`missing closing ): ...`), or undefined when it compiles. */
export function userRegexpError(source: string): string | undefined {
  try {
    userRegexp(source);
    return undefined;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return message.replace(/^error parsing regexp: /, "");
  }
}

/** Whether the pattern matches anywhere in `text`. */
export function regexpTest(source: string, text: string): boolean {
  return userRegexp(source).test(text);
}

/** The first match's first capture group (the whole match when it has none); undefined when it does not match. */
export function regexpExtract(source: string, text: string): string | undefined {
  const m = userRegexp(source).exec(text);
  if (!m) return undefined;
  const value: unknown = m.length > 1 ? m[1] : m[0];
  return typeof value === "string" ? value : undefined;
}
