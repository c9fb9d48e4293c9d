/**
 * Finds where a value of a TypeScript spec was written. Specs are data built with object
 * literals, arrays, `const`s, imports and a few builder calls, so a path into the exported
 * value (e.g. `slos.0.sli.bad.matchers.code`) can be followed through the syntax tree:
 * object literal properties (spreads included), array elements, identifiers to their
 * declarations (also across relative imports) and the arguments of known builders.
 * Where the trail ends (a loop, a computed value) the deepest node reached is reported.
 * The TypeScript parser is loaded only when a diagnostic needs a location.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { SourceLocation, SpecRef } from "../diagnostics/index.js";
import { typescript, type TS } from "../util/typescript.js";
import { cookedToRawMap } from "./string-offsets.js";
import type { Locator } from "./types.js";

interface Found {
  node: TS.Node;
  /** The property name, when `node` is a property's value. */
  key?: TS.Node;
  sf: TS.SourceFile;
}

/** Builders whose arguments hold a given property of the value they return. */
const SIGNAL_BUILDERS = new Set(["counter", "gauge", "histogram", "summary"]);
const SELECTOR_METHODS = new Set(["select", "bucket", "count", "sum"]);
const MATCHER_HELPERS = new Set(["eq", "not", "matches", "notMatches", "oneOf", "noneOf"]);
const IDENTITY_HELPERS = new Set(["defineMonitoring", "defineConfig", "slo", "alert", "recording"]);
const MAX_HOPS = 64;

export function createTsLocator(entryFile: string, value?: unknown): Locator {
  const sources = new Map<string, TS.SourceFile | undefined>();

  function sourceFile(path: string): TS.SourceFile | undefined {
    if (!sources.has(path)) {
      const ts = typescript();
      sources.set(
        path,
        existsSync(path) ? ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true) : undefined,
      );
    }
    return sources.get(path);
  }

  return {
    locate(ref: SpecRef): SourceLocation | undefined {
      const sf = sourceFile(entryFile);
      if (!sf) return undefined;
      const root = defaultExport(sf);
      if (!root) return position(sf, 0);
      let current: Found = root;
      let complete = true;
      for (const key of ref.path) {
        const next = step(current, key);
        if (!next) {
          complete = false;
          break;
        }
        current = next;
      }
      const node = unwrap(current.node);
      if (complete && ref.offset !== undefined) {
        const text = valueAt(value, ref.path);
        const start = stringPosition(node, current.sf, ref.offset, text);
        if (start !== undefined) {
          const end = stringPosition(node, current.sf, ref.offset + (ref.length ?? 0), text) ?? start;
          return position(current.sf, start, end);
        }
      }
      const target = complete && ref.key !== undefined && current.key ? current.key : node;
      return position(current.sf, target.getStart(current.sf), target.getEnd());
    },
  };

  function defaultExport(sf: TS.SourceFile): Found | undefined {
    const ts = typescript();
    for (const st of sf.statements) {
      if (ts.isExportAssignment(st) && !st.isExportEquals) return resolveValue({ node: st.expression, sf });
      if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const el of st.exportClause.elements) {
          if (el.name.text === "default") return resolveValue({ node: el.propertyName ?? el.name, sf });
        }
      }
    }
    return undefined;
  }

  /** Follows identifiers to their initializers (across relative imports) and strips wrappers. */
  function resolveValue(found: Found, hops = 0): Found {
    const ts = typescript();
    const node = unwrap(found.node);
    if (hops > MAX_HOPS || !ts.isIdentifier(node)) return { ...found, node };
    const target = declarationOf(node.text, found.sf);
    return target ? resolveValue({ node: target.node, sf: target.sf, ...(found.key ? { key: found.key } : {}) }, hops + 1) : { ...found, node };
  }

  function declarationOf(name: string, sf: TS.SourceFile): Found | undefined {
    const ts = typescript();
    for (const st of sf.statements) {
      if (ts.isVariableStatement(st)) {
        for (const decl of st.declarationList.declarations) {
          if (ts.isIdentifier(decl.name) && decl.name.text === name && decl.initializer) return { node: decl.initializer, sf };
        }
      }
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier) && st.importClause) {
        const from = st.moduleSpecifier.text;
        if (!from.startsWith(".")) continue;
        const clause = st.importClause;
        let exported: string | undefined;
        if (clause.name?.text === name) exported = "default";
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) {
          for (const el of bindings.elements) if (el.name.text === name) exported = (el.propertyName ?? el.name).text;
        }
        if (!exported) continue;
        const other = moduleFile(resolve(dirname(sf.fileName), from));
        const otherSf = other ? sourceFile(other) : undefined;
        if (!otherSf) return undefined;
        return exported === "default" ? defaultExport(otherSf) : exportedDeclaration(exported, otherSf);
      }
    }
    return undefined;
  }

  function exportedDeclaration(name: string, sf: TS.SourceFile): Found | undefined {
    // `export const x = ...` is a variable statement; re-exports are not followed.
    return declarationOf(name, sf);
  }

  function step(found: Found, key: string | number): Found | undefined {
    const ts = typescript();
    const node = resolveValue(found).node;
    const sf = resolveValue(found).sf;
    if (typeof key === "number") {
      if (!ts.isArrayLiteralExpression(node)) return undefined;
      const elements = node.elements;
      for (let i = 0; i < key && i < elements.length; i++) if (ts.isSpreadElement(elements[i]!)) return undefined;
      const el = elements[key];
      return el && !ts.isSpreadElement(el) ? resolveValue({ node: el, sf }) : undefined;
    }
    if (ts.isObjectLiteralExpression(node)) return objectProperty(node, key, sf);
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) return callProperty(node, key, sf);
    return undefined;
  }

  function objectProperty(obj: TS.ObjectLiteralExpression, key: string, sf: TS.SourceFile): Found | undefined {
    const ts = typescript();
    const props = obj.properties;
    for (let i = props.length - 1; i >= 0; i--) {
      const p = props[i]!;
      if (ts.isSpreadAssignment(p)) {
        const inner = resolveValue({ node: p.expression, sf });
        if (ts.isObjectLiteralExpression(inner.node)) {
          const hit = objectProperty(inner.node, key, inner.sf);
          if (hit) return hit;
        }
        continue;
      }
      if (!p.name || propertyName(p.name) !== key) continue;
      if (ts.isPropertyAssignment(p)) return resolveValue({ node: p.initializer, sf, key: p.name });
      if (ts.isShorthandPropertyAssignment(p)) return resolveValue({ node: p.name, sf, key: p.name });
      return { node: p, sf, key: p.name };
    }
    return undefined;
  }

  function callProperty(call: TS.CallExpression | TS.NewExpression, key: string, sf: TS.SourceFile): Found | undefined {
    const ts = typescript();
    const callee = call.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
    const args = call.arguments ?? ts.factory.createNodeArray();
    const arg = (i: number): Found | undefined => (args[i] ? resolveValue({ node: args[i]!, sf }) : undefined);

    if (IDENTITY_HELPERS.has(name)) {
      const a = arg(0);
      return a ? step(a, key) : undefined;
    }
    if (SIGNAL_BUILDERS.has(name)) {
      if (key === "name") return arg(0);
      if (key === "type") return { node: callee, sf };
      // `postgres.gauge(...)`: the signal's source is the exporter it was built on.
      if (key === "source" && ts.isPropertyAccessExpression(callee)) return { node: callee.expression, sf };
      const opts = arg(1);
      return opts ? step(opts, key) : undefined;
    }
    if (SELECTOR_METHODS.has(name) && ts.isPropertyAccessExpression(callee)) {
      if (key === "matchers") return arg(0);
      if (key === "metric") {
        const receiver = resolveValue({ node: callee.expression, sf });
        return step(receiver, "name") ?? { node: callee.expression, sf };
      }
      return undefined;
    }
    if (name === "exporter" && key === "name") return arg(0);
    if (name === "nodeExporter" && key === "name") return { node: callee, sf };
    // env("NAME") is { env: "NAME" }, file("/path") is { file: "/path" }.
    if ((name === "env" || name === "file") && key === name) return arg(0);
    if (MATCHER_HELPERS.has(name)) {
      if (key === "value") return arg(0);
      if (key === "op") return { node: callee, sf };
    }
    for (let i = 0; i < args.length; i++) {
      const a = arg(i);
      if (a && ts.isObjectLiteralExpression(a.node)) {
        const hit = objectProperty(a.node, key, a.sf);
        if (hit) return hit;
      }
    }
    return undefined;
  }
}

function unwrap(node: TS.Node): TS.Node {
  const ts = typescript();
  let n = node;
  for (;;) {
    if (
      ts.isParenthesizedExpression(n) ||
      ts.isAsExpression(n) ||
      ts.isSatisfiesExpression(n) ||
      ts.isNonNullExpression(n) ||
      ts.isTypeAssertionExpression(n) ||
      ts.isAwaitExpression(n)
    ) {
      n = n.expression;
    } else {
      return n;
    }
  }
}

function propertyName(name: TS.PropertyName): string | undefined {
  const ts = typescript();
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function moduleFile(base: string): string | undefined {
  const stem = base.replace(/\.(m?js)$/, "");
  for (const candidate of [base, `${stem}.ts`, `${stem}.mts`, `${stem}.js`, `${stem}.mjs`, `${base}/index.ts`]) {
    if (existsSync(candidate) && !candidate.endsWith("/")) return candidate;
  }
  return undefined;
}

function valueAt(root: unknown, path: readonly (string | number)[]): string | undefined {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[key];
  }
  return typeof v === "string" ? v : undefined;
}

/** Absolute file offset of the character at `offset` in a string-valued node, when it can be known. */
function stringPosition(node: TS.Node, sf: TS.SourceFile, offset: number, value: string | undefined): number | undefined {
  const ts = typescript();
  const text = sf.text;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
    const start = node.getStart(sf) + 1;
    const map = cookedToRawMap(text.slice(start, node.getEnd() - 1), ts.isNoSubstitutionTemplateLiteral(node));
    const raw = map[Math.min(offset, map.length - 1)];
    return raw === undefined ? undefined : start + raw;
  }
  if (ts.isTemplateExpression(node) && value !== undefined) {
    return templatePosition(node, sf, offset, value);
  }
  return undefined;
}

/**
 * Template literals: the static parts are in the source, the substitutions only in the value.
 * Align the parts with the value left to right; an offset inside a substitution maps to the
 * `${...}` expression.
 */
function templatePosition(node: TS.TemplateExpression, sf: TS.SourceFile, offset: number, value: string): number | undefined {
  const parts: { rawStart: number; raw: string; cooked: string }[] = [];
  const headStart = node.head.getStart(sf) + 1;
  const headRaw = sf.text.slice(headStart, node.head.getEnd() - 2);
  parts.push({ rawStart: headStart, raw: headRaw, cooked: node.head.text });
  for (const span of node.templateSpans) {
    const lit = span.literal;
    const start = lit.getStart(sf) + 1;
    const closing = lit.kind === typescript().SyntaxKind.TemplateTail ? 1 : 2;
    parts.push({ rawStart: start, raw: sf.text.slice(start, lit.getEnd() - closing), cooked: lit.text });
  }
  let pos = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const at = i === 0 ? 0 : i === parts.length - 1 ? value.length - part.cooked.length : value.indexOf(part.cooked, pos);
    if (at < pos || value.slice(at, at + part.cooked.length) !== part.cooked) return undefined;
    if (offset < at && i > 0) return node.templateSpans[i - 1]!.expression.getStart(sf);
    if (offset < at + part.cooked.length || (i === parts.length - 1 && offset <= value.length)) {
      const map = cookedToRawMap(part.raw, true);
      const raw = map[Math.min(offset - at, map.length - 1)];
      return raw === undefined ? undefined : part.rawStart + raw;
    }
    pos = at + part.cooked.length;
  }
  return undefined;
}

function position(sf: TS.SourceFile, start: number, end?: number): SourceLocation {
  const s = sf.getLineAndCharacterOfPosition(start);
  const loc: SourceLocation = { file: sf.fileName, line: s.line + 1, column: s.character + 1 };
  if (end !== undefined) {
    const e = sf.getLineAndCharacterOfPosition(end);
    loc.endLine = e.line + 1;
    loc.endColumn = e.character + 1;
  }
  return loc;
}
