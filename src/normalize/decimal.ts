/**
 * Exact decimal arithmetic for objectives: 100 - 99.9 must be 0.1, never 0.09999999999999432.
 * Objectives are short decimals, so scaling to integers is exact.
 */
import { formatNumber } from "../promql/format.js";

function decimals(text: string): number {
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** `scaled / 10^exp` as a decimal string without exponent. */
function shift(scaled: bigint, exp: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(exp + 1, "0");
  const int = digits.slice(0, digits.length - exp);
  const frac = digits.slice(digits.length - exp).replace(/0+$/, "");
  return (negative ? "-" : "") + int + (frac ? "." + frac : "");
}

/** Objective percent → { ratio, budget } as exact decimal text, e.g. 99.9 → 0.999 / 0.001. */
export function objectiveRatios(objectivePercent: number): { ratio: string; budget: string } {
  const text = formatNumber(objectivePercent);
  const d = decimals(text);
  const scaled = BigInt(text.replace(".", ""));
  const hundred = 100n * 10n ** BigInt(d);
  return { ratio: shift(scaled, d + 2), budget: shift(hundred - scaled, d + 2) };
}
