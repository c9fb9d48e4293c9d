/**
 * PromQL lexer, following Prometheus' own (promql/parser/lex.go, v2.42) state by state: the
 * same modes (inside braces, inside brackets), the same number/duration rules and the same
 * error texts, so a lexical error lands where promtool puts it. Positions are UTF-16 offsets
 * into the expression (promtool counts bytes; `byteOffset` converts when comparing).
 */

export type TokenKind =
  | "EOF"
  | "ERROR"
  | "COMMENT"
  | "IDENTIFIER"
  | "METRIC_IDENTIFIER"
  | "NUMBER"
  | "STRING"
  | "DURATION"
  | "KEYWORD" // and/or/unless/atan2, aggregators, by/without/on/..., start/end: see `keyword`
  | "(" | ")" | "{" | "}" | "[" | "]" | "," | "=" | ":" | "@"
  | "-" | "+" | "*" | "%" | "/" | "==" | "!=" | "<=" | "<" | ">=" | ">" | "=~" | "!~" | "^";

export interface Token {
  kind: TokenKind;
  /** Lower-cased keyword for KEYWORD tokens (`SUM` and `sum` are the same keyword). */
  keyword?: string;
  start: number;
  end: number;
  text: string;
  /** ERROR tokens: the message. */
  message?: string;
}

export const AGGREGATORS: ReadonlySet<string> = new Set([
  "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values", "quantile",
]);
const KEYWORDS: ReadonlySet<string> = new Set([
  "and", "or", "unless", "atan2", ...AGGREGATORS, "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "start", "end",
]);

/** Sticky patterns for the hot paths: spaces, and strings without escapes (body then quote). */
const SPACES = /[ \t\n\r]*/y;
const PLAIN_DOUBLE = /[^"\\\n]*"/y;
const PLAIN_SINGLE = /[^'\\\n]*'/y;
const NUMBER = /(?:0[xX][0-9a-fA-F]*(?:\.[0-9a-fA-F]*)?|[0-9]*(?:\.[0-9]*)?)(?:[eE][+-]?[0-9]*)?/y;

/** Keyword sets by aggregator set: built once per target, not per expression. */
const KEYWORD_SETS = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

const isSpace = (c: string | undefined) => c === " " || c === "\t" || c === "\n" || c === "\r";
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isAlpha = (c: string | undefined) => c !== undefined && (c === "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
const isAlphaNumeric = (c: string | undefined) => isAlpha(c) || isDigit(c);

/** [A-Za-z0-9_] (and ':' when `colon`) by char code: the identifier loops are the hot path. */
function isWordCode(c: number, colon: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || (colon && c === 58);
}

/** Go's %q of a single rune, as the lexer's messages print it. */
export function goQuoteRune(c: string): string {
  if (c === "'") return "'\\''";
  if (c === "\\") return "'\\\\'";
  const cp = c.codePointAt(0)!;
  if (c === "\n") return "'\\n'";
  if (c === "\t") return "'\\t'";
  if (c === "\r") return "'\\r'";
  if (cp < 0x20 || cp === 0x7f) return `'\\x${cp.toString(16).padStart(2, "0")}'`;
  return `'${c}'`;
}

export class Lexer {
  private pos = 0;
  private start = 0;
  private parenDepth = 0;
  private braceOpen = false;
  private bracketOpen = false;
  private gotColon = false;
  private done = false;

  private readonly keywords: ReadonlySet<string>;

  /** `aggregators`: the target version's aggregation keywords (3.x adds limitk, limit_ratio). */
  constructor(
    readonly input: string,
    aggregators: ReadonlySet<string> = AGGREGATORS,
  ) {
    let keywords = KEYWORD_SETS.get(aggregators);
    if (!keywords) {
      keywords = new Set([...KEYWORDS, ...aggregators]);
      KEYWORD_SETS.set(aggregators, keywords);
    }
    this.keywords = keywords;
  }

  /** The next token; after EOF or ERROR, EOF forever. */
  next(): Token {
    if (this.done) return this.make("EOF");
    for (;;) {
      let t: Token | undefined;
      if (this.pendingDuration) {
        // Right after `[` Prometheus always lexes a duration (lexDuration), whatever follows.
        this.pendingDuration = false;
        t = this.duration();
      } else {
        t = this.braceOpen ? this.insideBraces() : this.statements();
      }
      if (t === undefined) continue; // skipped space
      if (t.kind === "EOF" || t.kind === "ERROR") this.done = true;
      return t;
    }
  }

  private peekChar(): string | undefined {
    return this.charAt(this.pos);
  }

  private charAt(i: number): string | undefined {
    if (i >= this.input.length) return undefined;
    const code = this.input.charCodeAt(i);
    // Fast path: anything but a surrogate pair is one UTF-16 unit.
    if (code < 0xd800 || code > 0xdbff) return this.input[i];
    return String.fromCodePoint(this.input.codePointAt(i)!);
  }

  private lastNextWasEof = false;

  private nextChar(): string | undefined {
    const c = this.peekChar();
    this.lastNextWasEof = c === undefined;
    if (c !== undefined) this.pos += c.length;
    return c;
  }

  private make(kind: TokenKind, keyword?: string): Token {
    const t: Token = { kind, start: this.start, end: this.pos, text: this.input.slice(this.start, this.pos) };
    if (keyword !== undefined) t.keyword = keyword;
    this.start = this.pos;
    return t;
  }

  private error(message: string): Token {
    return { kind: "ERROR", start: this.start, end: this.input.length, text: this.input.slice(this.start), message };
  }

  private skipSpace(): undefined {
    SPACES.lastIndex = this.pos;
    if (SPACES.test(this.input)) this.pos = SPACES.lastIndex;
    this.start = this.pos;
    return undefined;
  }

  private comment(): Token {
    while (this.pos < this.input.length && this.input[this.pos] !== "\n" && this.input[this.pos] !== "\r") this.pos++;
    return this.make("COMMENT");
  }

  private statements(): Token | undefined {
    if (this.input.startsWith("#", this.pos)) return this.comment();
    const r = this.nextChar();
    if (r === undefined) {
      if (this.parenDepth !== 0) return this.error("unclosed left parenthesis");
      if (this.bracketOpen) return this.error("unclosed left bracket");
      return this.make("EOF");
    }
    // Identifiers are the most common token: dispatch on the char code before the switch.
    if (!this.bracketOpen && isWordCode(r.charCodeAt(0), true) && !isDigit(r)) {
      this.pos -= 1;
      return this.keywordOrIdentifier();
    }
    if (isSpace(r)) return this.skipSpace();
    switch (r) {
      case ",":
      case "*":
      case "/":
      case "%":
      case "+":
      case "-":
      case "^":
      case "@":
        return this.make(r);
      case "=": {
        const t = this.peekChar();
        if (t === "=") {
          this.pos++;
          return this.make("==");
        }
        if (t === "~") return this.error(`unexpected character after '=': ${goQuoteRune(t)}`);
        return this.make("=");
      }
      case "!": {
        const t = this.nextChar();
        if (t === "=") return this.make("!=");
        return this.error(`unexpected character after '!': ${goQuoteRune(t ?? "")}`);
      }
      case "<":
      case ">":
        if (this.peekChar() === "=") {
          this.pos++;
          return this.make(r === "<" ? "<=" : ">=");
        }
        return this.make(r);
      case '"':
      case "'":
        return this.string(r);
      case "`":
        return this.rawString();
      case "(":
        this.parenDepth++;
        return this.make("(");
      case ")": {
        const t = this.make(")");
        this.parenDepth--;
        // Go emits the paren, then overwrites it with the error, positioned after the paren.
        if (this.parenDepth < 0) return this.error(`unexpected right parenthesis ')'`);
        return t;
      }
      case "{":
        this.braceOpen = true;
        return this.make("{");
      case "[": {
        if (this.bracketOpen) return this.error(`unexpected left bracket '['`);
        this.gotColon = false;
        const t = this.make("[");
        this.skipSpace();
        this.bracketOpen = true;
        this.pendingDuration = true;
        return t;
      }
      case "]":
        if (!this.bracketOpen) return this.error(`unexpected right bracket ']'`);
        this.bracketOpen = false;
        return this.make("]");
    }
    if (isDigit(r) || (r === "." && isDigit(this.peekChar()))) {
      this.pos -= r.length;
      return this.numberOrDuration();
    }
    if (isAlpha(r) || r === ":") {
      if (!this.bracketOpen) {
        this.pos -= r.length;
        return this.keywordOrIdentifier();
      }
      // Inside brackets any letter lexes as the subquery colon, as in Go.
      if (this.gotColon) return this.error(`unexpected colon ${goQuoteRune(r)}`);
      this.gotColon = true;
      return this.make(":");
    }
    return this.error(`unexpected character: ${goQuoteRune(r)}`);
  }

  private pendingDuration = false;

  private insideBraces(): Token | undefined {
    if (this.input.startsWith("#", this.pos)) return this.comment();
    const r = this.nextChar();
    if (r === undefined) return this.error("unexpected end of input inside braces");
    if (isSpace(r)) return this.skipSpace();
    if (isAlpha(r)) {
      while (this.pos < this.input.length && isWordCode(this.input.charCodeAt(this.pos), false)) this.pos++;
      return this.make("IDENTIFIER");
    }
    switch (r) {
      case ",":
        return this.make(",");
      case '"':
      case "'":
        return this.string(r);
      case "`":
        return this.rawString();
      case "=":
        if (this.peekChar() === "~") {
          this.pos++;
          return this.make("=~");
        }
        return this.make("=");
      case "!": {
        const nr = this.nextChar();
        if (nr === "~") return this.make("!~");
        if (nr === "=") return this.make("!=");
        return this.error(`unexpected character after '!' inside braces: ${goQuoteRune(nr ?? "")}`);
      }
      case "{":
        return this.error(`unexpected left brace '{'`);
      case "}":
        this.braceOpen = false;
        return this.make("}");
    }
    return this.error(`unexpected character inside braces: ${goQuoteRune(r)}`);
  }

  private string(quote: string): Token {
    // Fast path for the common case, a string without escapes (regex runs natively, even cold).
    const plain = quote === '"' ? PLAIN_DOUBLE : PLAIN_SINGLE;
    plain.lastIndex = this.pos;
    if (plain.test(this.input)) {
      this.pos = plain.lastIndex;
      return this.make("STRING");
    }
    for (;;) {
      const c = this.nextChar();
      if (c === "\\") {
        const err = this.escape(quote);
        if (err) return this.error(err);
        continue;
      }
      if (c === undefined || c === "\n") return this.error("unterminated quoted string");
      if (c === quote) return this.make("STRING");
    }
  }

  private rawString(): Token {
    for (;;) {
      const c = this.nextChar();
      if (c === undefined) return this.error("unterminated raw string");
      if (c === "`") return this.make("STRING");
    }
  }

  /** lexEscape: validates one escape sequence after a backslash. */
  private escape(quote: string): string | undefined {
    let ch = this.nextChar();
    let n: number;
    let base: number;
    let max: number;
    switch (ch) {
      case "a": case "b": case "f": case "n": case "r": case "t": case "v": case "\\": case quote:
        return undefined;
      case "0": case "1": case "2": case "3": case "4": case "5": case "6": case "7":
        [n, base, max] = [3, 8, 255];
        break;
      case "x":
        ch = this.nextChar();
        [n, base, max] = [2, 16, 255];
        break;
      case "u":
        ch = this.nextChar();
        [n, base, max] = [4, 16, 0x10ffff];
        break;
      case "U":
        ch = this.nextChar();
        [n, base, max] = [8, 16, 0x10ffff];
        break;
      case undefined:
        return "escape sequence not terminated";
      default:
        return `unknown escape sequence ${goUnicodeRune(ch)}`;
    }
    let x = 0;
    for (;;) {
      const d = ch === undefined ? 16 : parseInt(ch, 16);
      if (Number.isNaN(d) || d >= base) {
        if (ch === undefined) return "escape sequence not terminated";
        return `illegal character ${goUnicodeRune(ch)} in escape sequence`;
      }
      x = x * base + d;
      n--;
      if (n === 0) break;
      ch = this.nextChar();
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) return "escape sequence is an invalid Unicode code point";
    return undefined;
  }

  private accept(valid: string): boolean {
    const c = this.peekChar();
    if (c !== undefined && valid.includes(c)) {
      this.pos += c.length;
      return true;
    }
    return false;
  }

  private acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  /**
   * Go's scanNumber: `0x` then hex digits, or decimal digits; an optional fraction (in the same
   * digits) and exponent; then the number must not run into a letter or digit.
   */
  private scanNumber(): boolean {
    NUMBER.lastIndex = this.pos;
    NUMBER.test(this.input);
    this.pos = NUMBER.lastIndex;
    return !isAlphaNumeric(this.peekChar());
  }

  private acceptRemainingDuration(): boolean {
    if (!this.accept("smhdwy")) return false;
    this.accept("s");
    while (this.accept("0123456789")) {
      this.acceptRun("0123456789");
      if (!this.accept("smhdw")) return false;
      this.accept("s");
    }
    // Go consumes one more rune here; callers back up on success, and error texts include it.
    return !isAlphaNumeric(this.nextChar());
  }

  /** Undo the last nextChar() of acceptRemainingDuration (Go's backup). */
  private backupOne(): void {
    if (this.pos > this.start && this.pos <= this.input.length) {
      const prev = this.input.codePointAt(this.pos - 1)!;
      this.pos -= prev >= 0xdc00 && prev <= 0xdfff && this.pos >= 2 ? 2 : 1;
    }
  }

  private duration(): Token {
    if (this.scanNumber()) return this.error("missing unit character in duration");
    if (!this.acceptRemainingDuration()) return this.error(`bad duration syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
    this.backupEnd();
    return this.make("DURATION");
  }

  private numberOrDuration(): Token {
    if (this.scanNumber()) return this.make("NUMBER");
    if (this.acceptRemainingDuration()) {
      this.backupEnd();
      return this.make("DURATION");
    }
    return this.error(`bad number or duration syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
  }

  /** Backs up the look-ahead rune acceptRemainingDuration consumed (none at end of input). */
  private backupEnd(): void {
    if (this.lastNextWasEof) return;
    this.backupOne();
  }

  private keywordOrIdentifier(): Token {
    while (this.pos < this.input.length && isWordCode(this.input.charCodeAt(this.pos), true)) this.pos++;
    const word = this.input.slice(this.start, this.pos);
    const lower = word.toLowerCase();
    if (this.keywords.has(lower)) return this.make("KEYWORD", lower);
    if (lower === "inf" || lower === "nan") return this.make("NUMBER");
    return this.make(word.includes(":") ? "METRIC_IDENTIFIER" : "IDENTIFIER");
  }
}

/** Go's %#U: `U+0071 'q'`. */
function goUnicodeRune(c: string): string {
  const cp = c.codePointAt(0)!;
  const hex = cp.toString(16).toUpperCase().padStart(4, "0");
  return cp >= 0x20 && cp !== 0x7f ? `U+${hex} '${c}'` : `U+${hex}`;
}

/** Go's %q of a string (close enough for the ASCII texts lexer messages quote). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** UTF-8 byte offset of a UTF-16 offset in `text` (promtool reports byte columns). */
export function byteOffset(text: string, offset: number): number {
  return Buffer.byteLength(text.slice(0, offset), "utf8");
}
