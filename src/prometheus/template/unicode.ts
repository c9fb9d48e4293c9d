/**
 * Go's per-rune case mapping (unicode.ToUpper/ToLower/ToTitle) and the
 * strings.ToUpper / ToLower / Title built on it.
 *
 * Go uses the *simple* (1:1) case mappings of UnicodeData.txt; JS's
 * toUpperCase uses the full mappings of SpecialCasing.txt ("ß" → "SS"). We map
 * rune by rune and fall back to Go's simple mapping wherever JS would change
 * the length. Reference: go1.19 src/strings/strings.go (Map, Title,
 * isSeparator), src/unicode/letter.go.
 */

import { newerUnicodePrint } from "./strconv.js";

const letterRe = /^\p{L}$/u;
const digitRe = /^\p{Nd}$/u;

export function isLetter(cp: number): boolean {
  if (cp < 0x80) return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
  // Runes assigned after Unicode 13 are not letters to Go 1.19.
  return letterRe.test(String.fromCodePoint(cp)) && !newerUnicodePrint(cp);
}

/** unicode.IsDigit: decimal digits (Nd) only. */
export function isDigit(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return digitRe.test(String.fromCodePoint(cp)) && !newerUnicodePrint(cp);
}

/** unicode.IsSpace (White_Space property; note: not U+FEFF, unlike JS \s). */
export function isSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

/**
 * Runes whose simple uppercase differs from both themselves and JS's full
 * mapping (Greek with ypogegrammeni: full "ἈΙ", simple "ᾈ").
 */
function simpleUpperSpecial(cp: number): number | undefined {
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) {
    return cp + 8;
  }
  if (cp === 0x1fb3) return 0x1fbc;
  if (cp === 0x1fc3) return 0x1fcc;
  if (cp === 0x1ff3) return 0x1ffc;
  return undefined;
}

/**
 * Runes whose case mapping only exists in Unicode versions newer than the
 * 13.0 tables of Go 1.19 (Node's ICU is newer): Go leaves them unchanged.
 * Derived by comparing every rune against go1.19's strings.ToUpper/ToLower.
 */
const NEWER_UNICODE_CASED: ReadonlyArray<readonly [number, number]> = [
  [0x19b, 0x19b], [0x264, 0x264], [0x1c89, 0x1c8a], [0x2c2f, 0x2c2f], [0x2c5f, 0x2c5f],
  [0xa7c0, 0xa7c1], [0xa7cb, 0xa7dc], [0x10570, 0x1057a], [0x1057c, 0x1058a], [0x1058c, 0x10592],
  [0x10594, 0x10595], [0x10597, 0x105a1], [0x105a3, 0x105b1], [0x105b3, 0x105b9], [0x105bb, 0x105bc],
  [0x10d50, 0x10d65], [0x10d70, 0x10d85], [0x16ea0, 0x16eb8], [0x16ebb, 0x16ed3],
];

function newerUnicode(cp: number): boolean {
  return NEWER_UNICODE_CASED.some(([lo, hi]) => cp >= lo && cp <= hi);
}

function single(s: string): number | undefined {
  const cp = s.codePointAt(0);
  if (cp === undefined) return undefined;
  return s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

export function toUpperRune(cp: number): number {
  if (cp < 0x80) return cp >= 0x61 && cp <= 0x7a ? cp - 32 : cp;
  const special = simpleUpperSpecial(cp);
  if (special !== undefined) return special;
  if (newerUnicode(cp)) return cp;
  return single(String.fromCodePoint(cp).toUpperCase()) ?? cp;
}

export function toLowerRune(cp: number): number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  if (cp === 0x130) return 0x69; // İ: simple lowercase is plain "i"
  if (newerUnicode(cp)) return cp;
  return single(String.fromCodePoint(cp).toLowerCase()) ?? cp;
}

export function toTitleRune(cp: number): number {
  // Latin digraphs have a distinct titlecase form.
  switch (cp) {
    case 0x1c4:
    case 0x1c5:
    case 0x1c6:
      return 0x1c5;
    case 0x1c7:
    case 0x1c8:
    case 0x1c9:
      return 0x1c8;
    case 0x1ca:
    case 0x1cb:
    case 0x1cc:
      return 0x1cb;
    case 0x1f1:
    case 0x1f2:
    case 0x1f3:
      return 0x1f2;
  }
  // Georgian Mkhedruli has an uppercase (Mtavruli) but titlecases to itself.
  if ((cp >= 0x10d0 && cp <= 0x10fa) || (cp >= 0x10fd && cp <= 0x10ff)) return cp;
  return toUpperRune(cp);
}

function mapRunes(s: string, f: (cp: number) => number): string {
  let out = "";
  for (const ch of s) out += String.fromCodePoint(f(ch.codePointAt(0) ?? 0));
  return out;
}

export function goToUpper(s: string): string {
  return mapRunes(s, toUpperRune);
}

export function goToLower(s: string): string {
  return mapRunes(s, toLowerRune);
}

/** strings.isSeparator, used by strings.Title. */
function isSeparator(cp: number): boolean {
  if (cp <= 0x7f) {
    if (cp >= 0x30 && cp <= 0x39) return false;
    if (cp >= 0x61 && cp <= 0x7a) return false;
    if (cp >= 0x41 && cp <= 0x5a) return false;
    if (cp === 0x5f) return false;
    return true;
  }
  if (isLetter(cp) || isDigit(cp)) return false;
  return isSpace(cp);
}

/** strings.Title (deprecated in Go, still what Prometheus' `title` calls). */
export function goTitle(s: string): string {
  let prev = 0x20;
  return mapRunes(s, (cp) => {
    const sep = isSeparator(prev);
    prev = cp;
    return sep ? toTitleRune(cp) : cp;
  });
}
