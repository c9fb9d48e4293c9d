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

/** Milliseconds, or undefined when `text` is not a valid duration. `0` alone is valid. */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  if (text === "") return undefined;
  let total = 0;
  let pos = 0;
  let lastUnit = -1;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) return undefined;
    const unitIndex = ORDER.indexOf(m[2]!);
    if (unitIndex <= lastUnit) return undefined;
    lastUnit = unitIndex;
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}

export { formatDuration } from "./format.js";
