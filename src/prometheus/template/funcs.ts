/**
 * The function map of a Prometheus 2.42 alert template: text/template's
 * builtins (go1.19 src/text/template/funcs.go) plus Prometheus' funcMap
 * (prometheus v2.42.0 template/template.go NewTemplateExpander).
 *
 * Each function declares Go parameter types, because text/template converts
 * and checks arguments according to them (a string literal can only go to a
 * string parameter, `$value` cannot be passed as a string, ...).
 */

import { sprint, sprintf, sprintln } from "./gofmt.js";
import { isIP, joinHostPort, queryEscape, splitHostPort } from "./gonet.js";
import {
  goBool,
  goFloat,
  goInt,
  goString,
  type GoValue,
  goTypeName,
  isStringKind,
  UnsupportedError,
} from "./govalue.js";
import {
  floatToTime,
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  parseDuration,
} from "./humanize.js";
import { compileGoRegexp, goMatchString, goReplaceAllString, RegexpError, RegexpUnsupported } from "../../promql/regex/re2.js";
import { compareGoStrings, decodeUtf8, isPrint, parseFloat64, utf8Bytes, utf8Len } from "./strconv.js";
import { goTitle, goToLower, goToUpper } from "./unicode.js";

/** reflect.Value{}: "no value" (a missing result, a nil passed as reflect.Value). */
export interface Invalid {
  readonly goType: "invalid";
}
export const INVALID: Invalid = { goType: "invalid" };
/** What a reflect.Value can hold during execution. */
export type RV = GoValue | Invalid;

/** An error returned by a template function: rendered as "error calling NAME: ...". */
export class FuncError extends Error {}

/** Go parameter types that matter for argument evaluation. */
export type ParamType = "string" | "any" | "value";

export interface FuncContext {
  /** The URL behind `externalURL`/`pathPrefix`; undefined = nil *url.URL (promtool). */
  readonly serverExternalURL: string | undefined;
}

export interface FuncSpec {
  readonly params: readonly ParamType[];
  readonly variadic?: ParamType;
  readonly builtin?: boolean;
  /** Set for functions we cannot evaluate: why (used as the ok:false reason). */
  readonly unsupported?: string;
  readonly call?: (args: readonly RV[], ctx: FuncContext) => RV;
}

// ---- helpers ------------------------------------------------------------------

function str(v: RV): string {
  // Parameter checking guarantees a string here.
  return v.goType === "string" ? v.value : "";
}

/** indirectInterface: a nil interface becomes the invalid value. */
function indirectInterface(v: RV): RV {
  return v.goType === "nil" ? INVALID : v;
}

export function isTrue(v: RV): { truth: boolean; ok: boolean } {
  switch (v.goType) {
    case "invalid":
    case "nil":
      return { truth: false, ok: true };
    case "string":
    case "template.HTML":
      return { truth: v.value.length > 0, ok: true };
    case "map[string]string":
      return { truth: v.value !== null && v.value.size > 0, ok: true };
    case "bool":
      return { truth: v.value, ok: true };
    case "int":
      return { truth: v.value !== 0n, ok: true };
    case "uint8":
    case "float64":
      return { truth: v.value !== 0, ok: true };
    case "*time.Time":
    case "struct":
      return { truth: true, ok: true };
  }
}

function truth(v: RV): boolean {
  return isTrue(indirectInterface(v)).truth;
}

function typeName(v: RV): string {
  return v.goType === "invalid" ? "<invalid reflect.Value>" : goTypeName(v);
}

/** Prometheus' convertToFloat. */
function convertToFloat(v: RV): number {
  switch (v.goType) {
    case "float64":
      return v.value;
    case "string": {
      const r = parseFloat64(v.value);
      if (!r.ok) throw new FuncError(r.err);
      return r.value;
    }
    case "int":
      return Number(v.value);
  }
  // fmt %T of a nil interface is "<nil>".
  throw new FuncError(`can't convert ${v.goType === "nil" || v.goType === "invalid" ? "<nil>" : goTypeName(v)} to float`);
}

// ---- comparison (funcs.go eq/lt) ---------------------------------------------------

type BasicKind = "invalid" | "bool" | "int" | "uint" | "float" | "string";

function basicKind(v: RV): BasicKind {
  switch (v.goType) {
    case "bool":
      return "bool";
    case "int":
      return "int";
    case "uint8":
      return "uint";
    case "float64":
      return "float";
    case "string":
    case "template.HTML":
      return "string";
  }
  return "invalid";
}

const errBadComparisonType = "invalid type for comparison";
const errBadComparison = "incompatible types for comparison";

function num(v: RV): bigint {
  return v.goType === "int" ? v.value : v.goType === "uint8" ? BigInt(v.value) : 0n;
}

function eq(arg1: RV, others: readonly RV[]): boolean {
  arg1 = indirectInterface(arg1);
  if (others.length === 0) throw new FuncError("missing argument for comparison");
  const k1 = basicKind(arg1);
  for (let arg of others) {
    arg = indirectInterface(arg);
    const k2 = basicKind(arg);
    let t = false;
    if (k1 !== k2) {
      if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) {
        t = num(arg1) === num(arg);
      } else if (arg1.goType !== "invalid" && arg.goType !== "invalid") {
        throw new FuncError(errBadComparison);
      }
    } else if (k1 === "invalid") {
      // Maps, structs, times, or "no value": Go's reflect-level comparison.
      if (arg1.goType !== "invalid" && arg.goType !== "invalid" && arg1.goType !== arg.goType) {
        throw new FuncError(`non-comparable types ${typeName(arg1)}, ${typeName(arg)}`);
      }
      const nil1 = arg1.goType === "invalid" || (arg1.goType === "map[string]string" && arg1.value === null);
      const nil2 = arg.goType === "invalid" || (arg.goType === "map[string]string" && arg.value === null);
      if (nil1 || nil2) t = nil1 === nil2;
      else if (arg.goType === "*time.Time") throw new UnsupportedError("comparing *time.Time pointers");
      else throw new FuncError(`non-comparable type ${typeName(arg)}`);
    } else {
      t = valueOf(arg1) === valueOf(arg);
    }
    if (t) return true;
  }
  return false;
}

function valueOf(v: RV): unknown {
  return "value" in v ? v.value : undefined;
}

function lt(a: RV, b: RV): boolean {
  a = indirectInterface(a);
  b = indirectInterface(b);
  const k1 = basicKind(a);
  if (k1 === "invalid") throw new FuncError(errBadComparisonType);
  const k2 = basicKind(b);
  if (k2 === "invalid") throw new FuncError(errBadComparisonType);
  if (k1 !== k2) {
    if ((k1 === "int" && k2 === "uint") || (k1 === "uint" && k2 === "int")) return num(a) < num(b);
    throw new FuncError(errBadComparison);
  }
  switch (k1) {
    case "bool":
      throw new FuncError(errBadComparisonType);
    case "string":
      return compareGoStrings(valueOf(a) as string, valueOf(b) as string) < 0;
    case "float":
      return (valueOf(a) as number) < (valueOf(b) as number);
    default:
      return num(a) < num(b);
  }
}

// ---- builtins -------------------------------------------------------------------

function indexArg(index: RV, cap: number): number {
  let x: bigint;
  if (index.goType === "int") x = index.value;
  else if (index.goType === "uint8") x = BigInt(index.value);
  else if (index.goType === "invalid" || index.goType === "nil") throw new FuncError("cannot index slice/array with nil");
  else throw new FuncError(`cannot index slice/array with type ${goTypeName(index)}`);
  if (x < 0n || x > BigInt(cap)) throw new FuncError(`index out of range: ${x}`);
  return Number(x);
}

function index(start: RV, indexes: readonly RV[]): RV {
  const first = indirectInterface(start);
  if (first.goType === "invalid") throw new FuncError("index of untyped nil");
  let item: GoValue = first;
  for (let idx of indexes) {
    idx = indirectInterface(idx);
    if (isStringKind(item)) {
      const bytes = utf8Bytes(item.value);
      const x = indexArg(idx, bytes.length);
      if (x === bytes.length) throw new FuncError(`reflect: string index out of range`);
      item = { goType: "uint8", value: bytes[x] ?? 0 };
    } else if (item.goType === "map[string]string") {
      if (idx.goType === "invalid") throw new FuncError("value is nil; should be of type string");
      if (idx.goType !== "string") throw new FuncError(`value has type ${goTypeName(idx)}; should be string`);
      item = goString(item.value?.get(idx.value) ?? "");
    } else {
      throw new FuncError(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: RV, indexes: readonly RV[]): RV {
  item = indirectInterface(item);
  if (item.goType === "invalid") throw new FuncError("slice of untyped nil");
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  if (!isStringKind(item)) throw new FuncError(`can't slice item of type ${typeName(item)}`);
  if (indexes.length === 3) throw new FuncError("cannot 3-index slice a string");
  const bytes = utf8Bytes(item.value);
  const idx = [0, bytes.length];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(x, bytes.length);
  });
  const [lo, hi] = idx as [number, number];
  if (lo > hi) throw new FuncError(`invalid slice index: ${lo} > ${hi}`);
  const s = decodeUtf8(bytes.subarray(lo, hi));
  if (s === undefined) throw new UnsupportedError("slice splits a UTF-8 sequence");
  return { goType: item.goType, value: s };
}

function length(item: RV): RV {
  if (item.goType !== "invalid" && isStringKind(item)) return goInt(utf8Len(item.value));
  if (item.goType === "map[string]string") return goInt(item.value?.size ?? 0);
  if (item.goType === "*time.Time") throw new FuncError("len of type time.Time");
  if (item.goType === "invalid" || item.goType === "nil") {
    throw new FuncError("reflect: call of reflect.Value.Type on zero Value");
  }
  throw new FuncError(`len of type ${goTypeName(item)}`);
}

/** evalArgs from funcs.go, used by html, js and urlquery. */
function evalArgs(args: readonly RV[]): string {
  const only = args[0];
  if (args.length === 1 && only !== undefined && only.goType === "string") return only.value;
  // printableValue turns a nil argument into the string "<no value>".
  return sprint(args.map((a) => (a.goType === "nil" || a.goType === "invalid" ? goString("<no value>") : a)));
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) =>
    c === "\0" ? "\uFFFD" : c === '"' ? "&#34;" : c === "'" ? "&#39;" : c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;",
  );
}

function jsEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) {
      switch (ch) {
        case "\\":
          out += "\\\\";
          continue;
        case "'":
          out += "\\'";
          continue;
        case '"':
          out += '\\"';
          continue;
        case "<":
          out += "\\u003C";
          continue;
        case ">":
          out += "\\u003E";
          continue;
        case "&":
          out += "\\u0026";
          continue;
        case "=":
          out += "\\u003D";
          continue;
      }
      out += cp < 0x20 ? "\\u00" + cp.toString(16).toUpperCase().padStart(2, "0") : ch;
    } else {
      out += isPrint(cp) ? ch : "\\u" + cp.toString(16).toUpperCase().padStart(4, "0");
    }
  }
  return out;
}

function printfArgs(args: readonly RV[]): GoValue[] {
  // A reflect.Zero(interface{}) argument reaches fmt as nil.
  return args.map((a) => (a.goType === "invalid" ? { goType: "nil" } : a));
}

// ---- Prometheus functions ----------------------------------------------------------

function regexpCall<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RegexpError) throw new FuncError(e.message);
    if (e instanceof RegexpUnsupported) throw new UnsupportedError(`regular expression: ${e.message}`);
    throw e;
  }
}

function parseExternalURL(ctx: FuncContext, name: string): { full: string; path: string } {
  if (ctx.serverExternalURL === undefined) {
    // promtool passes a nil *url.URL: calling the method panics.
    throw new FuncError(`runtime error: invalid memory address or nil pointer dereference (${name} has no external URL)`);
  }
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[A-Za-z0-9.\-:[\]@]*)(\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*)?$/.exec(
    ctx.serverExternalURL,
  );
  if (!m) throw new UnsupportedError(`external URL ${JSON.stringify(ctx.serverExternalURL)} is not a plain URL`);
  return { full: ctx.serverExternalURL, path: m[2] ?? "" };
}

const s1 = (f: (s: string) => string): FuncSpec => ({ params: ["string"], call: ([a]) => goString(f(str(a ?? INVALID))) });
const anyToString = (f: (v: number) => string): FuncSpec => ({
  params: ["any"],
  call: ([a]) => goString(f(convertToFloat(a ?? INVALID))),
});
const live = (name: string): FuncSpec => ({
  params: [],
  variadic: "any",
  unsupported: `uses "${name}", which needs a live Prometheus`,
});

export const FUNCS: ReadonlyMap<string, FuncSpec> = new Map<string, FuncSpec>([
  // text/template builtins
  ["and", { params: ["value"], variadic: "value", builtin: true }],
  ["or", { params: ["value"], variadic: "value", builtin: true }],
  ["not", { params: ["value"], builtin: true, call: ([a]) => goBool(!truth(a ?? INVALID)) }],
  [
    "call",
    {
      params: ["value"],
      variadic: "value",
      builtin: true,
      call: ([fn]) => {
        const f = indirectInterface(fn ?? INVALID);
        throw new FuncError(f.goType === "invalid" ? "call of nil" : `non-function of type ${goTypeName(f)}`);
      },
    },
  ],
  ["html", { params: [], variadic: "any", builtin: true, call: (a) => goString(htmlEscape(evalArgs(a))) }],
  ["js", { params: [], variadic: "any", builtin: true, call: (a) => goString(jsEscape(evalArgs(a))) }],
  ["urlquery", { params: [], variadic: "any", builtin: true, call: (a) => goString(queryEscape(evalArgs(a))) }],
  ["index", { params: ["value"], variadic: "value", builtin: true, call: ([i, ...r]) => index(i ?? INVALID, r) }],
  ["slice", { params: ["value"], variadic: "value", builtin: true, call: ([i, ...r]) => slice(i ?? INVALID, r) }],
  ["len", { params: ["value"], builtin: true, call: ([a]) => length(a ?? INVALID) }],
  ["print", { params: [], variadic: "any", builtin: true, call: (a) => goString(sprint(printfArgs(a))) }],
  ["println", { params: [], variadic: "any", builtin: true, call: (a) => goString(sprintln(printfArgs(a))) }],
  [
    "printf",
    {
      params: ["string"],
      variadic: "any",
      builtin: true,
      call: ([f, ...a]) => goString(sprintf(str(f ?? INVALID), printfArgs(a))),
    },
  ],
  ["eq", { params: ["value"], variadic: "value", builtin: true, call: ([a, ...r]) => goBool(eq(a ?? INVALID, r)) }],
  ["ne", { params: ["value", "value"], builtin: true, call: ([a, b]) => goBool(!eq(a ?? INVALID, [b ?? INVALID])) }],
  ["lt", { params: ["value", "value"], builtin: true, call: ([a, b]) => goBool(lt(a ?? INVALID, b ?? INVALID)) }],
  [
    "le",
    {
      params: ["value", "value"],
      builtin: true,
      call: ([a, b]) => goBool(lt(a ?? INVALID, b ?? INVALID) || eq(a ?? INVALID, [b ?? INVALID])),
    },
  ],
  [
    "gt",
    {
      params: ["value", "value"],
      builtin: true,
      call: ([a, b]) => goBool(!(lt(a ?? INVALID, b ?? INVALID) || eq(a ?? INVALID, [b ?? INVALID]))),
    },
  ],
  ["ge", { params: ["value", "value"], builtin: true, call: ([a, b]) => goBool(!lt(a ?? INVALID, b ?? INVALID)) }],

  // Prometheus: need the query engine (or are only useful with it)
  ["query", live("query")],
  ["first", live("first")],
  ["label", live("label")],
  ["value", live("value")],
  ["strvalue", live("strvalue")],
  ["sortByLabel", live("sortByLabel")],
  ["args", { params: [], variadic: "any", unsupported: `uses "args", which is only meaningful with {{template}}` }],

  // Prometheus: pure functions
  [
    "reReplaceAll",
    {
      params: ["string", "string", "string"],
      call: ([p, r, t]) =>
        goString(regexpCall(() => goReplaceAllString(str(p ?? INVALID), str(t ?? INVALID), str(r ?? INVALID)))),
    },
  ],
  [
    "match",
    {
      params: ["string", "string"],
      call: ([p, s]) => goBool(regexpCall(() => goMatchString(str(p ?? INVALID), str(s ?? INVALID)))),
    },
  ],
  ["safeHtml", { params: ["string"], call: ([a]) => ({ goType: "template.HTML", value: str(a ?? INVALID) }) }],
  ["title", s1(goTitle)],
  ["toUpper", s1(goToUpper)],
  ["toLower", s1(goToLower)],
  ["graphLink", s1((e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=0`)],
  ["tableLink", s1((e) => `/graph?g0.expr=${queryEscape(e)}&g0.tab=1`)],
  [
    "stripPort",
    s1((hp) => {
      const r = splitHostPort(hp);
      return r.ok ? r.host : hp;
    }),
  ],
  [
    "stripDomain",
    s1((hp) => {
      const r = splitHostPort(hp);
      const host = r.ok ? r.host : hp;
      const port = r.ok ? r.port : "";
      if (isIP(host)) return hp;
      const first = host.split(".")[0] ?? "";
      return port !== "" ? joinHostPort(first, port) : first;
    }),
  ],
  ["humanize", anyToString(humanize)],
  ["humanize1024", anyToString(humanize1024)],
  ["humanizeDuration", anyToString(humanizeDuration)],
  ["humanizePercentage", anyToString(humanizePercentage)],
  [
    "humanizeTimestamp",
    anyToString((v) => {
      const t = floatToTime(v);
      if (t.ok) return sprint([{ goType: "*time.Time", value: t.unixNanos }]);
      if (t.nanOrInf) return sprintf("%.4g", [v]);
      throw new FuncError(t.error);
    }),
  ],
  [
    "toTime",
    {
      params: ["any"],
      call: ([a]) => {
        const t = floatToTime(convertToFloat(a ?? INVALID));
        if (t.ok) return { goType: "*time.Time", value: t.unixNanos };
        throw new FuncError(t.nanOrInf ? "value is NaN or Inf" : t.error);
      },
    },
  ],
  ["pathPrefix", { params: [], call: (_a, ctx) => goString(parseExternalURL(ctx, "pathPrefix").path) }],
  ["externalURL", { params: [], call: (_a, ctx) => goString(parseExternalURL(ctx, "externalURL").full) }],
  [
    "parseDuration",
    {
      params: ["string"],
      call: ([d]) => {
        const r = parseDuration(str(d ?? INVALID));
        if (!r.ok) throw new FuncError(r.error);
        return goFloat(r.seconds);
      },
    },
  ],
]);

/** Whether the parser should accept `name` as a function (Go checks at parse time). */
export function isDefinedFunction(name: string): boolean {
  return FUNCS.has(name);
}

/** Exposed for tests: validate a Go regexp the way `match` would. */
export function checkGoRegexp(pattern: string): void {
  compileGoRegexp(pattern);
}
