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

/** Sticky patterns for the hot paths: strings without escapes (body then quote), numbers. */
const PLAIN_DOUBLE = /[^"\\\n]*"/y;
const PLAIN_SINGLE = /[^'\\\n]*'/y;
const NUMBER = /(?:0[xX][0-9a-fA-F]*(?:\.[0-9a-fA-F]*)?|[0-9]*(?:\.[0-9]*)?)(?:[eE][+-]?[0-9]*)?/y;

/** Keyword sets by aggregator set: built once per target, not per expression. */
const KEYWORD_SETS = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();
const LONGEST = new WeakMap<ReadonlySet<string>, number>();

function longestWord(words: ReadonlySet<string>): number {
  let n = LONGEST.get(words);
  if (n === undefined) {
    n = 0;
    for (const w of words) n = Math.max(n, w.length);
    LONGEST.set(words, n);
  }
  return n;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isAlpha = (c: string | undefined) => c !== undefined && (c === "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));

/*
 * The hot paths work on char codes (NaN past the end, which no comparison matches): comparing
 * numbers is cheaper than building and comparing one-character strings, which matters most
 * before the JIT has warmed up, i.e. for most of a one-shot CLI run.
 */
const TAB = 9, LF = 10, CR = 13, SPACE = 32, HASH = 35, DOT = 46, COLON = 58, UNDERSCORE = 95;

const isSpaceCode = (c: number) => c === SPACE || c === LF || c === TAB || c === CR;
const isDigitCode = (c: number) => c >= 48 && c <= 57;
/** [A-Za-z_]. */
const isAlphaCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE;

/** [A-Za-z0-9_] (and ':' when `colon`): the identifier loops are the hot path. */
function isWordCode(c: number, colon: boolean): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === UNDERSCORE || (colon && c === COLON);
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

/**
 * Every token is built here, with all fields in the same order, so token objects share one
 * hidden class and the parser's property reads stay monomorphic.
 */
function token(kind: TokenKind, keyword: string | undefined, start: number, end: number, text: string, message: string | undefined): Token {
  return { kind, keyword, start, end, text, message };
}

export class Lexer {
  private pos = 0;
  private start = 0;
  private parenDepth = 0;
  private braceOpen = false;
  private bracketOpen = false;
  private gotColon = false;
  private done = false;
  private pendingDuration = false;
  private lastNextWasEof = false;

  private readonly keywords: ReadonlySet<string>;
  private readonly longestKeyword: number;

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
    this.longestKeyword = longestWord(keywords);
  }

  /** The next token; after EOF or ERROR, EOF forever. */
  next(): Token {
    if (this.done) return this.make("EOF");
    let t: Token;
    if (this.pendingDuration) {
      // Right after `[` Prometheus always lexes a duration (lexDuration), whatever follows.
      this.pendingDuration = false;
      t = this.duration();
    } else {
      t = this.braceOpen ? this.insideBraces() : this.statements();
    }
    if (t.kind === "EOF" || t.kind === "ERROR") this.done = true;
    return t;
  }

  private peekChar(): string | undefined {
    return this.charAt(this.pos);
  }

  /** The whole code point at `i` (for messages and the rare paths that quote it). */
  private charAt(i: number): string | undefined {
    if (i >= this.input.length) return undefined;
    const code = this.input.charCodeAt(i);
    // Fast path: anything but a surrogate pair is one UTF-16 unit.
    if (code < 0xd800 || code > 0xdbff) return this.input[i];
    return String.fromCodePoint(this.input.codePointAt(i)!);
  }

  private nextChar(): string | undefined {
    const c = this.peekChar();
    this.lastNextWasEof = c === undefined;
    if (c !== undefined) this.pos += c.length;
    return c;
  }

  private make(kind: TokenKind, keyword?: string): Token {
    const t = token(kind, keyword, this.start, this.pos, this.input.slice(this.start, this.pos), undefined);
    this.start = this.pos;
    return t;
  }

  /** Operators and punctuation: the text is the kind itself, no slice of the input needed. */
  private punct(kind: TokenKind): Token {
    const t = token(kind, undefined, this.start, this.pos, kind, undefined);
    this.start = this.pos;
    return t;
  }

  private error(message: string): Token {
    return token("ERROR", undefined, this.start, this.input.length, this.input.slice(this.start), message);
  }

  private skipSpace(): void {
    const input = this.input;
    let pos = this.pos;
    while (isSpaceCode(input.charCodeAt(pos))) pos++;
    this.pos = this.start = pos;
  }

  private comment(): Token {
    const input = this.input;
    let pos = this.pos;
    for (let c = input.charCodeAt(pos); pos < input.length && c !== LF && c !== CR; c = input.charCodeAt(++pos));
    this.pos = pos;
    return this.make("COMMENT");
  }

  private statements(): Token {
    const input = this.input;
    // Spaces before a token are skipped here rather than as a separate (undefined) step.
    if (isSpaceCode(input.charCodeAt(this.pos))) this.skipSpace();
    if (this.pos >= input.length) {
      if (this.parenDepth !== 0) return this.error("unclosed left parenthesis");
      if (this.bracketOpen) return this.error("unclosed left bracket");
      return this.make("EOF");
    }
    const c = input.charCodeAt(this.pos);
    // Identifiers are the most common token: [A-Za-z_:] starts one (inside brackets, see below).
    if (!this.bracketOpen && (isAlphaCode(c) || c === COLON)) return this.keywordOrIdentifier();
    if (c === HASH) return this.comment();
    this.pos++;
    switch (c) {
      case 44: return this.punct(","); // ,
      case 42: return this.punct("*");
      case 47: return this.punct("/");
      case 37: return this.punct("%");
      case 43: return this.punct("+");
      case 45: return this.punct("-");
      case 94: return this.punct("^");
      case 64: return this.punct("@");
      case 61: { // =
        const t = input.charCodeAt(this.pos);
        if (t === 61) {
          this.pos++;
          return this.punct("==");
        }
        if (t === 126) return this.error(`unexpected character after '=': ${goQuoteRune("~")}`);
        return this.punct("=");
      }
      case 33: { // !
        const t = this.nextChar();
        if (t === "=") return this.punct("!=");
        return this.error(`unexpected character after '!': ${goQuoteRune(t ?? "")}`);
      }
      case 60: // <
      case 62: { // >
        const lt = c === 60;
        if (input.charCodeAt(this.pos) === 61) {
          this.pos++;
          return this.punct(lt ? "<=" : ">=");
        }
        return this.punct(lt ? "<" : ">");
      }
      case 34: return this.string('"');
      case 39: return this.string("'");
      case 96: return this.rawString(); // `
      case 40: // (
        this.parenDepth++;
        return this.punct("(");
      case 41: { // )
        const t = this.punct(")");
        this.parenDepth--;
        // Go emits the paren, then overwrites it with the error, positioned after the paren.
        if (this.parenDepth < 0) return this.error(`unexpected right parenthesis ')'`);
        return t;
      }
      case 123: // {
        this.braceOpen = true;
        return this.punct("{");
      case 91: { // [
        if (this.bracketOpen) return this.error(`unexpected left bracket '['`);
        this.gotColon = false;
        const t = this.punct("[");
        this.skipSpace();
        this.bracketOpen = true;
        this.pendingDuration = true;
        return t;
      }
      case 93: // ]
        if (!this.bracketOpen) return this.error(`unexpected right bracket ']'`);
        this.bracketOpen = false;
        return this.punct("]");
    }
    if (isDigitCode(c) || (c === DOT && isDigitCode(input.charCodeAt(this.pos)))) {
      this.pos--;
      return this.numberOrDuration();
    }
    if (isAlphaCode(c) || c === COLON) {
      // (Outside brackets these were identifiers, above.) Inside brackets any letter lexes as
      // the subquery colon, as in Go.
      if (this.gotColon) return this.error(`unexpected colon ${goQuoteRune(input[this.pos - 1]!)}`);
      this.gotColon = true;
      return this.make(":");
    }
    return this.error(`unexpected character: ${goQuoteRune(this.charAt(this.pos - 1)!)}`);
  }

  private insideBraces(): Token {
    const input = this.input;
    if (isSpaceCode(input.charCodeAt(this.pos))) this.skipSpace();
    if (this.pos >= input.length) return this.error("unexpected end of input inside braces");
    const c = input.charCodeAt(this.pos);
    if (c === HASH) return this.comment();
    this.pos++;
    if (isAlphaCode(c)) {
      let pos = this.pos;
      while (isWordCode(input.charCodeAt(pos), false)) pos++;
      this.pos = pos;
      return this.make("IDENTIFIER");
    }
    switch (c) {
      case 44: return this.punct(",");
      case 34: return this.string('"');
      case 39: return this.string("'");
      case 96: return this.rawString();
      case 61: // =
        if (input.charCodeAt(this.pos) === 126) {
          this.pos++;
          return this.punct("=~");
        }
        return this.punct("=");
      case 33: { // !
        const nr = this.nextChar();
        if (nr === "~") return this.punct("!~");
        if (nr === "=") return this.punct("!=");
        return this.error(`unexpected character after '!' inside braces: ${goQuoteRune(nr ?? "")}`);
      }
      case 123:
        return this.error(`unexpected left brace '{'`);
      case 125: // }
        this.braceOpen = false;
        return this.punct("}");
    }
    return this.error(`unexpected character inside braces: ${goQuoteRune(this.charAt(this.pos - 1)!)}`);
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
    const end = this.input.indexOf("`", this.pos);
    if (end === -1) {
      this.pos = this.input.length;
      return this.error("unterminated raw string");
    }
    this.pos = end + 1;
    return this.make("STRING");
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

  /** Consumes the next character if it is one of `valid` (ASCII only). */
  private accept(valid: string): boolean {
    const c = this.input.charCodeAt(this.pos);
    if (c < 128 && valid.includes(this.input[this.pos]!)) {
      this.pos++;
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
    return !isWordCode(this.input.charCodeAt(this.pos), false);
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
    const c = this.nextChar();
    return !(isDigit(c) || isAlpha(c));
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
    const input = this.input;
    let pos = this.pos;
    let colon = false;
    for (let c = input.charCodeAt(pos); isWordCode(c, true); c = input.charCodeAt(++pos)) if (c === COLON) colon = true;
    this.pos = pos;
    const word = input.slice(this.start, pos);
    // Keywords and inf/nan are letters only: a word with a colon is a metric name. Metric names
    // are mostly longer than any keyword: those skip the lower-casing and the set lookup.
    if (colon) return this.identifier("METRIC_IDENTIFIER", word);
    if (word.length > this.longestKeyword) return this.identifier("IDENTIFIER", word);
    const lower = word.toLowerCase();
    if (this.keywords.has(lower)) return this.identifier("KEYWORD", word, lower);
    if (lower === "inf" || lower === "nan") return this.identifier("NUMBER", word);
    return this.identifier("IDENTIFIER", word);
  }

  /** A word token whose text is already sliced. */
  private identifier(kind: TokenKind, text: string, keyword?: string): Token {
    const t = token(kind, keyword, this.start, this.pos, text, undefined);
    this.start = this.pos;
    return t;
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
