/** Building PromQL text from data: quoting, selectors, durations and numbers, always the same bytes. */
import type { MatcherSpec, SelectorSpec } from "../spec/types.js";

/** A PromQL double-quoted string (Go escaping rules). */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + '"';
}

export function matcherParts(spec: MatcherSpec): { op: "=" | "!=" | "=~" | "!~"; value: string } {
  return typeof spec === "string" ? { op: "=", value: spec } : spec;
}

export function formatMatchers(matchers: Record<string, MatcherSpec> | undefined, extra: readonly string[] = []): string {
  const parts = Object.entries(matchers ?? {}).map(([label, m]) => {
    const { op, value } = matcherParts(m);
    return `${label}${op}${quoteString(value)}`;
  });
  parts.push(...extra);
  return parts.length ? `{${parts.join(", ")}}` : "";
}

/** `metric{label="value", other=~"re"}`. */
export function formatSelector(selector: SelectorSpec, extra: readonly string[] = []): string {
  return `${selector.metric}${formatMatchers(selector.matchers, extra)}`;
}

const UNITS: readonly [string, number][] = [
  ["y", 365 * 24 * 3600_000],
  ["w", 7 * 24 * 3600_000],
  ["d", 24 * 3600_000],
  ["h", 3600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/** Milliseconds → the canonical Prometheus duration (`90m` → `1h30m`, `0` → `0s`), as Prometheus prints it. */
/** A window as specs write SLO windows: whole days in days (28d, not 4w), else Prometheus' form. */
export function formatWindow(ms: number): string {
  const day = 86_400_000;
  return ms >= day && ms % day === 0 ? `${ms / day}d` : formatDuration(ms);
}

export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  let rest = ms;
  let out = "";
  for (const [unit, size] of UNITS) {
    // Prometheus only uses y/w when they divide exactly; days otherwise.
    if ((unit === "y" || unit === "w") && rest % size !== 0) continue;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

/**
 * A number as PromQL/YAML text without float noise: 12 significant digits are more than any
 * objective or threshold needs and hide artefacts such as 1 - 0.999 = 0.0010000000000000009.
 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  const rounded = Number(n.toPrecision(12));
  if (Object.is(rounded, -0)) return "0";
  const text = String(rounded);
  if (!text.includes("e")) return text;
  // Expand exponents JavaScript uses for very small/large numbers when the plain form is short.
  const plain = expandExponent(text);
  return plain.length <= 24 ? plain : text;
}

/** `1.5e-7` → `0.00000015`, digit for digit. */
function expandExponent(text: string): string {
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, frac = "", expText] = m;
  const digits = lead! + frac;
  const exp = Number(expText);
  // Large numbers keep their exponent: 1e+21 reads better than 22 digits.
  return exp < 0 ? `${sign}0.${"0".repeat(-exp - 1)}${digits}` : text;
}
