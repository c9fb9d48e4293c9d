/**
 * An interpreter of the Logstash pipelines Vigil emits, to watch what they store. It runs configs
 * parsed with `parser.ts` and implements exactly the plugins and options Vigil writes, each as
 * its plugin documents (and, where the docs are silent, as its source does):
 *
 * - inputs `beats`/`http`/`file` give each line as Logstash 8 does with ECS compatibility on:
 *   `message` and `[event][original]` hold the line; `pipeline { address }` receives from `send_to`.
 * - `json` (logstash-filter-json): `source`, `tag_on_failure`; a non-object or invalid source
 *   tags; every key is `event.set` at the root (a key `[a][b]` is a field reference); an
 *   `@timestamp` key is coerced.
 * - `mutate` (logstash-filter-mutate): `rename`, `replace`, `convert` (float, boolean), `gsub`,
 *   run in the plugin's fixed order (coerce, rename, update, replace, convert, gsub, …, copy)
 *   whatever the order written; an exception tags `_mutate_error` and skips the rest.
 * - common options (logstash-core filters/base.rb `filter_matched`, on success only):
 *   `add_field` (appends when the field exists), `remove_field`, `add_tag`, `remove_tag`, in that order.
 * - `grok` (logstash-filter-grok): `match` on one field with the ecs-v1 core patterns listed in
 *   `GROK`, named captures only, unanchored; `overwrite`; `tag_on_failure`.
 * - `dissect` (logstash-filter-dissect): `mapping` with `%{field}`, `%{?skip}`, `%{}` and `->`;
 *   each value ends at the first occurrence of the next delimiter; `tag_on_failure`.
 * - `date` (logstash-filter-date): `match` with `ISO8601` (Joda's ISO dateTimeParser, then
 *   `yyyy-MM-dd HH:mm:ss.SSS[Z]` and `,SSS[Z]`, as CasualISO8601Parser), `target`; UTC.
 * - `fingerprint`: `method => SHA256` with `key` (HMAC-SHA256, hex), `source`, `target`.
 * - `drop` with `percentage` (an injected random source).
 * - conditionals: `if`/`else if`/`else`; `and`, `or` (not mixed unparenthesized), `!`, `==`,
 *   `!=`, `=~`/`!~` (Ruby regexps: `^` is a line anchor), `in`/`not in`, field truthiness.
 * - outputs `elasticsearch` (`hosts`, `index` with `%{+YYYY.MM.dd}`, `data_stream` "true" with
 *   auto routing, "false") and `pipeline { send_to }`.
 *
 * Anything else — another plugin, option, pattern, format or construct — throws, so a change to
 * the emitter that this does not understand fails the test instead of passing it silently.
 * `${VAR}` references are substituted at load, as Logstash does, from the given environment.
 */
import { createHmac } from "node:crypto";
import type { BranchOrPlugin, Condition, Config, Expression, HashValue, Plugin, RValue, Value } from "./parser.js";

export class Timestamp {
  constructor(readonly ms: number) {}
  toJSON(): string {
    return new Date(this.ms).toISOString();
  }
}
export type EventValue = string | number | boolean | null | Timestamp | EventValue[] | { [key: string]: EventValue };
export type EventData = { [key: string]: EventValue };

export interface Written {
  /** The pipeline whose output wrote it. */
  pipeline: string;
  index: string;
  /** `index` for named indices, `create` for data streams (the Elasticsearch output's defaults). */
  opType: "index" | "create";
  /** The document as sent: the event without `@metadata`. */
  doc: EventData;
}

function unsupported(what: string): never {
  throw new Error(`interpreter: unsupported ${what}`);
}

// ---------------------------------------------------------------- fields

/** `[a][b]` → ["a","b"]; a bare name is one top-level key, dots included (Logstash FieldReference). */
export function fieldPath(ref: string): string[] {
  if (/^(\[[^[\],]+\])+$/.test(ref)) return [...ref.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
  if (/[[\]]/.test(ref)) unsupported(`field reference ${ref}`);
  return [ref];
}

class Event {
  cancelled = false;
  constructor(public data: EventData) {}
  get(ref: string | string[]): EventValue | undefined {
    let node: EventValue | undefined = this.data;
    for (const k of typeof ref === "string" ? fieldPath(ref) : ref) {
      if (node === null || typeof node !== "object" || Array.isArray(node) || node instanceof Timestamp) return undefined;
      node = (node as EventData)[k];
    }
    return node;
  }
  has(ref: string): boolean {
    return this.get(ref) !== undefined;
  }
  set(ref: string | string[], value: EventValue): void {
    const path = typeof ref === "string" ? fieldPath(ref) : ref;
    let node = this.data;
    path.slice(0, -1).forEach((k) => {
      const next = node[k];
      if (next === undefined || next === null || typeof next !== "object" || Array.isArray(next) || next instanceof Timestamp) node[k] = {};
      node = node[k] as EventData;
    });
    node[path[path.length - 1]!] = value;
  }
  remove(ref: string): EventValue | undefined {
    const path = fieldPath(ref);
    const parent = path.length === 1 ? this.data : this.get(path.slice(0, -1));
    if (!parent || typeof parent !== "object" || Array.isArray(parent) || parent instanceof Timestamp) return undefined;
    const v = (parent as EventData)[path[path.length - 1]!];
    delete (parent as EventData)[path[path.length - 1]!];
    return v;
  }
  tag(tag: string): void {
    const tags = this.get("tags");
    const list = tags === undefined ? [] : Array.isArray(tags) ? tags : [tags];
    if (!list.includes(tag)) list.push(tag);
    this.set("tags", list);
  }
  clone(): Event {
    return new Event(structuredCloneEvent(this.data) as EventData);
  }
}

function structuredCloneEvent(v: EventValue): EventValue {
  if (v instanceof Timestamp) return new Timestamp(v.ms);
  if (Array.isArray(v)) return v.map(structuredCloneEvent);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, structuredCloneEvent(x)]));
  return v;
}

/** Logstash's `to_s` of a value, as sprintf and conditions see it. */
function text(v: EventValue | undefined): string {
  if (v === undefined || v === null) return "";
  if (v instanceof Timestamp) return v.toJSON();
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** `%{[field]}`, `%{field}` and `%{+YYYY.MM.dd}` (Joda, UTC, of @timestamp); a missing field stays as written. */
function sprintf(event: Event, template: string): string {
  return template.replace(/%\{([^}]+)\}/g, (whole, inner: string) => {
    if (inner.startsWith("+")) {
      if (inner !== "+YYYY.MM.dd") unsupported(`sprintf date format ${inner}`);
      const ts = event.get("@timestamp");
      if (!(ts instanceof Timestamp)) unsupported("sprintf date without a Timestamp @timestamp");
      return (ts as Timestamp).toJSON().slice(0, 10).replace(/-/g, ".");
    }
    const v = event.get(inner);
    return v === undefined ? whole : text(v);
  });
}

// ---------------------------------------------------------------- regexps

/** A Ruby (Onigmo) regexp as JavaScript reads it: `(?i)` in front becomes the flag; `^`/`$` are line anchors in Ruby. */
export function rubyRegExp(source: string, global = false): RegExp {
  let flags = `m${global ? "g" : ""}`;
  let body = source;
  if (body.startsWith("(?i)")) {
    flags += "i";
    body = body.slice(4);
  }
  if (/\(\?[imx-]+[:)]|\\[AzZhHG]|[*+?}]\+|\(\?>|\\[pP]\{/.test(body)) unsupported(`Ruby regexp construct in /${source}/`);
  return new RegExp(body, flags);
}

/** Ruby's String#gsub with a string replacement: `\1`…`\9` are groups, `\\` a backslash. */
function rubyGsub(value: string, re: RegExp, replacement: string): string {
  return value.replace(re, (...args) => {
    const groups = args.slice(1, -2) as (string | undefined)[];
    return replacement.replace(/\\(\d|\\)/g, (_, d: string) => (d === "\\" ? "\\" : (groups[Number(d) - 1] ?? "")));
  });
}

// ---------------------------------------------------------------- grok

/**
 * The ecs-v1 core pattern definitions the interpreter knows (logstash-patterns-core,
 * patterns/ecs-v1/grok-patterns). YEAR is `(?>\d\d){1,2}` there: an atomic group around two
 * digits cannot backtrack anyway, so it is written without.
 */
const GROK: Record<string, string> = {
  YEAR: "(?:\\d\\d){1,2}",
  MONTHNUM: "(?:0?[1-9]|1[0-2])",
  MONTHDAY: "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])",
  HOUR: "(?:2[0123]|[01]?[0-9])",
  MINUTE: "(?:[0-5][0-9])",
  SECOND: "(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)",
  ISO8601_TIMEZONE: "(?:Z|[+-]%{HOUR}(?::?%{MINUTE}))",
  TIMESTAMP_ISO8601: "%{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?%{ISO8601_TIMEZONE}?",
  LOGLEVEL:
    "([Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug|DEBUG|[Nn]otice|NOTICE|[Ii]nfo?(?:rmation)?|INFO?(?:RMATION)?|[Ww]arn?(?:ing)?|WARN?(?:ING)?|[Ee]rr?(?:or)?|ERR?(?:OR)?|[Cc]rit?(?:ical)?|CRIT?(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|EMERG(?:ENCY)?|[Ee]merg(?:ency)?)",
  NOTSPACE: "\\S+",
  GREEDYDATA: ".*",
  DATA: ".*?",
  WORD: "\\b\\w+\\b",
  INT: "(?:[+-]?(?:[0-9]+))",
  SPACE: "\\s*",
};

function grokRegExp(pattern: string): { re: RegExp; captures: { group: string; field: string; type?: string }[] } {
  const captures: { group: string; field: string; type?: string }[] = [];
  const expand = (p: string, depth: number): string => {
    if (depth > 10) unsupported("grok recursion");
    if (/\(\?<[A-Za-z]|\(\?>/.test(p)) unsupported("grok named or atomic groups");
    return p.replace(/%\{([A-Z0-9_]+)(?::([^:}]+))?(?::(int|float))?\}/g, (_, syntax: string, field?: string, type?: string) => {
      const def = GROK[syntax] ?? unsupported(`grok pattern ${syntax}`);
      const inner = expand(def, depth + 1);
      if (field === undefined) return `(?:${inner})`;
      const group = `c${captures.length}`;
      captures.push(type ? { group, field, type } : { group, field });
      return `(?<${group}>${inner})`;
    });
  };
  const source = expand(pattern, 0);
  if (/%\{/.test(source)) unsupported(`grok syntax in ${pattern}`);
  return { re: rubyRegExp(source), captures };
}

// ---------------------------------------------------------------- dissect

function dissect(pattern: string, value: string): Map<string, string> | undefined {
  // [literal, key, literal, key, ..., literal]
  const parts = pattern.split(/(%\{[^}]*\})/);
  const keys: { key: string; padded: boolean; delimiter: string }[] = [];
  const leading = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const m = /^%\{(.*)\}$/.exec(parts[i]!) ?? unsupported(`dissect mapping ${pattern}`);
    let key = m[1]!;
    const padded = key.endsWith("->");
    if (padded) key = key.slice(0, -2);
    if (/^[+*&]|\/\d+$/.test(key)) unsupported(`dissect key %{${m[1]}}`);
    keys.push({ key, padded, delimiter: parts[i + 1] ?? "" });
  }
  if (!value.startsWith(leading)) return undefined;
  let pos = leading.length;
  const out = new Map<string, string>();
  keys.forEach((k, i) => {
    if (pos < 0) return;
    const last = i === keys.length - 1;
    if (last && k.delimiter === "") {
      out.set(k.key, value.slice(pos));
      pos = value.length;
      return;
    }
    const end = value.indexOf(k.delimiter, pos);
    if (end < 0) {
      pos = -1;
      return;
    }
    out.set(k.key, value.slice(pos, end));
    pos = end + k.delimiter.length;
    if (k.padded) while (k.delimiter && value.startsWith(k.delimiter, pos)) pos += k.delimiter.length;
  });
  if (pos < 0) return undefined;
  for (const [k] of out) if (k === "" || k.startsWith("?")) out.delete(k);
  return out;
}

// ---------------------------------------------------------------- date

/**
 * Joda's `ISODateTimeFormat.dateTimeParser()` for calendar dates (`yyyy[-MM[-dd]]`, then
 * `T` with `HH[:mm[:ss]]`, a `.`/`,` fraction on the last element, an offset `Z`/`±HH[[:]mm]`),
 * then CasualISO8601Parser's `yyyy-MM-dd HH:mm:ss.SSS[Z]` and `,SSS[Z]`. Zone-less times are UTC.
 */
export function parseIso8601(value: string): number | undefined {
  const offset = "(Z|[+-]\\d{2}(?::?\\d{2})?)";
  const joda = new RegExp(`^(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2}))?)?(?:[.,](\\d+))?${offset}?)?$`).exec(value);
  const casual = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})[.,](\\d{3})${offset}?$`).exec(value);
  const m = joda ?? casual;
  if (!m) return undefined;
  const [, y, mo = "01", d = "01", h = "00", mi = "00", s = "00", frac = "", zone] = m;
  const ms = Number((frac + "000").slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(t);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone && zone !== "Z") {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
    t -= (z[1] === "-" ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0)) * 60_000;
  }
  return t;
}

// ---------------------------------------------------------------- plugins

type Options = Map<string, Value>;

const nameOf = (n: Plugin["name"]): string => n.value;
function strOf(v: Value | undefined, what: string): string {
  if (v?.type !== "String") return unsupported(`${what}: expected a string`);
  return v.value;
}
function strList(v: Value | undefined, what: string): string[] {
  if (v?.type === "String") return [v.value];
  if (v?.type !== "Array") return unsupported(`${what}: expected a list`);
  return v.elements.map((e) => strOf(e, what));
}
function hashOf(v: Value | undefined, what: string): [string, string][] {
  if (v?.type !== "Hash") return unsupported(`${what}: expected a hash`);
  return (v as HashValue).entries.map((e) => [e.key.type === "Number" ? e.key.raw : e.key.value, strOf(e.value, what)]);
}

const COMMON = ["add_field", "remove_field", "add_tag", "remove_tag"];

function options(p: Plugin, allowed: readonly string[]): Options {
  const out: Options = new Map();
  for (const a of p.attributes) {
    const key = nameOf(a.name);
    if (!allowed.includes(key) && !COMMON.includes(key)) unsupported(`option ${key} of ${nameOf(p.name)}`);
    if (out.has(key)) unsupported(`repeated option ${key} of ${nameOf(p.name)}`);
    out.set(key, a.value);
  }
  return out;
}

function filterMatched(event: Event, o: Options): void {
  if (o.has("add_field")) {
    for (const [k, v] of hashOf(o.get("add_field"), "add_field")) {
      const field = sprintf(event, k);
      const value = sprintf(event, v);
      const current = event.get(field);
      if (current === undefined) event.set(field, value);
      else event.set(field, [...(Array.isArray(current) ? current : [current]), value]);
    }
  }
  if (o.has("remove_field")) for (const f of strList(o.get("remove_field"), "remove_field")) event.remove(sprintf(event, f));
  if (o.has("add_tag")) for (const t of strList(o.get("add_tag"), "add_tag")) event.tag(sprintf(event, t));
  if (o.has("remove_tag")) {
    const tags = event.get("tags");
    if (tags !== undefined) {
      const remove = strList(o.get("remove_tag"), "remove_tag").map((t) => sprintf(event, t));
      event.set("tags", (Array.isArray(tags) ? tags : [tags]).filter((t) => !remove.includes(text(t))));
    }
  }
}

const TRUE = /^(true|t|yes|y|1|1\.0)$/i;
const FALSE = /^(false|f|no|n|0|0\.0)$/i;
function convert(value: EventValue, type: string): EventValue {
  if (Array.isArray(value)) return value.map((v) => (v === null ? v : convert(v, type)));
  if (value === null || (typeof value === "object" && !(value instanceof Timestamp))) return value;
  if (type === "float") {
    if (value === true) return 1;
    if (value === false) return 0;
    if (typeof value === "number") return value;
    const s = text(value).trim().replace(/,/g, "").toLowerCase();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) throw new Error(`invalid value for Float(): "${s}"`);
    return Number(s);
  }
  if (type === "boolean") {
    const s = text(value);
    if (TRUE.test(s)) return true;
    if (s === "" || FALSE.test(s)) return false;
    return value;
  }
  return unsupported(`convert type ${type}`);
}

interface Context {
  env: Record<string, string>;
  random: () => number;
}

function runFilter(p: Plugin, event: Event, ctx: Context): void {
  const name = nameOf(p.name);
  if (name === "json") {
    const o = options(p, ["source", "tag_on_failure"]);
    const failTags = o.has("tag_on_failure") ? strList(o.get("tag_on_failure"), "tag_on_failure") : ["_jsonparsefailure"];
    const source = event.get(strOf(o.get("source"), "source"));
    if (source === undefined || source === null || source === false) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text(source));
    } catch {
      failTags.forEach((t) => event.tag(t));
      return;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
      failTags.forEach((t) => event.tag(t));
      return;
    }
    const hash = { ...(parsed as EventData) };
    const ts = hash["@timestamp"];
    delete hash["@timestamp"];
    for (const [k, v] of Object.entries(hash)) event.set(k, v);
    if (ts !== undefined) {
      const ms = typeof ts === "string" ? parseIso8601(ts) : undefined;
      if (ms !== undefined) event.set("@timestamp", new Timestamp(ms));
      else {
        event.tag("_timestampparsefailure");
        event.set("_@timestamp", text(ts));
      }
    }
    filterMatched(event, o);
    return;
  }
  if (name === "mutate") {
    const o = options(p, ["rename", "replace", "convert", "gsub"]);
    try {
      // The plugin's own order, whatever the order in the config.
      if (o.has("rename")) for (const [from, to] of hashOf(o.get("rename"), "rename")) {
        const f = sprintf(event, from);
        if (event.has(f)) event.set(sprintf(event, to), event.remove(f)!);
      }
      if (o.has("replace")) for (const [field, value] of hashOf(o.get("replace"), "replace")) event.set(field, sprintf(event, value));
      if (o.has("convert")) for (const [field, type] of hashOf(o.get("convert"), "convert")) {
        const v = event.get(field);
        if (v !== undefined) event.set(field, convert(v, type));
      }
      if (o.has("gsub")) {
        const list = strList(o.get("gsub"), "gsub");
        if (list.length % 3) unsupported("gsub list that is not triplets");
        for (let i = 0; i < list.length; i += 3) {
          const [field, needle, replacement] = [list[i]!, list[i + 1]!, list[i + 2]!];
          if (needle.includes("%{")) unsupported("gsub with a dynamic needle");
          const re = rubyRegExp(needle, true);
          const v = event.get(field);
          if (typeof v === "string") event.set(field, rubyGsub(v, re, sprintf(event, replacement)));
          else if (Array.isArray(v)) event.set(field, v.map((x) => (typeof x === "string" ? rubyGsub(x, re, sprintf(event, replacement)) : x)));
        }
      }
    } catch (e) {
      if (e instanceof Error && e.message.startsWith("interpreter:")) throw e;
      event.tag("_mutate_error");
      return;
    }
    filterMatched(event, o);
    return;
  }
  if (name === "grok") {
    const o = options(p, ["match", "tag_on_failure", "overwrite"]);
    const failTags = o.has("tag_on_failure") ? strList(o.get("tag_on_failure"), "tag_on_failure") : ["_grokparsefailure"];
    const overwrite = o.has("overwrite") ? strList(o.get("overwrite"), "overwrite") : [];
    const match = hashOf(o.get("match"), "match");
    if (match.length !== 1) unsupported("grok match on several fields");
    const [field, pattern] = match[0]!;
    const { re, captures } = grokRegExp(pattern);
    const value = event.get(field);
    const m = typeof value === "string" ? re.exec(value) : null;
    if (!m) {
      failTags.forEach((t) => event.tag(t));
      return;
    }
    for (const c of captures) {
      const v = m.groups?.[c.group];
      if (v === undefined || v === "") continue; // keep_empty_captures => false
      const typed = c.type === "int" ? Number.parseInt(v, 10) : c.type === "float" ? Number.parseFloat(v) : v;
      const current = event.get(c.field);
      // Without `overwrite`, a capture into an existing field makes it an array.
      event.set(c.field, current === undefined || overwrite.includes(c.field) ? typed : [...(Array.isArray(current) ? current : [current]), typed]);
    }
    filterMatched(event, o);
    return;
  }
  if (name === "dissect") {
    const o = options(p, ["mapping", "tag_on_failure"]);
    const failTags = o.has("tag_on_failure") ? strList(o.get("tag_on_failure"), "tag_on_failure") : ["_dissectfailure"];
    const mapping = hashOf(o.get("mapping"), "mapping");
    if (mapping.length !== 1) unsupported("dissect mapping of several fields");
    const [field, pattern] = mapping[0]!;
    const value = event.get(field);
    const out = typeof value === "string" && value !== "" ? dissect(pattern, value) : undefined;
    if (!out) {
      failTags.forEach((t) => event.tag(t));
      return;
    }
    for (const [k, v] of out) event.set(k, v);
    filterMatched(event, o);
    return;
  }
  if (name === "date") {
    const o = options(p, ["match", "target", "tag_on_failure"]);
    const [field, ...formats] = strList(o.get("match"), "match");
    if (!formats.length || formats.some((f) => f !== "ISO8601")) unsupported(`date formats ${formats.join(", ")}`);
    const target = o.has("target") ? strOf(o.get("target"), "target") : "@timestamp";
    const failTags = o.has("tag_on_failure") ? strList(o.get("tag_on_failure"), "tag_on_failure") : ["_dateparsefailure"];
    const value = event.get(field!);
    if (value === undefined || value === null) return;
    const ms = typeof value === "string" ? parseIso8601(value) : undefined; // CasualISO8601Parser refuses numbers
    if (ms === undefined) {
      failTags.forEach((t) => event.tag(t));
      return;
    }
    event.set(target, new Timestamp(ms));
    filterMatched(event, o);
    return;
  }
  if (name === "fingerprint") {
    const o = options(p, ["source", "target", "method", "key"]);
    if (strOf(o.get("method"), "method") !== "SHA256") unsupported("fingerprint method");
    const source = strOf(o.get("source"), "source");
    const value = event.get(source);
    if (value === undefined) return;
    if (typeof value === "object" && value !== null && !(value instanceof Timestamp)) unsupported("fingerprint of an object or array");
    const key = strOf(o.get("key"), "key");
    event.set(o.has("target") ? strOf(o.get("target"), "target") : "fingerprint", createHmac("sha256", key).update(text(value)).digest("hex"));
    filterMatched(event, o);
    return;
  }
  if (name === "drop") {
    const o = options(p, ["percentage"]);
    const pv = o.get("percentage");
    const percentage = pv === undefined ? 100 : pv.type === "Number" ? pv.value : unsupported("drop percentage");
    if (ctx.random() * 100 < percentage) event.cancelled = true;
    return;
  }
  unsupported(`filter plugin ${name}`);
}

// ---------------------------------------------------------------- conditions

function rvalue(v: RValue, event: Event): EventValue | undefined {
  switch (v.type) {
    case "String":
      return v.value;
    case "Number":
      return v.value;
    case "Selector":
      return event.get(v.path);
    default:
      return unsupported(`condition value ${v.type}`);
  }
}

const truthy = (v: EventValue | undefined) => v !== undefined && v !== null && v !== false;

function expression(e: Expression, event: Event): boolean {
  switch (e.type) {
    case "Paren":
      return condition(e.condition, event);
    case "Not":
      return !(e.operand.type === "Condition" ? condition(e.operand, event) : truthy(event.get(e.operand.path)));
    case "In": {
      const left = rvalue(e.left, event);
      const right = rvalue(e.right, event);
      const found = Array.isArray(right) ? right.some((x) => text(x) === text(left) && typeof x === typeof left) : typeof right === "string" ? right.includes(text(left)) : false;
      return e.negated ? !found : found;
    }
    case "Compare": {
      if (e.op !== "==" && e.op !== "!=") unsupported(`comparison ${e.op}`);
      const l = rvalue(e.left, event);
      const r = rvalue(e.right, event);
      const eq = l !== undefined && typeof l === typeof r && JSON.stringify(l) === JSON.stringify(r);
      return e.op === "==" ? eq : !eq;
    }
    case "RegexpMatch": {
      const l = rvalue(e.left, event);
      const re = rubyRegExp(e.right.type === "Regexp" ? e.right.pattern.replace(/\\\//g, "/") : e.right.value);
      const m = typeof l === "string" && re.test(l);
      return e.op === "=~" ? m : !m;
    }
    case "Selector":
      return truthy(event.get(e.path));
    default:
      return unsupported(`condition ${e.type}`);
  }
}

function condition(c: Condition, event: Event): boolean {
  const ops = new Set(c.rest.map((r) => r.op));
  if (ops.size > 1) unsupported("and/or mixed without parentheses");
  const op = [...ops][0];
  if (op !== undefined && op !== "and" && op !== "or") unsupported(`boolean operator ${op}`);
  const values = [c.first, ...c.rest.map((r) => r.expr)];
  return op === "and" ? values.every((x) => expression(x, event)) : values.some((x) => expression(x, event));
}

// ---------------------------------------------------------------- pipelines

interface Loaded {
  id: string;
  config: Config;
}

function substituteEnv(value: unknown, env: Record<string, string>): void {
  if (Array.isArray(value)) value.forEach((v) => substituteEnv(v, env));
  else if (value && typeof value === "object") {
    const node = value as { type?: string; value?: unknown };
    if (node.type === "String" && typeof node.value === "string") {
      node.value = node.value.replace(/\$\{([^}]*)\}/g, (_, name: string) => env[name] ?? unsupported(`environment variable ${name} (not given)`));
    }
    for (const v of Object.values(value)) if (v && typeof v === "object") substituteEnv(v, env);
  }
}

export class LogstashRun {
  readonly written: Written[] = [];
  private readonly pipelines: Loaded[];
  private readonly ctx: Context;

  /** `configs`: pipeline id → parsed config (as pipelines.yml lists them). */
  constructor(configs: Map<string, Config>, options: { env: Record<string, string>; random?: () => number }) {
    this.ctx = { env: options.env, random: options.random ?? (() => 0.5) };
    this.pipelines = [...configs].map(([id, config]) => {
      const copy = JSON.parse(JSON.stringify(config)) as Config;
      substituteEnv(copy, options.env);
      return { id, config: copy };
    });
  }

  /** Feeds one line to every pipeline with a beats, http or file input (or to pipeline `only`'s). */
  receive(line: string, now: number, only?: string): void {
    for (const p of this.pipelines) {
      if (only !== undefined && p.id !== only) continue;
      const inputs = p.config.sections.filter((s) => s.kind === "input").flatMap((s) => s.body);
      for (const input of inputs) {
        if (input.type !== "Plugin") unsupported("conditional in input");
        const name = nameOf(input.name);
        if (name === "pipeline") continue;
        if (!["beats", "http", "file"].includes(name)) unsupported(`input plugin ${name}`);
        options(input, name === "file" ? ["path"] : ["port"]);
        this.run(p, new Event({ "@timestamp": new Timestamp(now), "@version": "1", message: line, event: { original: line }, host: { name: "app-1" } }));
      }
    }
  }

  private run(p: Loaded, event: Event): void {
    for (const s of p.config.sections.filter((x) => x.kind === "filter")) this.body(s.body, event, (plugin) => runFilter(plugin, event, this.ctx));
    if (event.cancelled) return;
    for (const s of p.config.sections.filter((x) => x.kind === "output")) this.body(s.body, event, (plugin) => this.output(p, plugin, event));
  }

  private body(body: BranchOrPlugin[], event: Event, plugin: (p: Plugin) => void): void {
    for (const item of body) {
      if (event.cancelled) return;
      if (item.type === "Plugin") plugin(item);
      else {
        const clause = item.clauses.find((c) => condition(c.condition, event));
        const chosen = clause ? clause.body : item.elseBody;
        if (chosen) this.body(chosen, event, plugin);
      }
    }
  }

  private output(p: Loaded, plugin: Plugin, event: Event): void {
    const name = nameOf(plugin.name);
    if (name === "pipeline") {
      const o = options(plugin, ["send_to"]);
      for (const address of strList(o.get("send_to"), "send_to")) {
        const target = this.pipelines.filter((x) =>
          x.config.sections.some((s) => s.kind === "input" && s.body.some((b) => b.type === "Plugin" && nameOf(b.name) === "pipeline" && strOf(b.attributes.find((a) => nameOf(a.name) === "address")?.value, "address") === address)),
        );
        if (target.length !== 1) throw new Error(`send_to ${address}: ${target.length} pipelines listen there`);
        this.run(target[0]!, event.clone());
      }
      return;
    }
    if (name !== "elasticsearch") unsupported(`output plugin ${name}`);
    const o = options(plugin, ["hosts", "index", "data_stream"]);
    for (const k of COMMON) if (o.has(k)) unsupported(`output option ${k}`);
    strList(o.get("hosts"), "hosts");
    const ds = o.has("data_stream") ? strOf(o.get("data_stream"), "data_stream") : "false";
    const doc = event.clone().data;
    delete doc["@metadata"];
    if (ds === "true") {
      if (o.has("index")) unsupported("data_stream with index");
      const get = (k: string, dflt: string) => text(event.get(["data_stream", k]) ?? dflt);
      const [type, dataset, namespace] = [get("type", "logs"), get("dataset", "generic"), get("namespace", "default")];
      // data_stream_sync_fields: the event's fields are set to the stream it goes to.
      doc.data_stream = { type, dataset, namespace };
      this.written.push({ pipeline: p.id, index: `${type}-${dataset}-${namespace}`, opType: "create", doc });
    } else if (ds === "false") {
      this.written.push({ pipeline: p.id, index: sprintf(event, strOf(o.get("index"), "index")), opType: "index", doc });
    } else unsupported(`data_stream ${ds}`);
  }
}
