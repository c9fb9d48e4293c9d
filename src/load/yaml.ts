/**
 * Loads `monitoring.yaml` / `monitoring.json` (JSON is read by the same YAML 1.2 parser, which
 * keeps node ranges) and locates values by walking the document's nodes.
 */
import { readFileSync } from "node:fs";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from "yaml";
import { makeDiagnostic, type SourceLocation, type SpecRef } from "../diagnostics/index.js";
import type { LoadResult, Locator, SpecKind } from "./types.js";

export function loadYamlSpec(file: string, kind: Extract<SpecKind, "yaml" | "json">): LoadResult {
  const text = readFileSync(file, "utf8");
  const lines = new LineCounter();
  if (kind === "json") {
    // JSON is read by the YAML parser for its node ranges, but must be JSON: trailing commas,
    // comments and single quotes are YAML that JSON.parse (and every other tool) refuses.
    const error = jsonError(text);
    if (error) {
      parseDocument(text, { lineCounter: lines, prettyErrors: false });
      const d = makeDiagnostic("VIG1002", `invalid JSON: ${error.message}`);
      d.location = toLocation(file, lines, error.offset, Math.min(error.offset + 1, text.length));
      return { diagnostics: [d] };
    }
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map((e) => {
        const d = makeDiagnostic("VIG1002", e.message.split("\n")[0] ?? e.message);
        d.location = toLocation(file, lines, e.pos[0], e.pos[1]);
        return d;
      }),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // The yaml library refuses documents whose aliases expand too far (a "billion laughs" bomb).
    const bomb = err instanceof ReferenceError && /alias/i.test(err.message);
    const d = makeDiagnostic("VIG1002", bomb ? "the document's aliases expand too far (more than 100 uses of an alias)" : `the document cannot be read: ${(err as Error).message}`, undefined, {
      hint: bomb ? "write the repeated parts out, or use fewer aliases" : undefined,
    });
    const alias = bomb ? firstAliasOffset(text) : undefined;
    d.location = alias === undefined ? { file, line: 1, column: 1 } : toLocation(file, lines, alias, alias + 1);
    return { diagnostics: [d] };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const d = makeDiagnostic("VIG1004", "the spec document is not a mapping");
    d.location = { file, line: 1, column: 1 };
    return { diagnostics: [d] };
  }
  return { spec: { file, kind, value, locator: yamlLocator(file, text, doc, lines) }, diagnostics: [] };
}

/** JSON.parse's complaint about the text and the offset it names (the end when it names none); undefined when it parses. */
function jsonError(text: string): { message: string; offset: number } | undefined {
  const bom = text.startsWith("\uFEFF") ? 1 : 0;
  try {
    JSON.parse(text.slice(bom));
    return undefined;
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const at = /at position (\d+)/.exec(raw);
    const offset = at ? Number(at[1]) + bom : text.length;
    const message = raw.replace(/\s*(in JSON )?at position \d+.*$/, "").replace(/ in JSON$/, "");
    // `[1, 2,]`, `{"a": 1,}`: JSON.parse names the closing bracket; the comma before it is the mistake.
    const comma = /,\s*$/.exec(text.slice(0, offset));
    if (comma && /^[\]}]/.test(text.slice(offset))) return { message: "trailing comma", offset: comma.index };
    return { message, offset: Math.min(offset, text.length) };
  }
}

/** Offset of the first alias (`*name`) in the text, roughly: where the expansion starts. */
function firstAliasOffset(text: string): number | undefined {
  const m = /(^|[\s\[{,:-])\*[^\s,\]}]+/m.exec(text);
  return m ? m.index + m[1]!.length : undefined;
}

/** A locator over any YAML text (for reporting into files other than specs, e.g. rule files). */
export function yamlTextLocator(file: string, text: string): Locator {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  return yamlLocator(file, text, doc, lines);
}

export function yamlLocator(file: string, text: string, doc: Document, lines: LineCounter): Locator {
  return {
    locate(ref: SpecRef): SourceLocation | undefined {
      let node: unknown = doc.contents;
      let keyNode: unknown;
      for (const key of ref.path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key));
          if (!pair) break;
          keyNode = pair.key;
          node = pair.value;
        } else if (isSeq(node) && typeof key === "number" && node.items[key]) {
          keyNode = undefined;
          node = node.items[key];
        } else {
          break;
        }
      }
      const target = (ref.key && keyNode ? keyNode : node) as Node | undefined;
      const range = target?.range;
      if (!range) return { file, line: 1, column: 1 };
      if (ref.offset !== undefined && isScalar(target) && typeof target.value === "string") {
        const start = scalarOffset(text, target, ref.offset);
        const end = scalarOffset(text, target, ref.offset + (ref.length ?? 0));
        if (start !== undefined) return toLocation(file, lines, start, end ?? start);
      }
      return toLocation(file, lines, range[0], range[1]);
    },
  };
}

/** Source offset of value index `offset` inside a scalar, for the scalar styles that keep a simple mapping. */
function scalarOffset(text: string, scalar: Scalar, offset: number): number | undefined {
  const [start, end] = scalar.range!;
  const src = text.slice(start, end);
  switch (scalar.type) {
    case Scalar.PLAIN:
      return src.includes("\n") ? undefined : start + Math.min(offset, src.length);
    case Scalar.QUOTE_SINGLE:
      return walkQuoted(src, offset, (s, i) => (s[i] === "'" && s[i + 1] === "'" ? 2 : 1), start);
    case Scalar.QUOTE_DOUBLE:
      return walkQuoted(src, offset, doubleQuotedStep, start);
    case Scalar.BLOCK_LITERAL:
      return blockLiteralOffset(src, offset, start);
    default:
      return undefined;
  }
}

function walkQuoted(src: string, offset: number, width: (s: string, i: number) => number, base: number): number | undefined {
  if (src.includes("\n")) return undefined; // folded line breaks: no simple mapping
  let i = 1;
  for (let cooked = 0; cooked < offset; cooked++) {
    if (i >= src.length - 1) return undefined;
    i += width(src, i);
  }
  return base + i;
}

function doubleQuotedStep(s: string, i: number): number {
  if (s[i] !== "\\") return 1;
  const next = s[i + 1];
  if (next === "x") return 4;
  if (next === "u") return 6;
  if (next === "U") return 10;
  return 2;
}

/** `|` blocks: content lines are indented by the block's indentation, which is not part of the value. */
function blockLiteralOffset(src: string, offset: number, base: number): number | undefined {
  const headerEnd = src.indexOf("\n");
  if (headerEnd < 0) return undefined;
  const body = src.slice(headerEnd + 1);
  const indent = /^( *)/.exec(body.split("\n").find((l) => l.trim() !== "") ?? "")?.[1]?.length ?? 0;
  let cooked = 0;
  let pos = headerEnd + 1;
  for (const line of body.split("\n")) {
    const content = line.slice(Math.min(indent, line.length));
    if (offset <= cooked + content.length) return base + pos + Math.min(indent, line.length) + (offset - cooked);
    cooked += content.length + 1;
    pos += line.length + 1;
  }
  return undefined;
}

function toLocation(file: string, lines: LineCounter, start: number, end: number): SourceLocation {
  const s = lines.linePos(start);
  const e = lines.linePos(end);
  return { file, line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
}
