/**
 * Go regexp (RE2 syntax, Perl flags) → JS RegExp translation, plus Go's
 * Regexp.ReplaceAllString and MatchString semantics, for Prometheus'
 * `reReplaceAll` and `match` template functions.
 *
 * The translator parses the RE2 pattern itself (following go1.19
 * src/regexp/syntax/parse.go) and emits an equivalent JS pattern, spelling
 * out the constructs whose meaning differs between the two engines:
 *   .        → [^\n]  (JS's . also excludes \r, U+2028, U+2029)
 *   \s       → [\t\n\f\r ]  (JS's \s is Unicode-wide)
 *   \d \w    → ASCII ranges; ^ $ with (?m) → \n-only lookarounds
 *   (?P<n>)  → plain capture group (names kept on the side: Go allows
 *              duplicates, JS does not)
 * Patterns Go rejects are rejected (RegexpError with Go's message); valid
 * constructs we cannot express faithfully (case-folding switched on for only
 * part of a pattern) raise RegexpUnsupported.
 */

export class RegexpError extends Error {}
export class RegexpUnsupported extends Error {}

interface Flags {
  foldCase: boolean;
  multiLine: boolean; // (?m): ^ and $ match at line boundaries
  dotNL: boolean; // (?s)
  nonGreedy: boolean; // (?U)
}

type Node =
  /** `empty`: a zero-width assertion (matches the empty string). */
  | { kind: "atom"; src: string; fold: "yes" | "no" | "any"; empty?: boolean }
  | { kind: "group"; capture: boolean; alts: Node[][] }
  | { kind: "repeat"; sub: Node; min: number; max: number; lazy: boolean };

export interface CompiledRegexp {
  /** Global + unicode JS RegExp equivalent to the Go pattern. */
  readonly re: RegExp;
  /** Capture group names by index (index 0 = whole match); "" when unnamed. */
  readonly names: readonly string[];
  /** A capture group is inside a loop (JS and RE2 report different submatches). */
  readonly captureInLoop: boolean;
}

type Ranges = ReadonlyArray<readonly [number, number]>;

/** POSIX classes ([:alpha:] ...), ASCII-only in RE2. */
const POSIX: Readonly<Record<string, Ranges>> = {
  alnum: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]],
  alpha: [[0x41, 0x5a], [0x61, 0x7a]],
  ascii: [[0x0, 0x7f]],
  blank: [[0x9, 0x9], [0x20, 0x20]],
  cntrl: [[0x0, 0x1f], [0x7f, 0x7f]],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]],
  space: [[0x9, 0xd], [0x20, 0x20]],
  upper: [[0x41, 0x5a]],
  word: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]],
  xdigit: [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]],
};

/** Perl classes: RE2's \s is [\t\n\f\r ] (no \v, not Unicode-wide like JS). */
const PERL: Readonly<Record<string, Ranges>> = {
  d: [[0x30, 0x39]],
  s: [[0x9, 0xa], [0xc, 0xd], [0x20, 0x20]],
  w: [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a], [0x5f, 0x5f]],
};

function rangesBody(r: Ranges): string {
  return r.map(([lo, hi]) => (lo === hi ? lit(lo) : `${lit(lo)}-${lit(hi)}`)).join("");
}

function complement(r: Ranges): Ranges {
  const sorted = [...r].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const CATEGORIES = new Set(
  "L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp Cc Cf Co Cs".split(" "),
);

function lit(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return /^[A-Za-z0-9_]$/.test(ch) ? ch : `\\u{${cp.toString(16)}}`;
}

function hasCase(cp: number): boolean {
  const ch = String.fromCodePoint(cp);
  return ch.toLowerCase() !== ch.toUpperCase() || cp === 0x130 || cp === 0x131 || cp === 0x17f || cp === 0x212a;
}

/** Whether case folding can change what a class range matches. */
function rangeHasCase(lo: number, hi: number): boolean {
  const overlaps = (a: number, b: number): boolean => lo <= b && hi >= a;
  return hi >= 0xb5 || overlaps(0x41, 0x5a) || overlaps(0x61, 0x7a) || hasCase(lo) || hasCase(hi);
}

/** JS class body (inside [...]) for \p{name}; undefined if Go would not know it. */
function unicodeClassBody(name: string): string | undefined {
  if (name === "Any") return "\\u{0}-\\u{10ffff}";
  if (name === "C") return "\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}"; // Go's C excludes Cn
  if (CATEGORIES.has(name)) return `\\p{${name}}`;
  if (!/^[A-Za-z_]+$/.test(name)) return undefined;
  try {
    new RegExp(`\\p{Script=${name}}`, "u");
    return `\\p{Script=${name}}`;
  } catch {
    return undefined;
  }
}

class Re2Parser {
  private pos = 0;
  private flags: Flags = { foldCase: false, multiLine: false, dotNL: false, nonGreedy: false };
  readonly names: string[] = [""];
  private readonly runes: number[];

  constructor(private readonly pattern: string) {
    this.runes = [...pattern].map((c) => c.codePointAt(0) ?? 0);
  }

  private err(code: string, expr: string): never {
    throw new RegexpError(`error parsing regexp: ${code}: \`${expr}\``);
  }

  private peek(off = 0): number | undefined {
    return this.runes[this.pos + off];
  }

  private text(from: number, to = this.pos): string {
    return String.fromCodePoint(...this.runes.slice(from, to));
  }

  parse(): Node[][] {
    const alts = this.parseAlternation(0);
    if (this.pos < this.runes.length) this.err("unexpected )", this.pattern);
    return alts;
  }

  /** Parses until ')' (depth>0) or end; returns alternatives. */
  private parseAlternation(depth: number): Node[][] {
    const alts: Node[][] = [[]];
    let lastRepeatStart = -1;
    for (;;) {
      const c = this.peek();
      if (c === undefined) {
        if (depth > 0) this.err("missing closing )", this.pattern);
        return alts;
      }
      const cur = alts[alts.length - 1] as Node[];
      const start = this.pos;
      const ch = String.fromCodePoint(c);
      let isRepeat = false;
      if (ch === ")") {
        if (depth === 0) this.err("unexpected )", this.pattern);
        return alts;
      } else if (ch === "|") {
        this.pos++;
        alts.push([]);
      } else if (ch === "(") {
        cur.push(...this.parseGroup(depth));
      } else if (ch === "*" || ch === "+" || ch === "?") {
        this.pos++;
        const [min, max] = ch === "*" ? [0, -1] : ch === "+" ? [1, -1] : [0, 1];
        this.applyRepeat(cur, min, max, start, lastRepeatStart);
        isRepeat = true;
      } else if (ch === "{") {
        const rep = this.parseRepeatBraces();
        if (rep === undefined) {
          this.pos++;
          cur.push({ kind: "atom", src: lit(c), fold: "any" });
        } else {
          const [min, max] = rep;
          if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
            this.err("invalid repeat count", this.text(start));
          }
          this.applyRepeat(cur, min, max, start, lastRepeatStart);
          isRepeat = true;
        }
      } else if (ch === "^") {
        this.pos++;
        cur.push({ kind: "atom", src: this.flags.multiLine ? "(?:^|(?<=\\n))" : "^", fold: "any", empty: true });
      } else if (ch === "$") {
        this.pos++;
        cur.push({ kind: "atom", src: this.flags.multiLine ? "(?:$|(?=\\n))" : "$", fold: "any", empty: true });
      } else if (ch === ".") {
        this.pos++;
        cur.push({ kind: "atom", src: this.flags.dotNL ? "[\\u{0}-\\u{10ffff}]" : "[^\\n]", fold: "any" });
      } else if (ch === "[") {
        cur.push(this.parseClass());
      } else if (ch === "\\") {
        cur.push(...this.parseBackslash());
      } else {
        this.pos++;
        cur.push({ kind: "atom", src: lit(c), fold: hasCase(c) ? (this.flags.foldCase ? "yes" : "no") : "any" });
      }
      lastRepeatStart = isRepeat ? start : -1;
    }
  }

  private applyRepeat(cur: Node[], min: number, max: number, start: number, lastRepeatStart: number): void {
    let lazy = this.flags.nonGreedy;
    if (this.peek() === 0x3f) {
      this.pos++;
      lazy = !lazy;
    }
    if (lastRepeatStart >= 0) this.err("invalid nested repetition operator", this.text(lastRepeatStart));
    const sub = cur.pop();
    if (sub === undefined) this.err("missing argument to repetition operator", this.text(start));
    const node: Node = { kind: "repeat", sub, min, max, lazy };
    if ((min >= 2 || max >= 2) && !repeatIsValid(node, 1000)) this.err("invalid repeat count", this.text(start));
    cur.push(node);
  }

  /** {n}, {n,}, {n,m}; undefined when the text is not a repeat (then '{' is literal). */
  private parseRepeatBraces(): [number, number] | undefined {
    const rest = this.text(this.pos, this.runes.length);
    const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(rest);
    if (!m) return undefined;
    const num = (s: string): number => (s.length > 8 ? 1e9 : Number(s)); // Go: too big → -1 → error
    const min = num(m[1] ?? "");
    const max = m[2] === undefined ? min : m[3] === "" ? -1 : num(m[3] ?? "");
    this.pos += m[0].length;
    return [min, max];
  }

  private parseGroup(depth: number): Node[] {
    const start = this.pos;
    const saved = { ...this.flags };
    this.pos++; // (
    let capture = true;
    if (this.peek() === 0x3f) {
      // (?
      const rest = this.text(this.pos, this.runes.length);
      if (rest.startsWith("?P<")) {
        const end = rest.indexOf(">");
        if (end < 0) this.err("invalid named capture", this.text(start, this.runes.length));
        const name = rest.slice(3, end);
        // go1.19 isValidCaptureName: ASCII letters, digits and underscore.
        if (!/^[A-Za-z0-9_]+$/.test(name)) {
          this.err("invalid named capture", "(" + rest.slice(0, end + 1));
        }
        this.pos += [...rest.slice(0, end + 1)].length;
        this.names.push(name);
      } else {
        // Flags: (?flags) or (?flags:re)
        this.pos++;
        const f = { ...this.flags };
        let neg = false;
        let sawFlag = false;
        for (;;) {
          const c = this.peek();
          const ch = c === undefined ? "" : String.fromCodePoint(c);
          this.pos++;
          if (ch === "i" || ch === "m" || ch === "s" || ch === "U") {
            const key = ch === "i" ? "foldCase" : ch === "m" ? "multiLine" : ch === "s" ? "dotNL" : "nonGreedy";
            f[key] = !neg;
            sawFlag = true;
          } else if (ch === "-" && !neg) {
            neg = true;
            sawFlag = false;
          } else if ((ch === ":" || ch === ")") && !(neg && !sawFlag)) {
            this.flags = f;
            if (ch === ")") return []; // flags apply to the rest of the current group
            capture = false;
            break;
          } else {
            this.err("invalid or unsupported Perl syntax", this.text(start, Math.min(this.pos, this.runes.length)));
          }
        }
      }
    } else {
      this.names.push("");
    }
    const alts = this.parseAlternation(depth + 1);
    this.pos++; // )
    this.flags = saved;
    return [{ kind: "group", capture, alts }];
  }

  private parseBackslash(): Node[] {
    const start = this.pos;
    const c = this.peek(1);
    if (c === undefined) this.err("trailing backslash at end of expression", "");
    const ch = String.fromCodePoint(c);
    const fold = this.flags.foldCase ? "yes" : "no";
    switch (ch) {
      case "A":
        this.pos += 2;
        return [{ kind: "atom", src: "^", fold: "any", empty: true }];
      case "z":
        this.pos += 2;
        return [{ kind: "atom", src: "$", fold: "any", empty: true }];
      case "b":
      case "B":
        this.pos += 2;
        return [{ kind: "atom", src: "\\" + ch, fold: "any", empty: true }];
      case "Q": {
        this.pos += 2;
        const rest = this.text(this.pos, this.runes.length);
        const end = rest.indexOf("\\E");
        const body = end < 0 ? rest : rest.slice(0, end);
        this.pos += [...body].length + (end < 0 ? 0 : 2);
        return [...body].map((s) => {
          const cp = s.codePointAt(0) ?? 0;
          return { kind: "atom" as const, src: lit(cp), fold: hasCase(cp) ? fold : ("any" as const) };
        });
      }
      case "C":
        this.err("invalid escape sequence", "\\C");
    }
    const cls = this.tryClassEscape();
    if (cls !== undefined) {
      return [{ kind: "atom", src: `[${cls.negated ? "^" : ""}${cls.body}]`, fold: cls.foldSensitive ? fold : "any" }];
    }
    const r = this.parseEscape();
    return [{ kind: "atom", src: lit(r), fold: hasCase(r) ? fold : "any" }];
  }

  /** \d \D \s \S \w \W \pX \p{X} \PX \P{^X} at the current position. */
  private tryClassEscape():
    | { body: string; negated: boolean; foldSensitive: boolean; complement?: string }
    | undefined {
    const c = this.peek(1);
    if (c === undefined) return undefined;
    const ch = String.fromCodePoint(c);
    const perl = PERL[ch.toLowerCase()];
    if (perl !== undefined && "dDsSwW".includes(ch)) {
      this.pos += 2;
      const negated = ch !== ch.toLowerCase();
      return { body: rangesBody(perl), negated, foldSensitive: ch === "w" || ch === "W", complement: rangesBody(complement(perl)) };
    }
    if (ch !== "p" && ch !== "P") return undefined;
    const start = this.pos;
    let negated = ch === "P";
    this.pos += 2;
    const n = this.peek();
    if (n === undefined) this.err("invalid character class range", this.text(start));
    let name: string;
    if (n === 0x7b) {
      const rest = this.text(this.pos, this.runes.length);
      const end = rest.indexOf("}");
      if (end < 0) this.err("invalid character class range", this.text(start, this.runes.length));
      name = rest.slice(1, end);
      this.pos += [...rest.slice(0, end + 1)].length;
    } else {
      name = String.fromCodePoint(n);
      this.pos++;
    }
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.slice(1);
    }
    const body = unicodeClassBody(name);
    if (body === undefined) this.err("invalid character class range", this.text(start));
    return { body, negated, foldSensitive: true };
  }

  /** regexp/syntax parseEscape: a single escaped rune. */
  private parseEscape(): number {
    const start = this.pos;
    this.pos++; // backslash
    const c = this.peek();
    if (c === undefined) this.err("trailing backslash at end of expression", "");
    this.pos++;
    const isOct = (x: number | undefined): boolean => x !== undefined && x >= 0x30 && x <= 0x37;
    const hexVal = (x: number | undefined): number => {
      if (x === undefined) return -1;
      const s = String.fromCodePoint(x);
      return /^[0-9a-fA-F]$/.test(s) ? parseInt(s, 16) : -1;
    };
    const bad = (): never => this.err("invalid escape sequence", this.text(start));
    if (c < 0x80 && !/^[0-9A-Za-z]$/.test(String.fromCodePoint(c))) return c;
    if (c >= 0x31 && c <= 0x37 && !isOct(this.peek())) bad();
    if (c >= 0x30 && c <= 0x37) {
      let r = c - 0x30;
      for (let i = 1; i < 3 && isOct(this.peek()); i++) {
        r = r * 8 + ((this.peek() ?? 0x30) - 0x30);
        this.pos++;
      }
      return r;
    }
    switch (String.fromCodePoint(c)) {
      case "x": {
        if (this.peek() === undefined) bad();
        if (this.peek() === 0x7b) {
          this.pos++;
          let r = 0;
          let nhex = 0;
          for (;;) {
            const d = this.peek();
            if (d === undefined) bad();
            this.pos++;
            if (d === 0x7d) break;
            const v = hexVal(d);
            if (v < 0) bad();
            r = r * 16 + v;
            if (r > 0x10ffff) bad();
            nhex++;
          }
          if (nhex === 0) bad();
          return r;
        }
        const x = hexVal(this.peek());
        this.pos++;
        const y = hexVal(this.peek());
        this.pos++;
        if (x < 0 || y < 0) {
          this.pos = Math.min(this.pos, this.runes.length);
          bad();
        }
        return x * 16 + y;
      }
      case "a":
        return 7;
      case "f":
        return 12;
      case "n":
        return 10;
      case "r":
        return 13;
      case "t":
        return 9;
      case "v":
        return 11;
    }
    return bad();
  }

  private parseClass(): Node {
    const start = this.pos;
    this.pos++; // [
    let negated = false;
    if (this.peek() === 0x5e) {
      negated = true;
      this.pos++;
    }
    let body = "";
    let first = true;
    let foldSensitive = false;
    for (;;) {
      const c = this.peek();
      if (c === 0x5d && !first) break;
      if (c === undefined) this.err("missing closing ]", this.text(start, this.runes.length));
      first = false;
      if (c === 0x5b && this.peek(1) === 0x3a) {
        const rest = this.text(this.pos, this.runes.length);
        const end = rest.indexOf(":]", 2);
        if (end >= 0) {
          let name = rest.slice(2, end);
          const neg = name.startsWith("^");
          if (neg) name = name.slice(1);
          const posix = POSIX[name];
          if (posix === undefined) this.err("invalid character class range", rest.slice(0, end + 2));
          body += rangesBody(neg ? complement(posix) : posix);
          foldSensitive = true;
          this.pos += end + 2;
          continue;
        }
      }
      if (c === 0x5c) {
        const cls = this.tryClassEscape();
        if (cls !== undefined) {
          if (cls.negated) {
            // [^...] pieces cannot be nested in a JS class without the v flag.
            if (cls.complement !== undefined) body += cls.complement;
            else if (/^(\\p\{[^}]*\})+$/.test(cls.body)) {
              if (cls.body.indexOf("\\p{") !== cls.body.lastIndexOf("\\p{")) {
                throw new RegexpUnsupported("negated multi-part Unicode class inside a character class");
              }
              body += cls.body.replace("\\p{", "\\P{");
            } else throw new RegexpUnsupported("negated class inside a character class");
          } else {
            body += cls.body;
          }
          foldSensitive = true;
          continue;
        }
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peek() === 0x2d && this.peek(1) !== undefined && this.peek(1) !== 0x5d) {
        const rangeStart = this.pos;
        this.pos++;
        hi = this.classChar();
        if (hi < lo) this.err("invalid character class range", this.text(rangeStart - 1, this.pos));
      }
      if (rangeHasCase(lo, hi)) foldSensitive = true;
      body += lo === hi ? lit(lo) : `${lit(lo)}-${lit(hi)}`;
    }
    this.pos++; // ]
    if (negated && body.includes("\\P{") && body.includes("\\p{")) {
      throw new RegexpUnsupported("mixed Unicode classes in a negated class");
    }
    const src = body === "" ? (negated ? "[\\u{0}-\\u{10ffff}]" : "[^\\u{0}-\\u{10ffff}]") : `[${negated ? "^" : ""}${body}]`;
    return { kind: "atom", src, fold: foldSensitive ? (this.flags.foldCase ? "yes" : "no") : "any" };
  }

  private classChar(): number {
    const c = this.peek();
    if (c === undefined) this.err("missing closing ]", this.pattern);
    if (c === 0x5c) return this.parseEscape();
    this.pos++;
    return c;
  }
}

function repeatIsValid(n: Node, limit: number): boolean {
  if (n.kind === "repeat") {
    let m = n.max;
    if (m === 0) return true;
    if (m < 0) m = n.min;
    if (m > limit) return false;
    if (m > 0) limit = Math.trunc(limit / m);
    return repeatIsValid(n.sub, limit);
  }
  if (n.kind === "group") return n.alts.every((alt) => alt.every((x) => repeatIsValid(x, limit)));
  return true;
}

function emit(alts: Node[][]): string {
  return alts.map((alt) => alt.map(emitNode).join("")).join("|");
}

function emitNode(n: Node): string {
  switch (n.kind) {
    case "atom":
      return n.src;
    case "group":
      return (n.capture ? "(" : "(?:") + emit(n.alts) + ")";
    case "repeat": {
      const sub = n.sub.kind === "atom" || n.sub.kind === "group" ? emitNode(n.sub) : `(?:${emitNode(n.sub)})`;
      let q: string;
      if (n.min === 0 && n.max === -1) q = "*";
      else if (n.min === 1 && n.max === -1) q = "+";
      else if (n.min === 0 && n.max === 1) q = "?";
      else if (n.max === -1) q = `{${n.min},}`;
      else if (n.min === n.max) q = `{${n.min}}`;
      else q = `{${n.min},${n.max}}`;
      // JS rejects quantifiers on assertions; wrap every atom to be safe.
      return `(?:${sub})${q}${n.lazy ? "?" : ""}`;
    }
  }
}

function nullable(n: Node): boolean {
  if (n.kind === "atom") return n.empty === true;
  if (n.kind === "group") return n.alts.some((alt) => alt.every(nullable));
  return n.min === 0 || nullable(n.sub);
}

/**
 * Looks for constructs where RE2 and JS backtracking disagree:
 *  - a loop over a sub-expression that can match "" (JS refuses empty
 *    iterations, RE2 does not, so match positions can differ);
 *  - captures inside a loop (JS resets them on every iteration, RE2 keeps
 *    the last match), which only matters when the replacement uses groups.
 * Returns whether a capture group sits inside a loop.
 */
function checkLoops(alts: Node[][], inLoop: boolean): boolean {
  let captureInLoop = false;
  for (const alt of alts) {
    for (const n of alt) {
      if (n.kind === "group") {
        if (n.capture && inLoop) captureInLoop = true;
        if (checkLoops(n.alts, inLoop)) captureInLoop = true;
      } else if (n.kind === "repeat") {
        const loops = n.max === -1 || n.max > 1;
        if (loops && nullable(n.sub)) {
          throw new RegexpUnsupported("repetition of a sub-expression that can match the empty string");
        }
        if (checkLoops([[n.sub]], inLoop || loops)) captureInLoop = true;
      }
    }
  }
  return captureInLoop;
}

function collectFold(alts: Node[][], out: Set<string>): void {
  for (const alt of alts) {
    for (const n of alt) {
      if (n.kind === "atom") out.add(n.fold);
      else if (n.kind === "group") collectFold(n.alts, out);
      else collectFold([[n.sub]], out);
    }
  }
}

const cache = new Map<string, CompiledRegexp | RegexpError | RegexpUnsupported>();

/** regexp.Compile(pattern) → JS equivalent. Throws RegexpError / RegexpUnsupported. */
export function compileGoRegexp(pattern: string): CompiledRegexp {
  const hit = cache.get(pattern);
  if (hit instanceof Error) throw hit;
  if (hit !== undefined) return hit;
  try {
    const p = new Re2Parser(pattern);
    const alts = p.parse();
    const folds = new Set<string>();
    collectFold(alts, folds);
    if (folds.has("yes") && folds.has("no")) {
      throw new RegexpUnsupported("case-insensitive matching on only part of the pattern");
    }
    const captureInLoop = checkLoops(alts, false);
    const flags = folds.has("yes") ? "giu" : "gu";
    let re: RegExp;
    try {
      re = new RegExp(emit(alts), flags);
    } catch (e) {
      throw new RegexpUnsupported(`cannot translate pattern: ${(e as Error).message}`);
    }
    const compiled = { re, names: p.names, captureInLoop };
    cache.set(pattern, compiled);
    return compiled;
  } catch (e) {
    if (e instanceof RegexpError || e instanceof RegexpUnsupported) cache.set(pattern, e);
    throw e;
  }
}

/** regexp.MatchString(pattern, s). */
export function goMatchString(pattern: string, s: string): boolean {
  const { re } = compileGoRegexp(pattern);
  re.lastIndex = 0;
  return re.exec(s) !== null;
}

/** Regexp.Expand's template handling ($1, ${name}, $$). */
function expand(template: string, m: RegExpExecArray, names: readonly string[]): string {
  let out = "";
  let t = template;
  for (;;) {
    const i = t.indexOf("$");
    if (i < 0) break;
    out += t.slice(0, i);
    t = t.slice(i + 1);
    if (t.startsWith("$")) {
      out += "$";
      t = t.slice(1);
      continue;
    }
    const ex = /^(?:\{([\p{L}\p{Nd}_]+)\}|([\p{L}\p{Nd}_]+))/u.exec(t);
    if (!ex) {
      out += "$";
      continue;
    }
    const name = (ex[1] ?? ex[2]) as string;
    t = t.slice(ex[0].length);
    let num = -1;
    if (/^[0-9]+$/.test(name) && !(name[0] === "0" && name.length > 1) && name.length <= 9) num = Number(name);
    if (num >= 0) {
      out += m[num] ?? "";
    } else {
      for (let g = 0; g < names.length; g++) {
        if (names[g] === name && m[g] !== undefined) {
          out += m[g];
          break;
        }
      }
    }
  }
  return out + t;
}

/** Regexp.ReplaceAllString, including Go's empty-match rules. */
export function goReplaceAllString(pattern: string, src: string, repl: string): string {
  const { re, names, captureInLoop } = compileGoRegexp(pattern);
  if (captureInLoop && /\$[^$]/.test(repl.replaceAll("$$", ""))) {
    throw new RegexpUnsupported("replacement refers to groups captured inside a repetition");
  }
  let out = "";
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length) {
    re.lastIndex = searchPos;
    const m = re.exec(src);
    if (m === null) break;
    const a0 = m.index;
    const a1 = a0 + m[0].length;
    out += src.slice(lastMatchEnd, a0);
    // No replacement for an empty match right after the previous match.
    if (a1 > lastMatchEnd || a0 === 0) out += expand(repl, m, names);
    lastMatchEnd = a1;
    const cp = src.codePointAt(searchPos);
    const width = cp === undefined ? 0 : cp > 0xffff ? 2 : 1;
    if (searchPos + width > a1) searchPos += width;
    else if (searchPos + 1 > a1) searchPos++;
    else searchPos = a1;
  }
  return out + src.slice(lastMatchEnd);
}
