/**
 * A reader for the plain YAML that rule files are nearly always written in: block mappings and
 * sequences, one-line plain and quoted scalars, `|`/`>` block scalars. On that subset it returns
 * exactly what `jsyaml.load(text, { schema: FAILSAFE_SCHEMA })` returns (every scalar a string,
 * empty values null); on anything else — anchors, aliases, tags, flow collections, multi-line
 * plain or quoted scalars, document markers, duplicate keys, tabs, CR, odd block scalar headers —
 * it returns `undefined`, and the caller falls back to js-yaml (which also reports the errors).
 *
 * Why: js-yaml was the largest single cost of `check-rules` on big files (a general parser, and
 * 10 ms just to load). This reader is line-based and allocates little beyond the result.
 * It is property-tested against js-yaml (rule-yaml.test.ts).
 */

/** Thrown from deep inside the reader to decline: not a YAML error, just "not ours". */
class Decline extends Error {}

/** js-yaml's PATTERN_NON_PRINTABLE: it rejects these, so we leave them to it. */
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;

/** A key we read as plain: word characters, dots, dashes, slashes (and never `__proto__`). */
const KEY = /[A-Za-z0-9_][A-Za-z0-9_./-]*/y;

const SPACE = 32, HASH = 35, COLON = 58, DASH = 45, LF = 10;

/** Characters a plain scalar may not start with (YAML c-indicator), besides the ones we handle. */
const INDICATORS = "-?:,[]{}#&*!|>'\"%@`";

export type YamlValue = string | null | YamlValue[] | { [key: string]: YamlValue };

/** Anything but printable ASCII and LF: in the usual file there is none, and the (slower) checks for what we leave to js-yaml are skipped. */
const NOT_PLAIN_ASCII = /[^\n\x20-\x7e]/;

/** A double-quoted body whose escapes all mean the same in JSON, which then unescapes it natively. */
const JSON_ESCAPES_ONLY = /^(?:[^\\]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*$/;

export function readRuleYaml(text: string): YamlValue | undefined {
  if (NOT_PLAIN_ASCII.test(text) && (text.includes("\t") || text.includes("\r") || text.charCodeAt(0) === 0xfeff || NON_PRINTABLE.test(text))) return undefined;
  try {
    const r = new Reader(text);
    r.skipInsignificant();
    // The document must be a mapping at column 0 (a rule file's `groups:`).
    if (r.atEnd() || r.indent !== 0) return undefined;
    const doc = r.mapping(0);
    if (!r.atEnd()) return undefined;
    return doc;
  } catch {
    // A Decline, or anything else going wrong (a stack overflow on absurdly deep nesting):
    // js-yaml is the authority either way.
    return undefined;
  }
}

class Reader {
  /** Start of the current line. */
  private line = 0;
  /** Indentation (spaces) of the current line, once `skipInsignificant` found it. */
  indent = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.line >= this.text.length;
  }

  /** End of the line starting at `at` (index of its LF, or the text's length). */
  private eol(at: number): number {
    const i = this.text.indexOf("\n", at);
    return i === -1 ? this.text.length : i;
  }

  private nextLine(): void {
    const e = this.eol(this.line);
    this.line = e + 1 > this.text.length ? this.text.length : e + 1;
  }

  /** Skips blank and comment-only lines; sets `indent` of the line it stops at. */
  skipInsignificant(): void {
    const t = this.text;
    while (this.line < t.length) {
      let i = this.line;
      while (t.charCodeAt(i) === SPACE) i++;
      const c = t.charCodeAt(i);
      if (c === LF || i >= t.length || c === HASH) {
        if (i >= t.length) {
          this.line = t.length;
          return;
        }
        this.nextLine();
        continue;
      }
      // Directives and document markers: several documents or other YAML features.
      if (i === this.line && (c === 37 /* % */ || t.startsWith("---", i) || t.startsWith("...", i))) throw new Decline();
      this.indent = i - this.line;
      return;
    }
  }

  /** A block mapping whose keys are at column `indent`, starting at the current line. */
  mapping(indent: number, firstKeyAt?: number): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    let at = firstKeyAt ?? this.line + indent;
    for (;;) {
      const key = this.key(at);
      if (Object.prototype.hasOwnProperty.call(out, key)) throw new Decline(); // js-yaml: duplicated mapping key
      out[key] = this.value(indent, this.after);
      this.skipInsignificant();
      if (this.atEnd() || this.indent < indent) return out;
      // A more-indented line here continues a scalar or is an error: not ours either way.
      if (this.indent > indent) throw new Decline();
      at = this.line + indent;
      if (this.text.charCodeAt(at) === DASH) throw new Decline();
    }
  }

  /** Index just past what the last `key` or quoted scalar read (a field: no tuple per call). */
  private after = 0;

  /** `key:` at `at`; returns the key, and sets `after` to the index after the colon. */
  private key(at: number): string {
    KEY.lastIndex = at;
    if (!KEY.test(this.text)) throw new Decline();
    const end = KEY.lastIndex;
    const after = this.text.charCodeAt(end + 1);
    if (this.text.charCodeAt(end) !== COLON || !(after === SPACE || after === LF || end + 1 >= this.text.length)) throw new Decline();
    const name = this.text.slice(at, end);
    if (name === "__proto__") throw new Decline();
    this.after = end + 1;
    return name;
  }

  /** The value of a key of a mapping at `indent`, from `at` (just after the colon). */
  private value(indent: number, at: number): YamlValue {
    const t = this.text;
    while (t.charCodeAt(at) === SPACE) at++;
    const c = t.charCodeAt(at);
    if (at >= t.length || c === LF || c === HASH) {
      // Nothing on this line: a nested block, or null.
      this.nextLine();
      this.skipInsignificant();
      if (this.atEnd() || this.indent < indent) return null;
      if (this.indent > indent) return this.block(this.indent);
      // A sequence may sit at its key's own indentation.
      if (t.charCodeAt(this.line + indent) === DASH) return this.sequence(indent);
      return null;
    }
    if (c === 124 /* | */ || c === 62 /* > */) return this.blockScalar(indent, at);
    const v = this.scalar(at);
    this.nextLine();
    return v;
  }

  /** A nested block collection at column `indent` (the current line). */
  private block(indent: number): YamlValue {
    return this.text.charCodeAt(this.line + indent) === DASH ? this.sequence(indent) : this.mapping(indent);
  }

  /** A block sequence whose dashes are at column `indent`. */
  private sequence(indent: number): YamlValue[] {
    const t = this.text;
    const out: YamlValue[] = [];
    for (;;) {
      const dash = this.line + indent;
      // `- ` then the item on the same line; a bare `-` (item on the next lines) is not ours.
      if (t.charCodeAt(dash) !== DASH || t.charCodeAt(dash + 1) !== SPACE) throw new Decline();
      let at = dash + 2;
      while (t.charCodeAt(at) === SPACE) at++;
      const c = t.charCodeAt(at);
      if (at >= t.length || c === LF || c === HASH) throw new Decline();
      KEY.lastIndex = at;
      if (KEY.test(t) && t.charCodeAt(KEY.lastIndex) === COLON) {
        // `- key: value`: a compact mapping whose keys sit at the first key's column.
        out.push(this.mapping(at - this.line, at));
      } else {
        if (c === 124 || c === 62) throw new Decline();
        out.push(this.scalar(at));
        this.nextLine();
        this.skipInsignificant();
      }
      if (this.atEnd() || this.indent < indent) return out;
      if (this.indent > indent) throw new Decline();
      if (t.charCodeAt(this.line + indent) !== DASH) return out; // the parent mapping's next key
    }
  }

  /** A one-line scalar from `at` to the end of the line (or a comment). */
  private scalar(at: number): string {
    const t = this.text;
    const c = t.charCodeAt(at);
    const end = this.eol(at);
    let value: string;
    if (c === 34 /* " */) value = this.doubleQuoted(at, end);
    else if (c === 39 /* ' */) value = this.singleQuoted(at + 1, end);
    else {
      if (INDICATORS.includes(t[at]!)) throw new Decline();
      // A plain scalar runs to a ` #` comment or the end of the line. js-yaml keeps trailing
      // spaces in some positions and not others: those we leave to it.
      let stop = at;
      while (stop < end && !(t.charCodeAt(stop) === HASH && t.charCodeAt(stop - 1) === SPACE)) stop++;
      if (stop < end) stop--; // the space before the `#`
      value = t.slice(at, stop);
      if (value.charCodeAt(value.length - 1) === SPACE) throw new Decline();
      // `: ` (or a final `:`) would make it a mapping, which js-yaml rejects here.
      if (value.includes(": ") || value.endsWith(":")) throw new Decline();
      return value;
    }
    // After a quoted scalar: spaces, then a comment or the end of the line.
    const rest = this.after;
    let i = rest;
    while (t.charCodeAt(i) === SPACE) i++;
    if (i < end && !(t.charCodeAt(i) === HASH && i > rest)) throw new Decline();
    return value;
  }

  /** `"…"` on one line, from its opening quote at `open`; sets `after` past the closing quote. */
  private doubleQuoted(open: number, end: number): string {
    const t = this.text;
    // The closing quote is the first one not escaped (preceded by an even number of backslashes).
    let close = open;
    for (;;) {
      close = t.indexOf('"', close + 1);
      if (close === -1 || close > end) throw new Decline(); // runs past the line
      let b = close - 1;
      while (t.charCodeAt(b) === 92) b--;
      if ((close - 1 - b) % 2 === 0) break;
    }
    this.after = close + 1;
    const body = t.slice(open + 1, close);
    if (!body.includes("\\")) return body;
    // Escapes JSON shares (`\"`, `\\`, `\n`, ...): native unescaping, one flat string.
    if (JSON_ESCAPES_ONLY.test(body)) return JSON.parse(t.slice(open, close + 1)) as string;
    const from = open + 1;
    let out = "";
    let run = from;
    for (let i = from; i < close; i++) {
      const c = t.charCodeAt(i);
      if (c !== 92 /* \ */) continue;
      out += t.slice(run, i);
      const e = t[++i];
      const simple = e === undefined ? undefined : ESCAPES[e];
      if (simple !== undefined) out += simple;
      else {
        const len = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
        const hex = t.slice(i + 1, i + 1 + len);
        if (len === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new Decline();
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff) throw new Decline();
        out += String.fromCodePoint(cp);
        i += len;
      }
      run = i + 1;
    }
    return out + t.slice(run, close);
  }

  /** `'…'` on one line (`''` is a quote), from after the opening quote; sets `after`. */
  private singleQuoted(from: number, end: number): string {
    const t = this.text;
    let out = "";
    let run = from;
    for (let i = from; i < end; i++) {
      if (t.charCodeAt(i) !== 39) continue;
      if (t.charCodeAt(i + 1) === 39) {
        out += t.slice(run, i + 1);
        run = i + 2;
        i++;
        continue;
      }
      this.after = i + 1;
      return out + t.slice(run, i);
    }
    throw new Decline();
  }

  /**
   * `|`, `|-`, `|+`, `>`, `>-` of a key of a mapping at `indent`. Declined: indentation
   * indicators, `>+`, folded text with blank or more-indented lines, lines of only spaces,
   * a first line that is blank or not indented past the mapping.
   */
  private blockScalar(indent: number, at: number): string {
    const t = this.text;
    const folded = t.charCodeAt(at) === 62;
    let i = at + 1;
    let chomp = "clip";
    if (t[i] === "-") (chomp = "strip"), i++;
    else if (t[i] === "+") (chomp = "keep"), i++;
    if (folded && chomp === "keep") throw new Decline();
    const headerEnd = this.eol(i);
    let j = i;
    while (t.charCodeAt(j) === SPACE) j++;
    if (j < headerEnd && !(t.charCodeAt(j) === HASH && j > i)) throw new Decline();
    this.line = headerEnd + 1;
    if (this.line > t.length) throw new Decline();
    // The content's indentation is the first line's, which must be past the mapping's.
    let contentIndent = 0;
    while (t.charCodeAt(this.line + contentIndent) === SPACE) contentIndent++;
    const firstEnd = this.eol(this.line);
    if (contentIndent <= indent || this.line + contentIndent >= firstEnd) throw new Decline();
    const lines: string[] = [];
    let trailingBlank = 0;
    while (this.line < t.length) {
      const e = this.eol(this.line);
      if (e === this.line) {
        // An empty line: content if more content follows, else trailing (chomping decides).
        trailingBlank++;
        this.line = e + 1;
        continue;
      }
      let k = 0;
      while (t.charCodeAt(this.line + k) === SPACE) k++;
      if (this.line + k === e) throw new Decline(); // a line of spaces only
      if (k < contentIndent) break;
      if (folded && (k > contentIndent || trailingBlank > 0)) throw new Decline();
      for (; trailingBlank > 0; trailingBlank--) lines.push("");
      lines.push(t.slice(this.line + contentIndent, e));
      this.line = e + 1 > t.length ? t.length : e + 1;
    }
    if (this.line > t.length) this.line = t.length;
    // A final line without LF still ends with one in the value (as js-yaml does) unless stripped.
    let value = lines.join(folded ? " " : "\n");
    if (chomp === "clip") value += "\n";
    else if (chomp === "keep") value += "\n" + "\n".repeat(trailingBlank);
    this.skipInsignificant();
    return value;
  }
}

/** js-yaml's single-character escapes in double-quoted scalars. */
const ESCAPES: Record<string, string> = {
  "0": "\x00", a: "\x07", b: "\x08", t: "\x09", n: "\x0A", v: "\x0B", f: "\x0C", r: "\x0D", e: "\x1B",
  " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xA0", L: "\u2028", P: "\u2029",
};
