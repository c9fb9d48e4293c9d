/**
 * The pieces of Go's strconv and unicode/utf8 that the template engine and
 * fmt need: quoting (%q), Go literal unquoting, ParseFloat, IsPrint.
 *
 * Reference: go1.19 src/strconv/quote.go, atof.go, atoi.go.
 */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** Length in bytes of the UTF-8 encoding (Go's len(s)). */
export function utf8Len(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes bytes as strict UTF-8; undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Number of runes (code points), as utf8.RuneCountInString. */
export function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Compares strings the way Go does: bytewise on UTF-8, i.e. by code point. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

const printRe = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

/**
 * Runes that are printable in Node's (newer) Unicode but were unassigned in
 * Unicode 13.0, which Go 1.19 uses: Go escapes them in %q. Inclusive
 * [lo, hi] pairs, sorted; derived by comparing %q of every rune with go1.19.
 */
const NEWER_UNICODE_PRINT: readonly number[] = [
  0x61d, 0x61d, 0x870, 0x88f, 0x897, 0x89f, 0x8b5, 0x8b5, 0x8c8, 0x8d2, 0xc3c, 0xc3c,
  0xc5c, 0xc5d, 0xcdc, 0xcdd, 0xcf3, 0xcf3, 0xece, 0xece, 0x170d, 0x170d, 0x1715, 0x1715,
  0x171f, 0x171f, 0x180f, 0x180f, 0x1ac1, 0x1add, 0x1ae0, 0x1aeb, 0x1b4c, 0x1b4c, 0x1b4e, 0x1b4f,
  0x1b7d, 0x1b7f, 0x1c89, 0x1c8a, 0x1dfa, 0x1dfa, 0x20c0, 0x20c1, 0x2427, 0x2429, 0x2b96, 0x2b96,
  0x2c2f, 0x2c2f, 0x2c5f, 0x2c5f, 0x2e53, 0x2e5d, 0x2ffc, 0x2fff, 0x31e4, 0x31e5, 0x31ef, 0x31ef,
  0x9ffd, 0x9fff, 0xa7c0, 0xa7c1, 0xa7cb, 0xa7dc, 0xa7f1, 0xa7f4, 0xfbc2, 0xfbd2, 0xfd40, 0xfd4f,
  0xfd90, 0xfd91, 0xfdc8, 0xfdcf, 0xfdfe, 0xfdff, 0x10570, 0x1057a, 0x1057c, 0x1058a, 0x1058c, 0x10592,
  0x10594, 0x10595, 0x10597, 0x105a1, 0x105a3, 0x105b1, 0x105b3, 0x105b9, 0x105bb, 0x105bc, 0x105c0, 0x105f3,
  0x10780, 0x10785, 0x10787, 0x107b0, 0x107b2, 0x107ba, 0x10940, 0x10959, 0x10d40, 0x10d65, 0x10d69, 0x10d85,
  0x10d8e, 0x10d8f, 0x10ec2, 0x10ec7, 0x10ed0, 0x10ed8, 0x10efa, 0x10eff, 0x10f70, 0x10f89, 0x11070, 0x11075,
  0x110c2, 0x110c2, 0x1123f, 0x11241, 0x11380, 0x11389, 0x1138b, 0x1138b, 0x1138e, 0x1138e, 0x11390, 0x113b5,
  0x113b7, 0x113c0, 0x113c2, 0x113c2, 0x113c5, 0x113c5, 0x113c7, 0x113ca, 0x113cc, 0x113d5, 0x113d7, 0x113d8,
  0x113e1, 0x113e2, 0x116b9, 0x116b9, 0x116d0, 0x116e3, 0x11740, 0x11746, 0x11ab0, 0x11abf, 0x11b00, 0x11b09,
  0x11b60, 0x11b67, 0x11bc0, 0x11be1, 0x11bf0, 0x11bf9, 0x11db0, 0x11ddb, 0x11de0, 0x11de9, 0x11f00, 0x11f10,
  0x11f12, 0x11f3a, 0x11f3e, 0x11f5a, 0x12f90, 0x12ff2, 0x1342f, 0x1342f, 0x13440, 0x13455, 0x13460, 0x143fa,
  0x16100, 0x16139, 0x16a70, 0x16abe, 0x16ac0, 0x16ac9, 0x16d40, 0x16d79, 0x16ea0, 0x16eb8, 0x16ebb, 0x16ed3,
  0x16ff2, 0x16ff6, 0x187f8, 0x187ff, 0x18cff, 0x18cff, 0x18d09, 0x18d1e, 0x18d80, 0x18df2, 0x1aff0, 0x1aff3,
  0x1aff5, 0x1affb, 0x1affd, 0x1affe, 0x1b11f, 0x1b122, 0x1b132, 0x1b132, 0x1b155, 0x1b155, 0x1cc00, 0x1ccfc,
  0x1cd00, 0x1ceb3, 0x1ceba, 0x1ced0, 0x1cee0, 0x1cef0, 0x1cf00, 0x1cf2d, 0x1cf30, 0x1cf46, 0x1cf50, 0x1cfc3,
  0x1d1e9, 0x1d1ea, 0x1d2c0, 0x1d2d3, 0x1df00, 0x1df1e, 0x1df25, 0x1df2a, 0x1e030, 0x1e06d, 0x1e08f, 0x1e08f,
  0x1e290, 0x1e2ae, 0x1e4d0, 0x1e4f9, 0x1e5d0, 0x1e5fa, 0x1e5ff, 0x1e5ff, 0x1e6c0, 0x1e6de, 0x1e6e0, 0x1e6f5,
  0x1e6fe, 0x1e6ff, 0x1e7e0, 0x1e7e6, 0x1e7e8, 0x1e7eb, 0x1e7ed, 0x1e7ee, 0x1e7f0, 0x1e7fe, 0x1f6d8, 0x1f6d8,
  0x1f6dc, 0x1f6df, 0x1f774, 0x1f77f, 0x1f7d9, 0x1f7d9, 0x1f7f0, 0x1f7f0, 0x1f8b2, 0x1f8bb, 0x1f8c0, 0x1f8c1,
  0x1f8d0, 0x1f8d8, 0x1f979, 0x1f979, 0x1f9cc, 0x1f9cc, 0x1fa54, 0x1fa57, 0x1fa75, 0x1fa77, 0x1fa7b, 0x1fa7c,
  0x1fa87, 0x1fa8a, 0x1fa8e, 0x1fa8f, 0x1faa9, 0x1faaf, 0x1fab7, 0x1fabf, 0x1fac3, 0x1fac6, 0x1fac8, 0x1fac8,
  0x1facd, 0x1facf, 0x1fad7, 0x1fadc, 0x1fadf, 0x1faea, 0x1faef, 0x1faf8, 0x1fbcb, 0x1fbef, 0x1fbfa, 0x1fbfa,
  0x2a6de, 0x2a6df, 0x2b735, 0x2b73f, 0x2cea2, 0x2cead, 0x2ebf0, 0x2ee5d, 0x31350, 0x33479,
];

export function newerUnicodePrint(cp: number): boolean {
  let lo = 0;
  let hi = NEWER_UNICODE_PRINT.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const a = NEWER_UNICODE_PRINT[2 * mid] as number;
    const b = NEWER_UNICODE_PRINT[2 * mid + 1] as number;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return true;
  }
  return false;
}

/** strconv.IsPrint / unicode.IsPrint: L, M, N, P, S and the ASCII space. */
export function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return printRe.test(String.fromCodePoint(cp)) && !newerUnicodePrint(cp);
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function escapeRune(cp: number, quote: number, asciiOnly: boolean): string {
  if (cp === quote || cp === 0x5c) return "\\" + String.fromCodePoint(cp);
  if (asciiOnly) {
    if (cp < 0x80 && isPrint(cp)) return String.fromCodePoint(cp);
  } else if (isPrint(cp)) {
    return String.fromCodePoint(cp);
  }
  switch (cp) {
    case 7:
      return "\\a";
    case 8:
      return "\\b";
    case 12:
      return "\\f";
    case 10:
      return "\\n";
    case 13:
      return "\\r";
    case 9:
      return "\\t";
    case 11:
      return "\\v";
  }
  if (cp < 0x20 || cp === 0x7f) return "\\x" + hex(cp, 2);
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  if (cp < 0x10000) return "\\u" + hex(cp, 4);
  return "\\U" + hex(cp, 8);
}

/** strconv.Quote (asciiOnly=false) / strconv.QuoteToASCII (asciiOnly=true). */
export function quote(s: string, asciiOnly = false): string {
  let out = '"';
  for (const ch of s) {
    let cp = ch.codePointAt(0) ?? 0;
    // A lone surrogate cannot come from Go; treat it as U+FFFD like TextEncoder.
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    out += escapeRune(cp, 0x22, asciiOnly);
  }
  return out + '"';
}

/** strconv.QuoteRune / QuoteRuneToASCII. */
export function quoteRune(cp: number, asciiOnly = false): string {
  if (cp > 0x10ffff || cp < 0 || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return "'" + escapeRune(cp, 0x27, asciiOnly) + "'";
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0xfeff) return false;
    if (cp === 0x60) return false;
    if (cp < 0x20 && cp !== 9) return false;
    if (cp === 0x7f) return false;
    if (cp >= 0xd800 && cp <= 0xdfff) return false;
  }
  return true;
}

export class SyntaxError_ extends Error {}

/**
 * strconv.UnquoteChar on the start of s. Returns the rune (or byte, for \x
 * and octal escapes: `isByte`) and the remaining text, or undefined on
 * ErrSyntax.
 */
export function unquoteChar(
  s: string,
  quoteCh: string,
): { value: number; isByte: boolean; tail: string } | undefined {
  if (s.length === 0) return undefined;
  const c = s[0] as string;
  if (c === quoteCh && (quoteCh === "'" || quoteCh === '"')) return undefined;
  if (c !== "\\") {
    const cp = s.codePointAt(0) ?? 0;
    const w = cp > 0xffff ? 2 : 1;
    return { value: cp, isByte: false, tail: s.slice(w) };
  }
  if (s.length <= 1) return undefined;
  const e = s[1] as string;
  let rest = s.slice(2);
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 0x5c };
  const simpleVal = simple[e];
  if (simpleVal !== undefined) return { value: simpleVal, isByte: false, tail: rest };
  if (e === "x" || e === "u" || e === "U") {
    const n = e === "x" ? 2 : e === "u" ? 4 : 8;
    if (rest.length < n) return undefined;
    const digits = rest.slice(0, n);
    if (!/^[0-9a-fA-F]+$/.test(digits)) return undefined;
    const v = parseInt(digits, 16);
    rest = rest.slice(n);
    if (e === "x") return { value: v, isByte: true, tail: rest };
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
    return { value: v, isByte: false, tail: rest };
  }
  if (e >= "0" && e <= "7") {
    if (rest.length < 2) return undefined;
    const digits = e + rest.slice(0, 2);
    if (!/^[0-7]{3}$/.test(digits)) return undefined;
    const v = parseInt(digits, 8);
    if (v > 255) return undefined;
    return { value: v, isByte: true, tail: rest.slice(2) };
  }
  if (e === "'" || e === '"') {
    if (e !== quoteCh) return undefined;
    return { value: e.charCodeAt(0), isByte: false, tail: rest };
  }
  return undefined;
}

/**
 * strconv.Unquote for Go string literals ("..." or `...`). Returns
 * `{ ok: false }` on ErrSyntax and `{ ok: false, invalidUtf8: true }` when the
 * literal is valid Go but its bytes are not UTF-8 (not representable here).
 */
export function unquote(lit: string): { ok: true; value: string } | { ok: false; invalidUtf8?: boolean } {
  if (lit.length < 2) return { ok: false };
  const q = lit[0];
  if (q === "`") {
    if (lit[lit.length - 1] !== "`" || lit.slice(1, -1).includes("`")) return { ok: false };
    return { ok: true, value: lit.slice(1, -1).replaceAll("\r", "") };
  }
  if (q !== '"' || lit[lit.length - 1] !== '"') return { ok: false };
  let s = lit.slice(1, -1);
  const bytes: number[] = [];
  while (s.length > 0) {
    if (s[0] === "\n") return { ok: false };
    const r = unquoteChar(s, '"');
    if (r === undefined) return { ok: false };
    if (r.isByte) bytes.push(r.value);
    else for (const b of utf8Bytes(String.fromCodePoint(r.value))) bytes.push(b);
    s = r.tail;
  }
  const value = decodeUtf8(Uint8Array.from(bytes));
  if (value === undefined) return { ok: false, invalidUtf8: true };
  return { ok: true, value };
}

function underscoreOK(s: string): boolean {
  let saw = "^";
  let i = 0;
  if (s.length >= 1 && (s[0] === "-" || s[0] === "+")) s = s.slice(1);
  let isHex = false;
  if (s.length >= 2 && s[0] === "0" && "bBoOxX".includes(s[1] as string)) {
    i = 2;
    saw = "0";
    isHex = s[1] === "x" || s[1] === "X";
  }
  for (; i < s.length; i++) {
    const c = s[i] as string;
    if ((c >= "0" && c <= "9") || (isHex && /[a-fA-F]/.test(c))) {
      saw = "0";
      continue;
    }
    if (c === "_") {
      if (saw !== "0") return false;
      saw = "_";
      continue;
    }
    if (saw === "_") return false;
    saw = "!";
  }
  return saw !== "_";
}

/** Scales an exact binary value m·2^e (m > 0) to the nearest float64. */
function binaryToFloat(m: bigint, e: number): number {
  const bl = m.toString(2).length;
  const top = e + bl - 1; // value in [2^top, 2^(top+1))
  if (top > 1023) return Infinity;
  let keep = 53;
  if (top < -1022) keep = 53 - (-1022 - top);
  if (keep <= 0) {
    // Below half the smallest subnormal (or exactly half: ties-to-even → 0).
    if (keep === 0 && m > 1n << BigInt(bl - 1)) return 5e-324;
    return 0;
  }
  let shift = bl - keep;
  let q = m;
  if (shift > 0) {
    const rem = m & ((1n << BigInt(shift)) - 1n);
    q = m >> BigInt(shift);
    const half = 1n << BigInt(shift - 1);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  } else {
    shift = 0;
  }
  let x = Number(q);
  let a = e + shift;
  while (a > 0) {
    const k = Math.min(a, 1000);
    x *= 2 ** k;
    a -= k;
  }
  while (a < 0) {
    const k = Math.min(-a, 1000);
    x *= 2 ** -k;
    a += k;
  }
  return x;
}

export type ParseFloatResult = { ok: true; value: number } | { ok: false; value: number; err: string };

/** strconv.ParseFloat(s, 64), including its error texts. */
export function parseFloat64(s: string): ParseFloatResult {
  const syntax = (): ParseFloatResult => ({
    ok: false,
    value: 0,
    err: `strconv.ParseFloat: parsing ${quote(s)}: invalid syntax`,
  });
  // special(): Inf/Infinity (optionally signed) and NaN.
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return { ok: true, value: special[1] === "-" ? -Infinity : Infinity };
  if (/^nan$/i.test(s)) return { ok: true, value: NaN };

  const dec = /^[+-]?(?:[0-9_]+\.?[0-9_]*|\.[0-9_]+)(?:[eE][+-]?[0-9][0-9_]*)?$/;
  const hexRe = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9][0-9_]*)$/;
  const neg = s.startsWith("-");
  let value: number;
  const h = hexRe.exec(s);
  if (h) {
    const intPart = (h[2] ?? "").replaceAll("_", "");
    const fracPart = (h[3] ?? "").replaceAll("_", "");
    if (intPart.length + fracPart.length === 0) return syntax();
    if (s.includes("_") && !underscoreOK(s)) return syntax();
    const m = BigInt("0x" + (intPart + fracPart || "0"));
    const e = parseInt((h[4] ?? "0").replaceAll("_", ""), 10) - 4 * fracPart.length;
    value = m === 0n ? 0 : binaryToFloat(m, Math.max(Math.min(e, 100000), -100000));
  } else {
    if (!dec.test(s) || !/[0-9]/.test(s)) return syntax();
    if (s.includes("_") && !underscoreOK(s)) return syntax();
    value = Math.abs(Number(s.replaceAll("_", "").replace(/^[+-]/, "")));
  }
  if (neg) value = -value;
  if (!Number.isFinite(value)) {
    return { ok: false, value, err: `strconv.ParseFloat: parsing ${quote(s)}: value out of range` };
  }
  return { ok: true, value };
}

/**
 * strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) used by the template
 * parser for number literals. Returns the value or undefined.
 */
export function parseGoInt(s: string, unsigned: boolean): bigint | undefined {
  let neg = false;
  let body = s;
  if (!unsigned && (body.startsWith("+") || body.startsWith("-"))) {
    neg = body[0] === "-";
    body = body.slice(1);
  }
  let base = 10;
  let digits = body;
  if (/^0[xX]/.test(body)) {
    base = 16;
    digits = body.slice(2);
  } else if (/^0[bB]/.test(body)) {
    base = 2;
    digits = body.slice(2);
  } else if (/^0[oO]/.test(body)) {
    base = 8;
    digits = body.slice(2);
  } else if (/^0/.test(body) && body.length > 1) {
    base = 8;
    digits = body.slice(1);
  }
  if (body.includes("_") && !underscoreOK(body)) return undefined;
  const clean = digits.replaceAll("_", "");
  if (clean.length === 0) {
    // "0x" alone is invalid; a leading-zero octal "0_" was cleaned to "".
    if (base === 8 && body.length > 1 && !/^0[oO]/.test(body)) return 0n;
    return undefined;
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ }[base as 2 | 8 | 10 | 16];
  if (!valid.test(clean)) return undefined;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  let v = BigInt(prefix + clean);
  if (neg) v = -v;
  if (unsigned) return v <= 0xffffffffffffffffn ? v : undefined;
  return v >= -(1n << 63n) && v < 1n << 63n ? v : undefined;
}
