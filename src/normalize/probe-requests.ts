/**
 * The parts of a check or journey step: request templates, assertions and extractions, from
 * spec data to the probe bundle's config form (`probes/config.ts`). Everything the runtime
 * would only find out at 3 a.m. — a URL that is not http(s), a JSON path or regexp that does
 * not parse, a comparison without a target, a reference to a value no earlier step extracts —
 * is a VIG2032 here.
 */
import type { Comparator, JsonPath, JsonTemplate, ProbeAssertion, ProbeExtraction, ProbeRequest, StepRef, TextTemplate } from "../probes/config.js";
import type { AssertionSpec, ExtractSpec, HttpRequestSpec, TemplatePartSpec, TemplateSpec } from "../spec/types.js";
import { userRegexpError } from "../probes/regexp.js";
import type { NormalizeContext, Path } from "./context.js";
import { ENV_NAME } from "./names.js";

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What Node's http (and RFC 9110's field-value) refuses in a header value: controls but tab, and anything past U+00FF. */
export const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

function describeChar(code: number): string {
  if (code === 0x0d) return "a carriage return (CR)";
  if (code === 0x0a) return "a line feed (LF)";
  return code < 0x20 || code === 0x7f ? `the control character U+${code.toString(16).toUpperCase().padStart(4, "0")}` : `the character U+${code.toString(16).toUpperCase().padStart(4, "0")} (beyond Latin-1)`;
}

/** Which values a template may reference: those extracted by earlier steps of the same journey. */
export interface RefScope {
  /** Step name → names it extracts, for the steps before this one. */
  earlier: ReadonlyMap<string, ReadonlySet<string>>;
  /** The journey's steps, for a better message on a forward reference; undefined in a check. */
  all?: ReadonlySet<string>;
}

function checkRef(ref: StepRef, scope: RefScope, at: Path, ctx: NormalizeContext): void {
  if (!scope.all) return ctx.report("VIG2032", "a check has no steps to take values from", at, { hint: "use a journey for requests that depend on each other" });
  const names = scope.earlier.get(ref.step);
  if (!names) {
    const why = scope.all.has(ref.step) ? `step "${ref.step}" does not run before this one` : `there is no step "${ref.step}"`;
    return ctx.report("VIG2032", `reference to ${ref.step}.${ref.name}: ${why}`, at);
  }
  if (!names.has(ref.name)) ctx.report("VIG2032", `step "${ref.step}" extracts no value "${ref.name}"`, at, { hint: names.size ? `it extracts ${[...names].join(", ")}` : "add it to the step's extract" });
}

function envName(name: string, at: Path, ctx: NormalizeContext): string {
  if (!ENV_NAME.test(name)) ctx.report("VIG2032", `"${name}" is not an environment variable name`, at);
  return name;
}

export function textTemplate(spec: TemplateSpec, at: Path, scope: RefScope, ctx: NormalizeContext): TextTemplate {
  const parts: TemplatePartSpec[] = typeof spec === "string" ? [spec] : spec;
  const out: TextTemplate = [];
  parts.forEach((p, i) => {
    const here = typeof spec === "string" ? at : [...at, i];
    if (typeof p === "string") {
      // Adjacent texts join: the bundle's config stays minimal and comparable.
      const last = out[out.length - 1];
      if (last && "text" in last) last.text += p;
      else if (p !== "") out.push({ text: p });
    } else if ("env" in p) out.push({ env: envName(p.env, [...here, "env"], ctx) });
    else {
      checkRef(p.ref, scope, here, ctx);
      out.push({ ref: { step: p.ref.step, name: p.ref.name } });
    }
  });
  return out;
}

/** Plain JSON where `{ env }` and `{ ref }` objects stand for values. */
export function jsonTemplate(value: unknown, at: Path, scope: RefScope, ctx: NormalizeContext): JsonTemplate {
  if (value === null) return { kind: "null" };
  if (typeof value === "boolean") return { kind: "boolean", value };
  if (typeof value === "number") {
    if (!Number.isFinite(value)) ctx.report("VIG2032", `${value} is not a JSON number`, at);
    return { kind: "number", value: Number.isFinite(value) ? value : 0 };
  }
  if (typeof value === "string") return { kind: "string", value: value === "" ? [] : [{ text: value }] };
  if (Array.isArray(value)) return { kind: "array", items: value.map((v, i) => jsonTemplate(v, [...at, i], scope, ctx)) };
  if (typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && typeof o.env === "string") return { kind: "string", value: [{ env: envName(o.env, [...at, "env"], ctx) }] };
    const ref = o.ref as { step?: unknown; name?: unknown } | undefined;
    if (keys.length === 1 && ref && typeof ref === "object" && typeof ref.step === "string" && typeof ref.name === "string") {
      checkRef({ step: ref.step, name: ref.name }, scope, at, ctx);
      return { kind: "ref", ref: { step: ref.step, name: ref.name } };
    }
    return { kind: "object", entries: keys.sort().map((k) => [k, jsonTemplate(o[k], [...at, k], scope, ctx)]) };
  }
  ctx.report("VIG2032", `a ${typeof value} is not JSON`, at);
  return { kind: "null" };
}

export function probeRequest(spec: HttpRequestSpec, at: Path, scope: RefScope, ctx: NormalizeContext): ProbeRequest {
  const url = textTemplate(spec.url, [...at, "url"], scope, ctx);
  const first = url[0];
  const literal = url.every((p) => "text" in p) ? url.map((p) => (p as { text: string }).text).join("") : undefined;
  if (!first || !("text" in first) || !/^https?:\/\//i.test(first.text)) {
    ctx.report("VIG2032", "the URL must start with http:// or https://", [...at, "url"], { hint: "environment variables and extracted values may follow the scheme and host" });
  } else if (literal !== undefined && !URL.canParse(literal)) {
    ctx.report("VIG2032", `"${literal}" is not a URL`, [...at, "url"]);
  }
  const headers: ProbeRequest["headers"] = {};
  for (const [name, value] of Object.entries(spec.headers ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const key = name.toLowerCase();
    if (!HEADER_NAME.test(name)) ctx.report("VIG2032", `"${name}" is not an HTTP header name`, [...at, "headers", name], { key: true });
    else if (headers[key]) ctx.report("VIG2032", `header "${name}" is given twice (header names ignore case)`, [...at, "headers", name], { key: true });
    headers[key] = textTemplate(value, [...at, "headers", name], scope, ctx);
    const parts = typeof value === "string" ? [value] : value;
    parts.forEach((p, i) => {
      const bad = typeof p === "string" ? INVALID_HEADER_VALUE.exec(p) : null;
      if (bad && typeof p === "string") {
        const where = typeof value === "string" ? [...at, "headers", name] : [...at, "headers", name, i];
        ctx.report("VIG2032", `header "${name}" holds ${describeChar(p.codePointAt(bad.index) ?? 0)}, which no HTTP request can carry`, where, { hint: "a header value is one line: no CR, LF or other control characters (tab is allowed)" });
      }
    });
  }
  const request: ProbeRequest = {
    method: spec.method ?? "GET",
    url,
    headers,
    timeoutMs: ctx.interval(spec.timeout, DEFAULT_TIMEOUT_MS, [...at, "timeout"]),
    followRedirects: spec.followRedirects ?? true,
    maxBodyBytes: spec.maxBodyBytes ?? DEFAULT_MAX_BODY,
    tls: { insecureSkipVerify: spec.tls?.insecureSkipVerify ?? false },
  };
  if (spec.tls?.minValidityDays !== undefined) request.tls.minValidityDays = spec.tls.minValidityDays;
  const body = spec.body;
  if (body) {
    if ((body.json === undefined) === (body.text === undefined)) ctx.report("VIG2032", "a body is either json or text", [...at, "body"]);
    else if (body.text !== undefined) request.body = { kind: "text", value: textTemplate(body.text, [...at, "body", "text"], scope, ctx) };
    else request.body = { kind: "json", value: jsonTemplate(body.json, [...at, "body", "json"], scope, ctx) };
    if (request.body && (request.method === "GET" || request.method === "HEAD")) ctx.report("VIG2032", `a ${request.method} request has no body`, [...at, "body"], { key: true });
    if (request.body?.kind === "json" && !headers["content-type"]) {
      headers["content-type"] = [{ text: "application/json" }];
      request.headers = Object.fromEntries(Object.entries(headers).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
  }
  return request;
}

/** `$.a.b[0]["c d"]` → `["a", "b", 0, "c d"]`; undefined when it does not parse. */
export function parseJsonPath(path: string): JsonPath | undefined {
  if (!path.startsWith("$")) return undefined;
  const out: JsonPath = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z_$][\w$-]*)/.exec(rest))) out.push(m[1]!);
    else if ((m = /^\[(\d+)\]/.exec(rest))) out.push(Number(m[1]));
    else if ((m = /^\[(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\]/.exec(rest))) out.push((m[1] ?? m[2]!).replace(/\\(.)/g, "$1"));
    else return undefined;
    i += m[0].length;
  }
  return out;
}


const ORDERING: ReadonlySet<Comparator> = new Set(["lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual"]);
const TEXTUAL: ReadonlySet<Comparator> = new Set(["contains", "notContains", "matches"]);

export function probeAssertion(spec: AssertionSpec, at: Path, ctx: NormalizeContext): ProbeAssertion {
  const bad = (message: string, key = "comparison") => ctx.report("VIG2032", message, [...at, key]);
  const { source, comparison, target } = spec;
  let subject: ProbeAssertion["subject"];
  if (source === "header" || source === "jsonBody") {
    if (spec.property === undefined) bad(`a ${source} assertion needs a property (${source === "header" ? "the header name" : "a JSON path such as $.status"})`, "source");
    if (source === "header") subject = { kind: "header", name: (spec.property ?? "").toLowerCase() };
    else {
      const path = parseJsonPath(spec.property ?? "$");
      if (!path) bad(`"${spec.property}" is not a JSON path`, "property");
      subject = { kind: "jsonBody", path: path ?? [] };
    }
  } else {
    if (spec.property !== undefined) bad(`a ${source} assertion takes no property`, "property");
    subject = source === "responseTime" ? { kind: "responseTimeMs" } : { kind: source };
  }
  const exists = comparison === "exists" || comparison === "notExists";
  if (exists && target !== undefined) bad(`${comparison} takes no target`, "target");
  if (!exists && target === undefined) bad(`${comparison} needs a target`);
  if (exists && (source === "status" || source === "responseTime")) bad(`a response always has a ${source === "status" ? "status" : "response time"}`);
  if (ORDERING.has(comparison) && typeof target !== "number" && target !== undefined) bad(`${comparison} compares numbers, not ${JSON.stringify(target)}`, "target");
  if ((source === "status" || source === "responseTime") && !exists && typeof target !== "number" && !TEXTUAL.has(comparison)) bad(`a ${source} is compared with a number`, "target");
  if (TEXTUAL.has(comparison) && typeof target !== "string" && target !== undefined) bad(`${comparison} needs a string`, "target");
  const regexError = comparison === "matches" && typeof target === "string" ? userRegexpError(target) : undefined;
  if (regexError !== undefined) bad(`"${target}" is not a regular expression (RE2 syntax): ${regexError}`, "target");
  const assertion: ProbeAssertion = { subject, comparator: comparison, label: at.join(".").replace(/\.(\d+)/g, "[$1]") };
  if (target !== undefined) assertion.expected = target;
  return assertion;
}

export function probeExtraction(name: string, spec: ExtractSpec, at: Path, ctx: NormalizeContext): ProbeExtraction {
  const bad = (message: string, key: string) => ctx.report("VIG2032", message, [...at, key]);
  if (spec.from === "textBody") {
    if (spec.property !== undefined) bad("a textBody extraction takes a regex, not a property", "property");
    const regexError = spec.regex === undefined ? undefined : userRegexpError(spec.regex);
    if (spec.regex === undefined) bad("a textBody extraction needs a regex", "from");
    else if (regexError !== undefined) bad(`"${spec.regex}" is not a regular expression (RE2 syntax): ${regexError}`, "regex");
    return { name, from: "textBody", regex: spec.regex ?? "" };
  }
  if (spec.regex !== undefined) bad(`a ${spec.from} extraction takes a property, not a regex`, "regex");
  if (spec.property === undefined) {
    bad(`a ${spec.from} extraction needs a property (${spec.from === "header" ? "the header name" : "a JSON path such as $.token"})`, "from");
    return spec.from === "header" ? { name, from: "header", header: "" } : { name, from: "jsonBody", path: [] };
  }
  if (spec.from === "header") return { name, from: "header", header: spec.property.toLowerCase() };
  const path = parseJsonPath(spec.property);
  if (!path) bad(`"${spec.property}" is not a JSON path`, "property");
  return { name, from: "jsonBody", path: path ?? [] };
}
