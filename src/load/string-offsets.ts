/**
 * Maps character indexes of a string's value (cooked) to offsets in its source text (raw),
 * so a PromQL error at value index 17 lands on the right column even after escapes.
 * Handles JS/TS escapes (`\n`, `\xHH`, `\uHHHH`, `\u{H..}`, line continuations) and, for
 * template literals, CRLF normalisation.
 */
export function cookedToRawMap(raw: string, template: boolean): number[] {
  const map: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch === "\\") {
      const next = raw[i + 1] ?? "";
      let len = 2;
      let units = 1;
      if (next === "x") len = 4;
      else if (next === "u" && raw[i + 2] === "{") {
        const close = raw.indexOf("}", i + 3);
        len = close < 0 ? 2 : close - i + 1;
        const cp = parseInt(raw.slice(i + 3, close), 16);
        units = cp > 0xffff ? 2 : 1;
      } else if (next === "u") len = 6;
      else if (next === "\r" && raw[i + 2] === "\n") {
        len = 3;
        units = 0;
      } else if (next === "\n" || next === "\r" || next === "\u2028" || next === "\u2029") units = 0;
      for (let u = 0; u < units; u++) map.push(i);
      i += len;
      continue;
    }
    if (template && ch === "\r" && raw[i + 1] === "\n") {
      map.push(i);
      i += 2;
      continue;
    }
    map.push(i);
    i += 1;
  }
  map.push(raw.length);
  return map;
}
