/**
 * Go's strconv.FormatFloat(v, fmt, prec, 64), re-implemented for JS numbers.
 *
 * Reference: go1.19 src/strconv/ftoa.go (genericFtoa, bigFtoa, formatDigits,
 * fmtE, fmtF, fmtX) and src/strconv/decimal.go (Round / shouldRoundUp).
 *
 * Strategy:
 *  - shortest (prec < 0): JS's Number#toExponential() without an argument is
 *    specified to yield the shortest digit string that round-trips (closest
 *    to the exact value on ties), which is the same digit string Go's Ryu
 *    shortest conversion produces.
 *  - fixed precision: we compute the *exact* decimal expansion of the double
 *    with BigInt and round it half-to-even, which is what both of Go's paths
 *    (ryuFtoaFixed64 and the big decimal fallback) do. We deliberately avoid
 *    toFixed/toPrecision: they round exact ties away from zero
 *    ((0.125).toFixed(2) === "0.13" while Go prints "0.12").
 */

export type FloatFormat = "b" | "e" | "E" | "f" | "g" | "G" | "x" | "X";

/** Decimal digits without leading/trailing zeros; value = 0.d1d2d3... × 10^dp. */
interface Digits {
  d: string;
  dp: number;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** Raw IEEE-754 fields of a float64 (bias not applied). */
export function float64Bits(v: number): { neg: boolean; exp: number; mant: bigint } {
  f64[0] = v;
  const bits = u64[0] ?? 0n;
  return {
    neg: bits >> 63n === 1n,
    exp: Number((bits >> 52n) & 0x7ffn),
    mant: bits & 0xfffffffffffffn,
  };
}

/** The exact decimal expansion of a finite, non-zero |v|. */
function exactDigits(v: number): Digits {
  const { exp, mant: rawMant } = float64Bits(v);
  let mant = rawMant;
  let e2: number;
  if (exp === 0) {
    e2 = 1 - 1075; // subnormal
  } else {
    mant |= 1n << 52n;
    e2 = exp - 1075;
  }
  let s: string;
  let dp: number;
  if (e2 >= 0) {
    s = (mant << BigInt(e2)).toString();
    dp = s.length;
  } else {
    // mant / 2^k == mant * 5^k / 10^k
    s = (mant * 5n ** BigInt(-e2)).toString();
    dp = s.length + e2;
  }
  return trimZeros({ d: s, dp });
}

function trimZeros(x: Digits): Digits {
  let end = x.d.length;
  while (end > 0 && x.d.charCodeAt(end - 1) === 48) end--;
  let start = 0;
  while (start < end && x.d.charCodeAt(start) === 48) start++;
  if (start === end) return { d: "", dp: 0 };
  return { d: x.d.slice(start, end), dp: x.dp - start };
}

/** Shortest round-tripping digits of a finite, non-zero |v|. */
function shortestDigits(v: number): Digits {
  const s = Math.abs(v).toExponential(); // "d.ddde+x"
  const eIdx = s.indexOf("e");
  const mantissa = s.slice(0, eIdx).replace(".", "");
  const exp = Number(s.slice(eIdx + 1));
  return trimZeros({ d: mantissa, dp: exp + 1 });
}

/** decimal.Round(nd) from strconv/decimal.go: keep nd digits, round half to even. */
function roundDigits(x: Digits, nd: number): Digits {
  if (nd < 0 || nd >= x.d.length) return x;
  const next = x.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === x.d.length) {
    // Exactly halfway (digits are exact): round to even.
    up = nd > 0 && (x.d.charCodeAt(nd - 1) - 48) % 2 !== 0;
  } else {
    up = next >= 5;
  }
  if (!up) return trimZeros({ d: x.d.slice(0, nd), dp: x.dp });
  for (let i = nd - 1; i >= 0; i--) {
    const c = x.d.charCodeAt(i);
    if (c < 57) {
      return { d: x.d.slice(0, i) + String.fromCharCode(c + 1), dp: x.dp };
    }
  }
  return { d: "1", dp: x.dp + 1 };
}

function fmtE(neg: boolean, x: Digits, prec: number, fmt: "e" | "E"): string {
  let out = neg ? "-" : "";
  out += x.d.length !== 0 ? x.d[0] : "0";
  if (prec > 0) {
    out += ".";
    const m = Math.min(x.d.length, prec + 1);
    let i = 1;
    if (i < m) {
      out += x.d.slice(1, m);
      i = m;
    }
    for (; i <= prec; i++) out += "0";
  }
  out += fmt;
  let exp = x.d.length === 0 ? 0 : x.dp - 1;
  out += exp < 0 ? "-" : "+";
  exp = Math.abs(exp);
  out += exp < 10 ? "0" + String(exp) : String(exp);
  return out;
}

function fmtF(neg: boolean, x: Digits, prec: number): string {
  let out = neg ? "-" : "";
  if (x.dp > 0) {
    const m = Math.min(x.d.length, x.dp);
    out += x.d.slice(0, m);
    out += "0".repeat(x.dp - m);
  } else {
    out += "0";
  }
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      const j = x.dp + i;
      out += j >= 0 && j < x.d.length ? x.d[j] : "0";
    }
  }
  return out;
}

/** %x / %X hexadecimal floating point (strconv fmtX). */
function fmtX(v: number, prec: number, fmt: "x" | "X"): string {
  const MASK = (1n << 64n) - 1n;
  const bits = float64Bits(v);
  let mant = bits.mant;
  let exp = bits.exp;
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp -= 1023;
  if (mant === 0n) exp = 0;
  mant = (mant << 8n) & MASK; // mant <<= 60 - mantbits
  while (mant !== 0n && (mant & (1n << 60n)) === 0n) {
    mant = (mant << 1n) & MASK;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & ((1n << 60n) - 1n);
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > 1n << 59n) mant++;
    mant = (mant << (60n - shift)) & MASK;
    if ((mant & (1n << 61n)) !== 0n) {
      mant >>= 1n;
      exp++;
    }
  }
  const hex = fmt === "X" ? "0123456789ABCDEF" : "0123456789abcdef";
  let out = bits.neg ? "-" : "";
  out += "0" + fmt + String(Number((mant >> 60n) & 1n));
  mant = (mant << 4n) & MASK;
  if (prec < 0 && mant !== 0n) {
    out += ".";
    while (mant !== 0n) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK;
    }
  } else if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      out += hex[Number((mant >> 60n) & 15n)];
      mant = (mant << 4n) & MASK;
    }
  }
  out += fmt === "X" ? "P" : "p";
  out += exp < 0 ? "-" : "+";
  const a = Math.abs(exp);
  out += a < 10 ? "0" + String(a) : String(a);
  return out;
}

/** %b: decimal mantissa and binary exponent, e.g. 4503599627370496p-52. */
function fmtB(v: number): string {
  const bits = float64Bits(v);
  let mant = bits.mant;
  let exp = bits.exp;
  if (exp === 0) exp++;
  else mant |= 1n << 52n;
  exp = exp - 1023 - 52;
  return (bits.neg ? "-" : "") + mant.toString() + "p" + (exp >= 0 ? "+" : "") + String(exp);
}

/**
 * strconv.FormatFloat(v, fmt, prec, 64). prec < 0 means "shortest
 * representation that round-trips".
 */
export function formatFloat(v: number, fmt: FloatFormat, prec: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (fmt === "x" || fmt === "X") return fmtX(v, prec, fmt);
  if (fmt === "b") return fmtB(v);
  const neg = v < 0 || Object.is(v, -0);
  const shortest = prec < 0;
  let digs: Digits;
  if (v === 0) {
    digs = { d: "", dp: 0 };
  } else if (shortest) {
    digs = shortestDigits(v);
  } else {
    const exact = exactDigits(v);
    switch (fmt) {
      case "e":
      case "E":
        digs = roundDigits(exact, prec + 1);
        break;
      case "f":
        digs = roundDigits(exact, exact.dp + prec);
        break;
      default:
        if (prec === 0) prec = 1;
        digs = roundDigits(exact, prec);
    }
  }
  if (shortest) {
    switch (fmt) {
      case "e":
      case "E":
        prec = Math.max(digs.d.length - 1, 0);
        break;
      case "f":
        prec = Math.max(digs.d.length - digs.dp, 0);
        break;
      default:
        prec = digs.d.length;
    }
  } else if ((fmt === "g" || fmt === "G") && prec === 0) {
    prec = 1;
  }
  switch (fmt) {
    case "e":
    case "E":
      return fmtE(neg, digs, prec, fmt);
    case "f":
      return fmtF(neg, digs, prec);
    default: {
      // %e is used if the exponent from the conversion is less than -4 or
      // greater than or equal to the precision; for shortest the threshold
      // is fixed at 6 (so 1e+06 but 100000).
      const nd = digs.d.length;
      let eprec = prec;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      if (shortest) eprec = 6;
      const exp = digs.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, digs, prec - 1, fmt === "g" ? "e" : "E");
      }
      if (prec > digs.dp) prec = nd;
      return fmtF(neg, digs, Math.max(prec - digs.dp, 0));
    }
  }
}
