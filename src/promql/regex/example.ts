/**
 * A short string that a label-matcher regex accepts, for synthesising test series
 * (`code=~"5.."` → "500"). Walks the pattern taking the first alternative and the minimum
 * repetition, then confirms the candidate with the real matcher; returns undefined when the
 * pattern is beyond this walker (callers then fall back to other candidates).
 */
import { re2FullMatch } from "./match.js";

/** Preferred stand-ins for `.`, so `5..` becomes "500" rather than "5aa". */
const ANY_CHAR = "0";

class Walker {
  private i = 0;
  constructor(private readonly src: string) {}

  /** alternation := sequence ('|' sequence)*; yields the first alternative's example. */
  alternation(): string {
    const first = this.sequence();
    while (this.src[this.i] === "|") {
      this.i++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = "";
    while (this.i < this.src.length && this.src[this.i] !== "|" && this.src[this.i] !== ")") {
      const atom = this.atom();
      out += this.repeat(atom);
    }
    return out;
  }

  private repeat(atom: string): string {
    const c = this.src[this.i];
    if (c === "*" || c === "?") {
      this.i++;
      this.lazy();
      return "";
    }
    if (c === "+") {
      this.i++;
      this.lazy();
      return atom;
    }
    if (c === "{") {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.src.slice(this.i));
      if (m) {
        this.i += m[0].length;
        this.lazy();
        return atom.repeat(Number(m[1]));
      }
    }
    return atom;
  }

  private lazy(): void {
    if (this.src[this.i] === "?") this.i++;
  }

  private atom(): string {
    const c = this.src[this.i++] as string;
    switch (c) {
      case "(": {
        if (this.src[this.i] === "?") {
          const flags = /^\?[imsU-]*\)/.exec(this.src.slice(this.i));
          if (flags) {
            this.i += flags[0].length; // (?i): flags only, matches nothing
            return "";
          }
          const m = /^\?(P?<[^>]*>|[imsU-]*:)/.exec(this.src.slice(this.i));
          if (!m) throw new Error("flags group");
          this.i += m[0].length;
        }
        const inner = this.alternation();
        if (this.src[this.i++] !== ")") throw new Error("unbalanced");
        return inner;
      }
      case "[":
        return this.charClass();
      case ".":
        return ANY_CHAR;
      case "^":
      case "$":
        return "";
      case "\\":
        return this.escape();
      default:
        return c;
    }
  }

  private escape(): string {
    const c = this.src[this.i++];
    if (c === undefined) throw new Error("trailing backslash");
    if (c === "d") return "0";
    if (c === "w") return "a";
    if (c === "s") return " ";
    if (c === "n") return "\n";
    if (c === "t") return "\t";
    if (/[A-Za-z0-9]/.test(c)) throw new Error(`escape \\${c}`);
    return c;
  }

  /** First member of a positive class; negated classes get a character outside the listed ones. */
  private charClass(): string {
    const negated = this.src[this.i] === "^";
    if (negated) this.i++;
    const listed: string[] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== "]" || first)) {
      first = false;
      let ch = this.src[this.i++] as string;
      if (ch === "\\") ch = this.escape();
      else if (ch === "[" && this.src[this.i] === ":") {
        const end = this.src.indexOf(":]", this.i);
        if (end < 0) throw new Error("posix class");
        const name = this.src.slice(this.i + 1, end);
        this.i = end + 2;
        ch = name === "digit" ? "0" : name === "space" ? " " : "a";
      }
      listed.push(ch);
      if (this.src[this.i] === "-" && this.src[this.i + 1] !== "]") this.i += 2; // range: keep its start
    }
    this.i++; // ']'
    if (!negated) return listed[0] ?? "";
    return ["a", "0", "x", "_", "-"].find((c) => !listed.includes(c)) ?? "~";
  }

  done(): boolean {
    return this.i >= this.src.length;
  }
}

export function exampleMatching(pattern: string): string | undefined {
  let candidate: string;
  try {
    const w = new Walker(pattern);
    candidate = w.alternation();
    if (!w.done()) return undefined;
    return re2FullMatch(pattern, candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}
