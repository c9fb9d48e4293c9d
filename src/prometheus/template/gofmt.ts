/**
 * Go's fmt.Sprintf / Sprint / Sprintln for the value types a Prometheus
 * alert template can produce, plus strconv.FormatFloat (re-exported from
 * ftoa.ts).
 *
 * Reference: go1.19 src/fmt/print.go (doPrintf, printArg, printValue,
 * badVerb, doPrint, doPrintln) and src/fmt/format.go (fmtInteger, fmtFloat,
 * fmtS, fmtQ, fmtSbx, pad).
 *
 * Argument typing: a plain JS `number` is a Go float64 — always, also for
 * %d — because that is the type of `$value` and `.Value` in Prometheus, and
 * Go prints `printf "%d" $value` as `%!d(float64=1)`. Pass a `bigint` (or
 * `goInt(n)`) for a Go int. Strings, booleans and null/undefined (nil) map
 * naturally; other Go types are passed as GoValue objects (see govalue.ts).
 */

import { formatFloat, type FloatFormat } from "./ftoa.js";
import {
  type GoValue,
  goTypeName,
  isStringKind,
  timeString,
  toGoValue,
  UnsupportedError,
} from "./govalue.js";
import { canBackquote, compareGoStrings, isPrint, quote, quoteRune, runeCount, utf8Bytes } from "./strconv.js";

export { formatFloat, type FloatFormat } from "./ftoa.js";

const LDIGITS = "0123456789abcdefx";
const UDIGITS = "0123456789ABCDEFX";

interface Flags {
  widPresent: boolean;
  precPresent: boolean;
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  plusV: boolean;
  sharpV: boolean;
  wid: number;
  prec: number;
}

function clearFlags(): Flags {
  return {
    widPresent: false,
    precPresent: false,
    minus: false,
    plus: false,
    sharp: false,
    space: false,
    zero: false,
    plusV: false,
    sharpV: false,
    wid: 0,
    prec: 0,
  };
}

/** Go's fmt "pp" printer state. */
class Printer {
  buf = "";
  f: Flags = clearFlags();
  erroring = false;

  // ---- format.go ---------------------------------------------------------

  writePadding(n: number): void {
    if (n <= 0) return;
    this.buf += (this.f.zero ? "0" : " ").repeat(n);
  }

  pad(s: string): void {
    if (!this.f.widPresent || this.f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = this.f.wid - runeCount(s);
    if (!this.f.minus) {
      this.writePadding(width);
      this.buf += s;
    } else {
      this.buf += s;
      this.writePadding(width);
    }
  }

  fmtBoolean(v: boolean): void {
    this.pad(v ? "true" : "false");
  }

  fmtUnicode(u: bigint): void {
    let prec = 4;
    if (this.f.precPresent && this.f.prec > 4) prec = this.f.prec;
    let hex = u.toString(16).toUpperCase();
    if (hex.length < prec) hex = "0".repeat(prec - hex.length) + hex;
    let s = "U+" + hex;
    if (this.f.sharp && u <= 0x10ffffn && isPrint(Number(u))) {
      s += " '" + String.fromCodePoint(Number(u)) + "'";
    }
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  /** fmt.fmtInteger; `v` is the mathematical value (negative only if signed). */
  fmtInteger(v: bigint, base: number, verb: string, digits: string): void {
    const negative = v < 0n;
    let u = negative ? -v : v;
    let prec = 0;
    if (this.f.precPresent) {
      prec = this.f.prec;
      if (prec === 0 && u === 0n) {
        const oldZero = this.f.zero;
        this.f.zero = false;
        this.writePadding(this.f.wid);
        this.f.zero = oldZero;
        return;
      }
    } else if (this.f.zero && this.f.widPresent) {
      prec = this.f.wid;
      if (negative || this.f.plus || this.f.space) prec--;
    }
    let s = "";
    const b = BigInt(base);
    do {
      s = (digits[Number(u % b)] as string) + s;
      u /= b;
    } while (u > 0n);
    if (s.length < prec) s = "0".repeat(prec - s.length) + s;
    if (this.f.sharp) {
      if (base === 2) s = "0b" + s;
      else if (base === 8 && s[0] !== "0") s = "0" + s;
      else if (base === 16) s = "0" + digits[16] + s;
    }
    if (verb === "O") s = "0o" + s;
    if (negative) s = "-" + s;
    else if (this.f.plus) s = "+" + s;
    else if (this.f.space) s = " " + s;
    const oldZero = this.f.zero;
    this.f.zero = false;
    this.pad(s);
    this.f.zero = oldZero;
  }

  truncateString(s: string): string {
    if (this.f.precPresent) {
      let n = this.f.prec;
      let i = 0;
      for (const ch of s) {
        n--;
        if (n < 0) return s.slice(0, i);
        i += ch.length;
      }
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncateString(s));
  }

  fmtSx(s: string, digits: string): void {
    const bytes = utf8Bytes(s);
    let length = bytes.length;
    if (this.f.precPresent && this.f.prec < length) length = this.f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (this.f.space) {
        if (this.f.sharp) width *= 2;
        width += length - 1;
      } else if (this.f.sharp) {
        width += 2;
      }
    } else {
      if (this.f.widPresent) this.writePadding(this.f.wid);
      return;
    }
    if (this.f.widPresent && this.f.wid > width && !this.f.minus) this.writePadding(this.f.wid - width);
    let out = "";
    if (this.f.sharp) out += "0" + digits[16];
    for (let i = 0; i < length; i++) {
      if (this.f.space && i > 0) {
        out += " ";
        if (this.f.sharp) out += "0" + digits[16];
      }
      const c = bytes[i] ?? 0;
      out += (digits[c >> 4] as string) + (digits[c & 0xf] as string);
    }
    this.buf += out;
    if (this.f.widPresent && this.f.wid > width && this.f.minus) this.writePadding(this.f.wid - width);
  }

  fmtQ(s: string): void {
    s = this.truncateString(s);
    if (this.f.sharp && canBackquote(s)) {
      this.pad("`" + s + "`");
      return;
    }
    this.pad(quote(s, this.f.plus));
  }

  fmtC(u: bigint): void {
    let cp = u > 0x10ffffn ? 0xfffd : Number(u);
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    this.pad(String.fromCodePoint(cp));
  }

  fmtQc(u: bigint): void {
    const cp = u > 0x10ffffn ? 0xfffd : Number(u);
    this.pad(quoteRune(cp, this.f.plus));
  }

  /** format.go fmtFloat. */
  fmtFloatRaw(v: number, verb: FloatFormat, prec: number): void {
    if (this.f.precPresent) prec = this.f.prec;
    let num = formatFloat(v, verb, prec);
    if (num[0] !== "-" && num[0] !== "+") num = "+" + num;
    if (this.f.space && num[0] === "+" && !this.f.plus) num = " " + num.slice(1);
    if (num[1] === "I" || num[1] === "N") {
      const oldZero = this.f.zero;
      this.f.zero = false;
      if (num[1] === "N" && !this.f.space && !this.f.plus) num = num.slice(1);
      this.pad(num);
      this.f.zero = oldZero;
      return;
    }
    if (this.f.sharp && verb !== "b") {
      let digits = 0;
      if (verb === "g" || verb === "G" || verb === "x") {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = "";
      let body = num;
      let hasDecimalPoint = false;
      let sawNonzeroDigit = false;
      for (let i = 1; i < body.length; i++) {
        const c = body[i] as string;
        if (c === ".") {
          hasDecimalPoint = true;
        } else if (c === "p" || c === "P") {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else if ((c === "e" || c === "E") && verb !== "x" && verb !== "X") {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (c !== "0") sawNonzeroDigit = true;
          if (sawNonzeroDigit) digits--;
        }
      }
      if (!hasDecimalPoint) {
        if (body.length === 2 && body[1] === "0") digits--;
        body += ".";
      }
      while (digits > 0) {
        body += "0";
        digits--;
      }
      num = body + tail;
    }
    if (this.f.plus || num[0] !== "+") {
      if (this.f.zero && this.f.widPresent && this.f.wid > num.length) {
        this.buf += num[0];
        this.writePadding(this.f.wid - num.length);
        this.buf += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  // ---- print.go ----------------------------------------------------------

  badVerb(verb: string, arg: GoValue): void {
    this.erroring = true;
    this.buf += "%!" + verb + "(";
    if (arg.goType === "nil") {
      this.buf += "<nil>";
    } else {
      this.buf += goTypeName(arg) + "=";
      this.printArg(arg, "v");
    }
    this.buf += ")";
    this.erroring = false;
  }

  fmtBool(v: boolean, verb: string, arg: GoValue): void {
    if (verb === "t" || verb === "v") this.fmtBoolean(v);
    else this.badVerb(verb, arg);
  }

  fmtIntegerVerb(v: bigint, signed: boolean, verb: string, arg: GoValue): void {
    switch (verb) {
      case "v":
        if (this.f.sharpV && !signed) {
          const sharp = this.f.sharp;
          this.f.sharp = true;
          this.fmtInteger(v, 16, "v", LDIGITS);
          this.f.sharp = sharp;
        } else {
          this.fmtInteger(v, 10, verb, LDIGITS);
        }
        return;
      case "d":
        return this.fmtInteger(v, 10, verb, LDIGITS);
      case "b":
        return this.fmtInteger(v, 2, verb, LDIGITS);
      case "o":
      case "O":
        return this.fmtInteger(v, 8, verb, LDIGITS);
      case "x":
        return this.fmtInteger(v, 16, verb, LDIGITS);
      case "X":
        return this.fmtInteger(v, 16, verb, UDIGITS);
      case "c":
        return this.fmtC(signed && v < 0n ? BigInt.asUintN(64, v) : v);
      case "q":
        return this.fmtQc(signed && v < 0n ? BigInt.asUintN(64, v) : v);
      case "U":
        return this.fmtUnicode(signed && v < 0n ? BigInt.asUintN(64, v) : v);
      default:
        this.badVerb(verb, arg);
    }
  }

  fmtFloatVerb(v: number, verb: string, arg: GoValue): void {
    switch (verb) {
      case "v":
        return this.fmtFloatRaw(v, "g", -1);
      case "g":
      case "G":
      case "x":
      case "X":
        return this.fmtFloatRaw(v, verb, -1);
      case "f":
      case "e":
      case "E":
        return this.fmtFloatRaw(v, verb, 6);
      case "F":
        return this.fmtFloatRaw(v, "f", 6);
      case "b":
        return this.fmtFloatRaw(v, "b", -1);
      default:
        this.badVerb(verb, arg);
    }
  }

  fmtString(s: string, verb: string, arg: GoValue): void {
    switch (verb) {
      case "v":
        if (this.f.sharpV) this.fmtQ(s);
        else this.fmtS(s);
        return;
      case "s":
        return this.fmtS(s);
      case "x":
        return this.fmtSx(s, LDIGITS);
      case "X":
        return this.fmtSx(s, UDIGITS);
      case "q":
        return this.fmtQ(s);
      default:
        this.badVerb(verb, arg);
    }
  }

  /** handleMethods for *time.Time (a fmt.Stringer); true when handled. */
  handleMethods(arg: GoValue, verb: string): boolean {
    if (this.erroring || arg.goType !== "*time.Time") return false;
    if (this.f.sharpV) throw new UnsupportedError("%#v of a time.Time is not supported");
    if (verb === "v" || verb === "s" || verb === "x" || verb === "X" || verb === "q") {
      this.fmtString(timeString(arg), verb, arg);
      return true;
    }
    return false;
  }

  printArg(arg: GoValue, verb: string): void {
    if (arg.goType === "nil") {
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb, arg);
      return;
    }
    if (verb === "T") {
      this.fmtS(goTypeName(arg));
      return;
    }
    if (verb === "p") {
      if (arg.goType === "map[string]string" || arg.goType === "*time.Time") {
        throw new UnsupportedError("%p prints a memory address");
      }
      this.badVerb(verb, arg);
      return;
    }
    if (this.handleMethods(arg, verb)) return;
    this.printValue(arg, verb, 0);
  }

  printValue(v: GoValue, verb: string, depth: number): void {
    if (depth > 0 && this.handleMethods(v, verb)) return;
    switch (v.goType) {
      case "nil":
        // A nil interface inside a composite value.
        if (verb === "v") this.buf += "<nil>";
        else this.badVerb(verb, v);
        return;
      case "bool":
        return this.fmtBool(v.value, verb, v);
      case "int":
        return this.fmtIntegerVerb(v.value, true, verb, v);
      case "uint8":
        return this.fmtIntegerVerb(BigInt(v.value), false, verb, v);
      case "float64":
        return this.fmtFloatVerb(v.value, verb, v);
      case "string":
      case "template.HTML":
        return this.fmtString(v.value, verb, v);
      case "map[string]string": {
        if (this.f.sharpV) {
          this.buf += "map[string]string";
          if (v.value === null) {
            this.buf += "(nil)";
            return;
          }
          this.buf += "{";
        } else {
          this.buf += "map[";
        }
        const keys = v.value === null ? [] : [...v.value.keys()].sort(compareGoStrings);
        keys.forEach((k, i) => {
          if (i > 0) this.buf += this.f.sharpV ? ", " : " ";
          this.printValue({ goType: "string", value: k }, verb, depth + 1);
          this.buf += ":";
          this.printValue({ goType: "string", value: v.value?.get(k) ?? "" }, verb, depth + 1);
        });
        this.buf += this.f.sharpV ? "}" : "]";
        return;
      }
      case "struct": {
        if (this.f.sharpV) this.buf += v.typeName;
        this.buf += "{";
        v.fields.forEach((field, i) => {
          if (i > 0) this.buf += this.f.sharpV ? ", " : " ";
          if (this.f.plusV || this.f.sharpV) this.buf += field.name + ":";
          this.printValue(field.value, verb, depth + 1);
        });
        this.buf += "}";
        return;
      }
      case "*time.Time":
        // Only reachable for verbs time.Time's String method does not
        // handle; Go would dump its unexported fields and a pointer.
        throw new UnsupportedError(`%${verb} of a *time.Time is not supported`);
    }
  }

  // ---- doPrintf ----------------------------------------------------------

  doPrintf(format: string, a: readonly GoValue[]): void {
    const end = format.length;
    let argNum = 0;
    let afterIndex = false;
    let reordered = false;
    let goodArgNum = true;

    const intFromArg = (n: number): { num: number; isInt: boolean; newArgNum: number } => {
      let num = 0;
      let isInt = false;
      let newArgNum = n;
      if (n < a.length) {
        const arg = a[n] as GoValue;
        if (arg.goType === "int") {
          if (arg.value >= -(1n << 63n) && arg.value < 1n << 63n) {
            num = Number(arg.value);
            isInt = true;
          }
        } else if (arg.goType === "uint8") {
          num = arg.value;
          isInt = true;
        }
        newArgNum = n + 1;
        if (num > 1e6 || num < -1e6) {
          num = 0;
          isInt = false;
        }
      }
      return { num, isInt, newArgNum };
    };

    const parsenum = (start: number): { num: number; isnum: boolean; newi: number } => {
      if (start >= end) return { num: 0, isnum: false, newi: end };
      let num = 0;
      let isnum = false;
      let newi = start;
      for (; newi < end && format[newi] !== undefined && format[newi]! >= "0" && format[newi]! <= "9"; newi++) {
        if (num > 1e6 || num < -1e6) return { num: 0, isnum: false, newi: end };
        num = num * 10 + (format.charCodeAt(newi) - 48);
        isnum = true;
      }
      return { num, isnum, newi };
    };

    const argNumber = (n: number, i: number): { argNum: number; i: number; found: boolean } => {
      if (format.length <= i || format[i] !== "[") return { argNum: n, i, found: false };
      reordered = true;
      // parseArgNumber
      const sub = format.slice(i);
      let index = 0;
      let wid = 1;
      let ok = false;
      if (sub.length >= 3) {
        for (let j = 1; j < sub.length; j++) {
          if (sub[j] === "]") {
            let num = 0;
            let isnum = false;
            let k = 1;
            for (; k < j && sub[k]! >= "0" && sub[k]! <= "9"; k++) {
              if (num > 1e6) {
                k = -1;
                break;
              }
              num = num * 10 + (sub.charCodeAt(k) - 48);
              isnum = true;
            }
            if (!isnum || k !== j) {
              index = 0;
              wid = j + 1;
              ok = false;
            } else {
              index = num - 1;
              wid = j + 1;
              ok = true;
            }
            break;
          }
        }
      }
      if (ok && index >= 0 && index < a.length) return { argNum: index, i: i + wid, found: true };
      goodArgNum = false;
      return { argNum: n, i: i + wid, found: ok };
    };

    for (let i = 0; i < end; ) {
      goodArgNum = true;
      const lasti = i;
      while (i < end && format[i] !== "%") i++;
      if (i > lasti) this.buf += format.slice(lasti, i);
      if (i >= end) break;
      i++; // skip %
      this.f = clearFlags();
      let fastPath = false;
      simple: for (; i < end; i++) {
        const c = format[i] as string;
        switch (c) {
          case "#":
            this.f.sharp = true;
            break;
          case "0":
            this.f.zero = !this.f.minus;
            break;
          case "+":
            this.f.plus = true;
            break;
          case "-":
            this.f.minus = true;
            this.f.zero = false;
            break;
          case " ":
            this.f.space = true;
            break;
          default:
            if (c >= "a" && c <= "z" && argNum < a.length) {
              if (c === "v") {
                this.f.sharpV = this.f.sharp;
                this.f.sharp = false;
                this.f.plusV = this.f.plus;
                this.f.plus = false;
              }
              this.printArg(a[argNum] as GoValue, c);
              argNum++;
              i++;
              fastPath = true;
            }
            break simple;
        }
      }
      if (fastPath) continue;

      let r = argNumber(argNum, i);
      argNum = r.argNum;
      i = r.i;
      afterIndex = r.found;

      if (i < end && format[i] === "*") {
        i++;
        const w = intFromArg(argNum);
        this.f.wid = w.num;
        this.f.widPresent = w.isInt;
        argNum = w.newArgNum;
        if (!this.f.widPresent) this.buf += "%!(BADWIDTH)";
        if (this.f.wid < 0) {
          this.f.wid = -this.f.wid;
          this.f.minus = true;
          this.f.zero = false;
        }
        afterIndex = false;
      } else {
        const p = parsenum(i);
        this.f.wid = p.num;
        this.f.widPresent = p.isnum;
        i = p.newi;
        if (afterIndex && this.f.widPresent) goodArgNum = false;
      }

      if (i + 1 < end && format[i] === ".") {
        i++;
        if (afterIndex) goodArgNum = false;
        r = argNumber(argNum, i);
        argNum = r.argNum;
        i = r.i;
        afterIndex = r.found;
        if (i < end && format[i] === "*") {
          i++;
          const p = intFromArg(argNum);
          this.f.prec = p.num;
          this.f.precPresent = p.isInt;
          argNum = p.newArgNum;
          if (this.f.prec < 0) {
            this.f.prec = 0;
            this.f.precPresent = false;
          }
          if (!this.f.precPresent) this.buf += "%!(BADPREC)";
          afterIndex = false;
        } else {
          const p = parsenum(i);
          this.f.prec = p.num;
          this.f.precPresent = p.isnum;
          i = p.newi;
          if (!this.f.precPresent) {
            this.f.prec = 0;
            this.f.precPresent = true;
          }
        }
      }

      if (!afterIndex) {
        r = argNumber(argNum, i);
        argNum = r.argNum;
        i = r.i;
        afterIndex = r.found;
      }

      if (i >= end) {
        this.buf += "%!(NOVERB)";
        break;
      }

      const cp = format.codePointAt(i) ?? 0;
      const verb = String.fromCodePoint(cp);
      i += verb.length;

      if (verb === "%") {
        this.buf += "%";
      } else if (!goodArgNum) {
        this.buf += "%!" + verb + "(BADINDEX)";
      } else if (argNum >= a.length) {
        this.buf += "%!" + verb + "(MISSING)";
      } else {
        if (verb === "v") {
          this.f.sharpV = this.f.sharp;
          this.f.sharp = false;
          this.f.plusV = this.f.plus;
          this.f.plus = false;
        }
        this.printArg(a[argNum] as GoValue, verb);
        argNum++;
      }
    }

    if (!reordered && argNum < a.length) {
      this.f = clearFlags();
      this.buf += "%!(EXTRA ";
      a.slice(argNum).forEach((arg, i) => {
        if (i > 0) this.buf += ", ";
        if (arg.goType === "nil") {
          this.buf += "<nil>";
        } else {
          this.buf += goTypeName(arg) + "=";
          this.printArg(arg, "v");
        }
      });
      this.buf += ")";
    }
  }
}

/** fmt.Sprintf. See the module comment for how JS values map to Go types. */
export function sprintf(format: string, args: readonly unknown[]): string {
  const p = new Printer();
  p.doPrintf(format, args.map(toGoValue));
  return p.buf;
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: readonly unknown[]): string {
  const p = new Printer();
  let prevString = false;
  args.map(toGoValue).forEach((arg, i) => {
    const isString = isStringKind(arg);
    if (i > 0 && !isString && !prevString) p.buf += " ";
    p.f = clearFlags();
    p.printArg(arg, "v");
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: operands always separated by a space, newline appended. */
export function sprintln(args: readonly unknown[]): string {
  const p = new Printer();
  args.map(toGoValue).forEach((arg, i) => {
    if (i > 0) p.buf += " ";
    p.f = clearFlags();
    p.printArg(arg, "v");
  });
  return p.buf + "\n";
}
