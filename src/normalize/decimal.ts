/**
 * Exact decimal arithmetic for objectives: 100 - 99.9 must be 0.1, never 0.09999999999999432.
 * Objectives are short decimals, so scaling to integers is exact.
 */
import { formatNumber } from "../promql/format.js";

/** `scaled / 10^exp` as a decimal string without exponent. */
function shift(scaled: bigint, exp: number): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(exp + 1, "0");
  const int = digits.slice(0, digits.length - exp);
  const frac = digits.slice(digits.length - exp).replace(/0+$/, "");
  return (negative ? "-" : "") + int + (frac ? "." + frac : "");
}

/**
 * A number's shortest decimal text as an integer and a power of ten: `99.9` → 999 / 10^1,
 * `5e-324` → 5 / 10^324 (exponent forms are expanded exactly, never through BigInt("5e-324")).
 */
function scaledDecimal(n: number): { scaled: bigint; exp: number } {
  const text = formatNumber(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!m) throw new Error(`not a finite decimal: ${text}`);
  const [, sign, int, frac = "", e = "0"] = m;
  const exp = frac.length - Number(e);
  const digits = BigInt(`${sign}${int}${frac}`);
  return exp >= 0 ? { scaled: digits, exp } : { scaled: digits * 10n ** BigInt(-exp), exp: 0 };
}

/** Objective percent → { ratio, budget } as exact decimal text, e.g. 99.9 → 0.999 / 0.001. */
export function objectiveRatios(objectivePercent: number): { ratio: string; budget: string } {
  const { scaled, exp } = scaledDecimal(objectivePercent);
  const hundred = 100n * 10n ** BigInt(exp);
  return { ratio: shift(scaled, exp + 2), budget: shift(hundred - scaled, exp + 2) };
}
