import { PROBES_CONFIG_VERSION, type ProbesConfig } from "../config.js";
import { userRegexpError } from "../regexp.js";

/** A config that does not match `src/probes/config.ts`; the message names the bad path. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

type Obj = Record<string, unknown>;

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const SEVERITIES = new Set(["critical", "warning", "info"]);
const COMPARATORS = new Set([
  "equals",
  "notEquals",
  "lessThan",
  "lessThanOrEqual",
  "greaterThan",
  "greaterThanOrEqual",
  "contains",
  "notContains",
  "matches",
  "exists",
  "notExists",
]);

function show(v: unknown): string {
  if (v === undefined) return "nothing";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function bad(path: string, what: string, got: unknown): never {
  throw new ConfigError(`${path}: expected ${what}, got ${show(got)}`);
}

function obj(v: unknown, path: string): Obj {
  if (v === null || typeof v !== "object" || Array.isArray(v)) bad(path, "an object", v);
  return v as Obj;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) bad(path, "an array", v);
  return v;
}

function str(v: unknown, path: string, nonEmpty = true): string {
  if (typeof v !== "string" || (nonEmpty && v === "")) bad(path, nonEmpty ? "a non-empty string" : "a string", v);
  return v;
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== "boolean") bad(path, "true or false", v);
  return v;
}

function num(v: unknown, path: string, min: number, max = Infinity, integer = false, minExclusive = false): number {
  const ok = typeof v === "number" && Number.isFinite(v) && (minExclusive ? v > min : v >= min) && v <= max && (!integer || Number.isInteger(v));
  if (!ok) {
    const range = max === Infinity ? `${minExclusive ? ">" : "≥"} ${min}` : `in [${min}, ${max}]`;
    bad(path, `${integer ? "an integer" : "a number"} ${range}`, v);
  }
  return v as number;
}

function regex(v: unknown, path: string): void {
  const error = userRegexpError(str(v, path, false));
  if (error !== undefined) throw new ConfigError(`${path}: invalid regular expression (RE2 syntax): ${error}`);
}

/** Names of values available to `{ref}` parts: `step\0name` of the earlier steps' extractions. */
type Refs = Set<string> | undefined;

function ref(v: unknown, path: string, refs: Refs): void {
  const r = obj(v, path);
  const step = str(r.step, `${path}.step`);
  const name = str(r.name, `${path}.name`);
  if (refs === undefined) throw new ConfigError(`${path}: references are only allowed in journeys`);
  if (!refs.has(`${step}\u0000${name}`)) throw new ConfigError(`${path}: no earlier step "${step}" extracts "${name}"`);
}

function textTemplate(v: unknown, path: string, refs: Refs): void {
  arr(v, path).forEach((p, i) => {
    const part = obj(p, `${path}[${i}]`);
    if ("text" in part) str(part.text, `${path}[${i}].text`, false);
    else if ("env" in part) str(part.env, `${path}[${i}].env`);
    else if ("ref" in part) ref(part.ref, `${path}[${i}].ref`, refs);
    else bad(`${path}[${i}]`, "{text}, {env} or {ref}", p);
  });
}

function jsonTemplate(v: unknown, path: string, refs: Refs): void {
  const t = obj(v, path);
  switch (t.kind) {
    case "null":
      return;
    case "boolean":
      bool(t.value, `${path}.value`);
      return;
    case "number":
      num(t.value, `${path}.value`, -Infinity);
      return;
    case "string":
      textTemplate(t.value, `${path}.value`, refs);
      return;
    case "ref":
      ref(t.ref, `${path}.ref`, refs);
      return;
    case "array":
      arr(t.items, `${path}.items`).forEach((item, i) => jsonTemplate(item, `${path}.items[${i}]`, refs));
      return;
    case "object":
      arr(t.entries, `${path}.entries`).forEach((e, i) => {
        const entry = arr(e, `${path}.entries[${i}]`);
        if (entry.length !== 2) bad(`${path}.entries[${i}]`, "a [key, value] pair", e);
        str(entry[0], `${path}.entries[${i}][0]`, false);
        jsonTemplate(entry[1], `${path}.entries[${i}][1]`, refs);
      });
      return;
    default:
      bad(`${path}.kind`, "null, boolean, number, string, ref, array or object", t.kind);
  }
}

function request(v: unknown, path: string, refs: Refs): void {
  const r = obj(v, path);
  if (typeof r.method !== "string" || !METHODS.has(r.method)) bad(`${path}.method`, [...METHODS].join(", "), r.method);
  textTemplate(r.url, `${path}.url`, refs);
  const headers = obj(r.headers, `${path}.headers`);
  for (const [name, tpl] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) bad(`${path}.headers`, "valid header names", name);
    textTemplate(tpl, `${path}.headers.${name}`, refs);
    for (const part of tpl as { text?: unknown }[]) {
      if (typeof part.text === "string" && /[^\t\x20-\x7e\x80-\xff]/.test(part.text)) {
        bad(`${path}.headers.${name}`, "a header value of one line (no CR, LF or other control characters)", part.text);
      }
    }
  }
  if (r.body !== undefined) {
    const body = obj(r.body, `${path}.body`);
    if (body.kind === "json") jsonTemplate(body.value, `${path}.body.value`, refs);
    else if (body.kind === "text") textTemplate(body.value, `${path}.body.value`, refs);
    else bad(`${path}.body.kind`, '"json" or "text"', body.kind);
  }
  num(r.timeoutMs, `${path}.timeoutMs`, 0, 2_147_483_647, false, true);
  bool(r.followRedirects, `${path}.followRedirects`);
  num(r.maxBodyBytes, `${path}.maxBodyBytes`, 0, Number.MAX_SAFE_INTEGER, true);
  const tls = obj(r.tls, `${path}.tls`);
  bool(tls.insecureSkipVerify, `${path}.tls.insecureSkipVerify`);
  if (tls.minValidityDays !== undefined) num(tls.minValidityDays, `${path}.tls.minValidityDays`, 0);
}

/** A TCP check: host, port, one deadline, optional TLS; its assertions only time the connection. */
function tcpTarget(v: unknown, path: string): void {
  const t = obj(v, path);
  const host = str(t.host, `${path}.host`);
  if (/[\s/]/.test(host)) bad(`${path}.host`, "a host name or address (no scheme, path or spaces)", host);
  num(t.port, `${path}.port`, 1, 65535, true);
  num(t.timeoutMs, `${path}.timeoutMs`, 0, 2_147_483_647, false, true);
  if (t.tls !== undefined) {
    const tls = obj(t.tls, `${path}.tls`);
    str(tls.serverName, `${path}.tls.serverName`);
    bool(tls.insecureSkipVerify, `${path}.tls.insecureSkipVerify`);
    if (tls.minValidityDays !== undefined) num(tls.minValidityDays, `${path}.tls.minValidityDays`, 0);
  }
}

function jsonPath(v: unknown, path: string): void {
  arr(v, path).forEach((s, i) => {
    if (typeof s === "number") num(s, `${path}[${i}]`, 0, Number.MAX_SAFE_INTEGER, true);
    else if (typeof s !== "string") bad(`${path}[${i}]`, "a string or an index", s);
  });
}

function assertions(v: unknown, path: string): void {
  arr(v, path).forEach((a, i) => {
    const p = `${path}[${i}]`;
    const o = obj(a, p);
    const subject = obj(o.subject, `${p}.subject`);
    switch (subject.kind) {
      case "status":
      case "textBody":
      case "responseTimeMs":
        break;
      case "header":
        str(subject.name, `${p}.subject.name`);
        break;
      case "jsonBody":
        jsonPath(subject.path, `${p}.subject.path`);
        break;
      default:
        bad(`${p}.subject.kind`, "status, header, jsonBody, textBody or responseTimeMs", subject.kind);
    }
    if (typeof o.comparator !== "string" || !COMPARATORS.has(o.comparator)) bad(`${p}.comparator`, "a comparator", o.comparator);
    const e = o.expected;
    if (e !== undefined && e !== null && typeof e !== "string" && typeof e !== "boolean" && !(typeof e === "number" && Number.isFinite(e))) {
      bad(`${p}.expected`, "a string, number, boolean or null", e);
    }
    if (o.comparator === "matches") regex(e, `${p}.expected`);
    str(o.label, `${p}.label`, false);
  });
}

/** `locations` (top level: unique names; a probe's: some of those, none twice). */
function locationList(v: unknown, path: string, known: ReadonlySet<string> | undefined): Set<string> {
  const list = arr(v, path);
  if (list.length === 0) bad(path, "at least one location", list);
  const seen = new Set<string>();
  list.forEach((l, i) => {
    const name = str(l, `${path}[${i}]`);
    if (seen.has(name)) throw new ConfigError(`${path}[${i}]: location "${name}" is listed twice`);
    if (known && !known.has(name)) bad(`${path}[${i}]`, `one of the locations ${[...known].join(", ")}`, name);
    seen.add(name);
  });
  return seen;
}

/** Names are unique per service (every metric carries both labels): two services may each have a check "api". */
function schedule(o: Obj, path: string, names: Set<string>, locations: ReadonlySet<string> | undefined): void {
  const name = str(o.name, `${path}.name`);
  const service = str(o.service, `${path}.service`, false);
  const key = `${service}\u0000${name}`;
  if (names.has(key)) throw new ConfigError(`${path}.name: duplicate name "${name}" in service "${service}"`);
  names.add(key);
  str(o.team, `${path}.team`, false);
  if (typeof o.severity !== "string" || !SEVERITIES.has(o.severity)) bad(`${path}.severity`, "critical, warning or info", o.severity);
  num(o.intervalSeconds, `${path}.intervalSeconds`, 0, 2_000_000, false, true);
  num(o.jitter, `${path}.jitter`, 0, 0.5);
  if (o.locations !== undefined) {
    if (!locations) throw new ConfigError(`${path}.locations: the config declares no locations`);
    locationList(o.locations, `${path}.locations`, locations);
  }
}

/** Checks a parsed `probes.json` against the contract; throws a {@link ConfigError} naming the first bad path. */
export function validateConfig(value: unknown): ProbesConfig {
  const c = obj(value, "config");
  if (c.version !== PROBES_CONFIG_VERSION) bad("version", String(PROBES_CONFIG_VERSION), c.version);
  num(c.maxConcurrency, "maxConcurrency", 1, 100_000, true);
  const locations = c.locations === undefined ? undefined : locationList(c.locations, "locations", undefined);
  const checkNames = new Set<string>();
  arr(c.checks, "checks").forEach((v, i) => {
    const p = `checks[${i}]`;
    const o = obj(v, p);
    schedule(o, p, checkNames, locations);
    if ("tcp" in o) {
      if ("request" in o) throw new ConfigError(`${p}: a check has a request (HTTP) or tcp, not both`);
      tcpTarget(o.tcp, `${p}.tcp`);
      assertions(o.assertions, `${p}.assertions`);
      (o.assertions as Obj[]).forEach((a, k) => {
        const kind = (a.subject as Obj).kind;
        if (kind !== "responseTimeMs") bad(`${p}.assertions[${k}].subject.kind`, "responseTimeMs (a TCP check has no response)", kind);
      });
    } else {
      request(o.request, `${p}.request`, undefined);
      assertions(o.assertions, `${p}.assertions`);
    }
    num(o.retries, `${p}.retries`, 0, 100, true);
    num(o.backoffMs, `${p}.backoffMs`, 0, 3_600_000);
  });
  const journeyNames = new Set<string>();
  arr(c.journeys, "journeys").forEach((v, i) => {
    const p = `journeys[${i}]`;
    const o = obj(v, p);
    schedule(o, p, journeyNames, locations);
    const steps = arr(o.steps, `${p}.steps`);
    if (steps.length === 0) bad(`${p}.steps`, "at least one step", steps);
    const refs = new Set<string>();
    const stepNames = new Set<string>();
    steps.forEach((sv, k) => {
      const sp = `${p}.steps[${k}]`;
      const s = obj(sv, sp);
      const name = str(s.name, `${sp}.name`);
      if (stepNames.has(name)) throw new ConfigError(`${sp}.name: duplicate step name "${name}"`);
      stepNames.add(name);
      request(s.request, `${sp}.request`, refs);
      assertions(s.assertions, `${sp}.assertions`);
      const extracted: string[] = [];
      arr(s.extract, `${sp}.extract`).forEach((ev, n) => {
        const ep = `${sp}.extract[${n}]`;
        const e = obj(ev, ep);
        extracted.push(str(e.name, `${ep}.name`));
        if (e.from === "jsonBody") jsonPath(e.path, `${ep}.path`);
        else if (e.from === "header") str(e.header, `${ep}.header`);
        else if (e.from === "textBody") regex(e.regex, `${ep}.regex`);
        else bad(`${ep}.from`, "jsonBody, header or textBody", e.from);
      });
      for (const n of extracted) refs.add(`${name}\u0000${n}`);
    });
  });
  return value as ProbesConfig;
}
