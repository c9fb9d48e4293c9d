/**
 * Lexer for Go text/template, following go1.19 src/text/template/parse/lex.go
 * state by state (lexText, lexLeftDelim, lexComment, lexInsideAction, ...),
 * so that token boundaries, trim-marker handling and lexical error messages
 * match Go. Positions are JS string indices (UTF-16 code units).
 */

import { isPrint, quote } from "./strconv.js";
import { isDigit, isLetter } from "./unicode.js";

export type ItemType =
  | "error"
  | "bool"
  | "char"
  | "charConstant"
  | "complex"
  | "assign"
  | "declare"
  | "EOF"
  | "field"
  | "identifier"
  | "leftDelim"
  | "leftParen"
  | "number"
  | "pipe"
  | "rawString"
  | "rightDelim"
  | "rightParen"
  | "space"
  | "string"
  | "text"
  | "variable"
  // keywords
  | "block"
  | "break"
  | "continue"
  | "dot"
  | "define"
  | "else"
  | "end"
  | "if"
  | "nil"
  | "range"
  | "template"
  | "with";

export interface Item {
  typ: ItemType;
  pos: number;
  val: string;
}

const KEYWORDS: Readonly<Record<string, ItemType>> = {
  ".": "dot",
  block: "block",
  break: "break",
  continue: "continue",
  define: "define",
  else: "else",
  end: "end",
  if: "if",
  range: "range",
  nil: "nil",
  template: "template",
  with: "with",
};

export function isKeyword(t: ItemType): boolean {
  return Object.values(KEYWORDS).includes(t);
}

const LEFT = "{{";
const RIGHT = "}}";
const LEFT_COMMENT = "/*";
const RIGHT_COMMENT = "*/";
const SPACE_CHARS = " \t\r\n";
const EOF = -1;

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

export function isAlphaNumeric(r: number): boolean {
  return r === 0x5f || isLetter(r) || isDigit(r);
}

function hasLeftTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && s[at] === "-" && isSpace(s.charCodeAt(at + 1));
}

function hasRightTrimMarker(s: string, at: number): boolean {
  return s.length - at >= 2 && isSpace(s.charCodeAt(at)) && s[at + 1] === "-";
}

type StateFn = ((l: Lexer) => StateFn) | null;

class Lexer {
  pos = 0;
  start = 0;
  atEOF = false;
  parenDepth = 0;
  readonly items: Item[] = [];

  constructor(readonly input: string) {}

  next(): number {
    if (this.pos >= this.input.length) {
      this.atEOF = true;
      return EOF;
    }
    const r = this.input.codePointAt(this.pos) ?? 0;
    this.pos += r > 0xffff ? 2 : 1;
    return r;
  }

  peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  backup(): void {
    if (!this.atEOF && this.pos > 0) {
      const lo = this.input.charCodeAt(this.pos - 1);
      const isTrail = lo >= 0xdc00 && lo <= 0xdfff && this.pos >= 2;
      const hi = isTrail ? this.input.charCodeAt(this.pos - 2) : 0;
      this.pos -= isTrail && hi >= 0xd800 && hi <= 0xdbff ? 2 : 1;
    }
  }

  emit(typ: ItemType): void {
    this.items.push({ typ, pos: this.start, val: this.input.slice(this.start, this.pos) });
    this.start = this.pos;
  }

  ignore(): void {
    this.start = this.pos;
  }

  accept(valid: string): boolean {
    const r = this.next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    this.backup();
    return false;
  }

  acceptRun(valid: string): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    this.backup();
  }

  errorf(msg: string): StateFn {
    this.items.push({ typ: "error", pos: this.start, val: msg });
    return null;
  }

  atRightDelim(): { delim: boolean; trimSpaces: boolean } {
    if (hasRightTrimMarker(this.input, this.pos) && this.input.startsWith(RIGHT, this.pos + 2)) {
      return { delim: true, trimSpaces: true };
    }
    if (this.input.startsWith(RIGHT, this.pos)) return { delim: true, trimSpaces: false };
    return { delim: false, trimSpaces: false };
  }

  atTerminator(): boolean {
    const r = this.peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF:
      case 0x2e: // .
      case 0x2c: // ,
      case 0x7c: // |
      case 0x3a: // :
      case 0x29: // )
      case 0x28: // (
        return true;
    }
    return this.input.startsWith(RIGHT, this.pos);
  }

  scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    if (isAlphaNumeric(this.peek())) {
      this.next();
      return false;
    }
    return true;
  }
}

function rightTrimLength(s: string): number {
  let n = s.length;
  while (n > 0 && SPACE_CHARS.includes(s[n - 1] as string)) n--;
  return s.length - n;
}

function leftTrimLength(s: string, from: number): number {
  let i = from;
  while (i < s.length && SPACE_CHARS.includes(s[i] as string)) i++;
  return i - from;
}

function quoted(r: number): string {
  // %#U: U+0023 '#'
  const hex = r.toString(16).toUpperCase().padStart(4, "0");
  return isPrint(r) ? `U+${hex} '${String.fromCodePoint(r)}'` : `U+${hex}`;
}

const lexText = (l: Lexer): StateFn => {
  const x = l.input.indexOf(LEFT, l.pos);
  if (x >= 0) {
    l.pos = x;
    let trimLength = 0;
    if (hasLeftTrimMarker(l.input, l.pos + LEFT.length)) {
      trimLength = rightTrimLength(l.input.slice(l.start, l.pos));
    }
    l.pos -= trimLength;
    if (l.pos > l.start) l.emit("text");
    l.pos += trimLength;
    l.ignore();
    return lexLeftDelim;
  }
  l.pos = l.input.length;
  if (l.pos > l.start) l.emit("text");
  l.emit("EOF");
  return null;
};

const lexLeftDelim = (l: Lexer): StateFn => {
  l.pos += LEFT.length;
  const trimSpace = hasLeftTrimMarker(l.input, l.pos);
  const afterMarker = trimSpace ? 2 : 0;
  if (l.input.startsWith(LEFT_COMMENT, l.pos + afterMarker)) {
    l.pos += afterMarker;
    l.ignore();
    return lexComment;
  }
  l.emit("leftDelim");
  l.pos += afterMarker;
  l.ignore();
  l.parenDepth = 0;
  return lexInsideAction;
};

const lexComment = (l: Lexer): StateFn => {
  l.pos += LEFT_COMMENT.length;
  const i = l.input.indexOf(RIGHT_COMMENT, l.pos);
  if (i < 0) return l.errorf("unclosed comment");
  l.pos = i + RIGHT_COMMENT.length;
  const { delim, trimSpaces } = l.atRightDelim();
  if (!delim) return l.errorf("comment ends before closing delimiter");
  if (trimSpaces) l.pos += 2;
  l.pos += RIGHT.length;
  if (trimSpaces) l.pos += leftTrimLength(l.input, l.pos);
  l.ignore();
  return lexText;
};

const lexRightDelim = (l: Lexer): StateFn => {
  const trimSpace = hasRightTrimMarker(l.input, l.pos);
  if (trimSpace) {
    l.pos += 2;
    l.ignore();
  }
  l.pos += RIGHT.length;
  l.emit("rightDelim");
  if (trimSpace) {
    l.pos += leftTrimLength(l.input, l.pos);
    l.ignore();
  }
  return lexText;
};

const lexInsideAction = (l: Lexer): StateFn => {
  if (l.atRightDelim().delim) {
    if (l.parenDepth === 0) return lexRightDelim;
    return l.errorf("unclosed left paren");
  }
  const r = l.next();
  if (r === EOF) return l.errorf("unclosed action");
  if (isSpace(r)) {
    l.backup(); // Put space back in case we have " -}}".
    return lexSpace;
  }
  switch (r) {
    case 0x3d: // =
      l.emit("assign");
      return lexInsideAction;
    case 0x3a: // :
      if (l.next() !== 0x3d) return l.errorf("expected :=");
      l.emit("declare");
      return lexInsideAction;
    case 0x7c: // |
      l.emit("pipe");
      return lexInsideAction;
    case 0x22: // "
      return lexQuote;
    case 0x60: // `
      return lexRawQuote;
    case 0x24: // $
      return lexVariable;
    case 0x27: // '
      return lexChar;
    case 0x2e: // .
      if (l.pos < l.input.length) {
        const c = l.input.charCodeAt(l.pos);
        if (c < 0x30 || c > 0x39) return lexField;
      }
      l.backup();
      return lexNumber;
    case 0x28: // (
      l.emit("leftParen");
      l.parenDepth++;
      return lexInsideAction;
    case 0x29: // )
      l.emit("rightParen");
      l.parenDepth--;
      if (l.parenDepth < 0) return l.errorf(`unexpected right paren ${quoted(r)}`);
      return lexInsideAction;
  }
  if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
    l.backup();
    return lexNumber;
  }
  if (isAlphaNumeric(r)) {
    l.backup();
    return lexIdentifier;
  }
  if (r <= 0x7f && r >= 0x20 && r !== 0x7f) {
    l.emit("char");
    return lexInsideAction;
  }
  return l.errorf(`unrecognized character in action: ${quoted(r)}`);
};

const lexSpace = (l: Lexer): StateFn => {
  let numSpaces = 0;
  while (isSpace(l.peek())) {
    l.next();
    numSpaces++;
  }
  // Be careful about a trim-marked closing delimiter, which starts with a space.
  if (hasRightTrimMarker(l.input, l.pos - 1) && l.input.startsWith(RIGHT, l.pos - 1 + 2)) {
    l.backup();
    if (numSpaces === 1) return lexRightDelim;
  }
  l.emit("space");
  return lexInsideAction;
};

const lexIdentifier = (l: Lexer): StateFn => {
  for (;;) {
    const r = l.next();
    if (isAlphaNumeric(r)) continue;
    l.backup();
    const word = l.input.slice(l.start, l.pos);
    if (!l.atTerminator()) return l.errorf(`bad character ${quoted(r)}`);
    const kw = KEYWORDS[word];
    if (kw !== undefined && kw !== "dot") l.emit(kw);
    else if (word[0] === ".") l.emit("field");
    else if (word === "true" || word === "false") l.emit("bool");
    else l.emit("identifier");
    return lexInsideAction;
  }
};

const lexField = (l: Lexer): StateFn => lexFieldOrVariable(l, "field");

const lexVariable = (l: Lexer): StateFn => {
  if (l.atTerminator()) {
    l.emit("variable");
    return lexInsideAction;
  }
  return lexFieldOrVariable(l, "variable");
};

const lexFieldOrVariable = (l: Lexer, typ: "field" | "variable"): StateFn => {
  if (l.atTerminator()) {
    l.emit(typ === "variable" ? "variable" : "dot");
    return lexInsideAction;
  }
  let r: number;
  for (;;) {
    r = l.next();
    if (!isAlphaNumeric(r)) {
      l.backup();
      break;
    }
  }
  if (!l.atTerminator()) return l.errorf(`bad character ${quoted(r)}`);
  l.emit(typ);
  return lexInsideAction;
};

const lexChar = (l: Lexer): StateFn => {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf("unterminated character constant");
    }
    if (r === EOF || r === 0x0a) return l.errorf("unterminated character constant");
    if (r === 0x27) break;
  }
  l.emit("charConstant");
  return lexInsideAction;
};

const lexNumber = (l: Lexer): StateFn => {
  if (!l.scanNumber()) return l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`);
  const sign = l.peek();
  if (sign === 0x2b || sign === 0x2d) {
    // Complex: 1+2i. No spaces, must end in 'i'.
    if (!l.scanNumber() || l.input[l.pos - 1] !== "i") {
      return l.errorf(`bad number syntax: ${quote(l.input.slice(l.start, l.pos))}`);
    }
    l.emit("complex");
  } else {
    l.emit("number");
  }
  return lexInsideAction;
};

const lexQuote = (l: Lexer): StateFn => {
  for (;;) {
    let r = l.next();
    if (r === 0x5c) {
      r = l.next();
      if (r !== EOF && r !== 0x0a) continue;
      return l.errorf("unterminated quoted string");
    }
    if (r === EOF || r === 0x0a) return l.errorf("unterminated quoted string");
    if (r === 0x22) break;
  }
  l.emit("string");
  return lexInsideAction;
};

const lexRawQuote = (l: Lexer): StateFn => {
  for (;;) {
    const r = l.next();
    if (r === EOF) return l.errorf("unterminated raw quoted string");
    if (r === 0x60) break;
  }
  l.emit("rawString");
  return lexInsideAction;
};

/**
 * Tokenises the whole input. The token stream ends with an EOF or an error
 * item, exactly as Go's lexer goroutine would deliver it.
 */
export function lex(input: string): Item[] {
  const l = new Lexer(input);
  let state: StateFn = lexText;
  while (state !== null) state = state(l);
  return l.items;
}
