/** PromQL string literals: Go's quoting rules for "…" and '…', raw text in `…`. */

export type UnquoteResult = { ok: true; value: string } | { ok: false; error: string; offset?: number };

const SIMPLE: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

export function unquoteString(raw: string): UnquoteResult {
  const quote = raw[0];
  if (raw.length < 2 || raw[raw.length - 1] !== quote || (quote !== '"' && quote !== "'" && quote !== "`")) {
    return { ok: false, error: "unterminated quoted string", offset: 0 };
  }
  const body = raw.slice(1, -1);
  if (quote === "`") return { ok: true, value: body };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === "\n") return { ok: false, error: "unterminated quoted string", offset: 0 };
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return { ok: false, error: "unterminated quoted string", offset: 0 };
    if (SIMPLE[next] !== undefined) {
      out += SIMPLE[next];
      i++;
    } else if (next === quote) {
      out += quote;
      i++;
    } else if (next === "x" || next === "u" || next === "U") {
      const len = next === "x" ? 2 : next === "u" ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) return { ok: false, error: "invalid syntax", offset: i + 1 };
      out += next === "x" ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      i += 1 + len;
    } else if (next >= "0" && next <= "7") {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return { ok: false, error: "invalid syntax", offset: i + 1 };
      out += String.fromCharCode(parseInt(oct, 8));
      i += 3;
    } else {
      return { ok: false, error: `unknown escape sequence "\\${next}"`, offset: i + 1 };
    }
  }
  return { ok: true, value: out };
}
