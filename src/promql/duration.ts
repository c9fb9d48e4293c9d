/** Prometheus durations (model.ParseDuration): units in descending order, each at most once. */

const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const ORDER = ["y", "w", "d", "h", "m", "s", "ms"];
const PART = /(\d+)(ms|y|w|d|h|m|s)/y;

/** The largest duration Go's time.Duration holds (int64 nanoseconds), in whole milliseconds. */
export const MAX_DURATION_MS = 9_223_372_036_854;

/** Milliseconds, or undefined when `text` is not a valid duration or is out of range. `0` alone is valid. */
export function parseDuration(text: string): number | undefined {
  const r = parseDurationChecked(text);
  return typeof r === "number" ? r : undefined;
}

/**
 * model.ParseDuration's verdict: milliseconds, "invalid" (not of the form), or "out of range"
 * (more than int64 nanoseconds, about 292 years: Prometheus says `duration out of range`).
 */
export function parseDurationChecked(text: string): number | "invalid" | "out of range" {
  if (text === "0") return 0;
  if (text === "") return "invalid";
  let total = 0;
  let pos = 0;
  let lastUnit = -1;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) return "invalid";
    const unitIndex = ORDER.indexOf(m[2]!);
    if (unitIndex <= lastUnit) return "invalid";
    lastUnit = unitIndex;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  // Past 2^53 the sum is inexact, but it is far beyond the limit then.
  return Number.isSafeInteger(total) && total <= MAX_DURATION_MS ? total : "out of range";
}

export { formatDuration } from "./format.js";
