/**
 * What `vigil diff` compares: facts, each one thing a reviewer cares about (an alert of one
 * severity, an SLO, a burn-rate tier, where an alert is delivered, a panel...) with its
 * properties as display text. Both sides of a diff are reduced to facts, then compared.
 */
import { parsePromQL } from "../promql/parse.js";
import { printExpr } from "../promql/print.js";
import { formatDuration, formatNumber } from "../promql/format.js";
import { stableJson } from "../util/json.js";

/** The kinds of fact, in the order a diff lists them. */
export const AREAS = [
  "service",
  "alert",
  "slo",
  "burn-rate",
  "anomaly",
  "recording",
  "routing",
  "route",
  "team",
  "receiver",
  "inhibition",
  "time-interval",
  "dashboard",
  "panel",
  "check",
  "journey",
  "logs",
  "log-category",
  "log-metric",
  "retention",
  "signal",
  "exporter",
  "prometheus",
  "settings",
  "file",
] as const;
export type Area = (typeof AREAS)[number];

export interface Fact {
  area: Area;
  /** Unique within its area, e.g. `checkout/CheckoutErrors critical`. */
  subject: string;
  /** Property → display text; an absent property is unset. */
  fields: Record<string, string>;
}

/** Collects facts; a subject given twice gets ` #2`, ` #3` (e.g. two panels of one title). */
export class FactSet {
  private readonly byKey = new Map<string, Fact>();

  add(area: Area, subject: string, fields: Record<string, string>): void {
    let name = subject;
    for (let n = 2; this.byKey.has(key(area, name)); n++) name = `${subject} #${n}`;
    this.byKey.set(key(area, name), { area, subject: name, fields });
  }

  get(area: Area, subject: string): Fact | undefined {
    return this.byKey.get(key(area, subject));
  }

  all(): Fact[] {
    return [...this.byKey.values()];
  }
}

function key(area: Area, subject: string): string {
  return `${area}\u0000${subject}`;
}

/**
 * Flattens a value into display fields: nested objects become dotted keys, lists of plain
 * values are joined with ", ", other lists are stable JSON, `…Ms` numbers are durations.
 * `skip` names keys left out at every depth (source locations, ids).
 */
export function flatten(value: unknown, skip: readonly string[] = [], prefix = "", out: Record<string, string> = {}): Record<string, string> {
  if (value === undefined || value === null) return out;
  if (Array.isArray(value)) {
    if (value.length === 0) out[prefix] = "(none)";
    else if (value.every((v) => typeof v !== "object" || v === null)) out[prefix] = value.map(String).join(", ");
    else if (value.every(isTemplatePart)) out[prefix] = value.map((p: Record<string, unknown>) => ("text" in p ? String(p.text) : `\${${Object.keys(p)[0]}:${stableJson(Object.values(p)[0])}}`)).join("");
    else if (namedUniquely(value)) for (const v of value) flatten(v, [...skip, "name"], `${prefix}.${(v as { name: string }).name}`, out);
    else if (value.every((v) => v && typeof v === "object" && !Array.isArray(v))) value.forEach((v, i) => flatten(v, skip, `${prefix}.${i + 1}`, out));
    else out[prefix] = stableJson(value.map((v) => strip(v, skip)));
    return out;
  }
  if (typeof value === "object") {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (skip.includes(k)) continue;
      flatten(v, skip, prefix ? `${prefix}.${k}` : k, out);
    }
    return out;
  }
  const name = prefix.split(".").pop() ?? prefix;
  if (typeof value === "number" && /Ms$/.test(name)) out[prefix.replace(/Ms$/, "")] = formatDuration(value);
  else if (typeof value === "number") out[prefix] = formatNumber(value);
  else out[prefix] = String(value);
  return out;
}

/** A part of a probe template: `{ text }`, `{ env }` or `{ ref }` (printed as `${env:"NAME"}`). */
function isTemplatePart(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && ["text", "env", "ref"].includes(keys[0]!);
}

/** Objects with distinct string names (steps, receivers): listed by name, so inserting one does not renumber the rest. */
function namedUniquely(list: readonly unknown[]): boolean {
  const names = list.map((v) => (v && typeof v === "object" && typeof (v as { name?: unknown }).name === "string" ? (v as { name: string }).name : undefined));
  return names.every((n) => n !== undefined) && new Set(names).size === names.length;
}

/** The value without the skipped keys at any depth (for lists shown as JSON). */
function strip(value: unknown, skip: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, skip));
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !skip.includes(k)).map(([k, v]) => [k, strip(v, skip)]));
}

/** PromQL in canonical form (spacing, parentheses and quoting do not count as changes); the text itself when it does not parse. */
export function canonicalPromQL(text: string): string {
  // Vigil's SLI queries keep a `{{window}}` placeholder; they are built, not written, so their spacing is already stable.
  if (text.includes("{{window}}")) return text.replace(/\s+/g, " ").trim();
  const parsed = parsePromQL(text);
  return parsed.ok ? printExpr(parsed.expr) : text.replace(/\s+/g, " ").trim();
}

/** `{a="x", b=~"y"}` style text of matchers. */
export function matchersText(matchers: readonly { label: string; op: string; value: string }[]): string {
  return `{${[...matchers].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0)).map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(", ")}}`;
}

/**
 * An alert's subject: `service/Name` when the alert has one severity (the severity is then a
 * property, so raising it reads as a change), `service/Name severity [tier]` for a ladder or an
 * SLO's tiers, whose rules are told apart by it.
 */
export function alertSubjects<T>(items: readonly T[], parts: (item: T) => { service?: string; name: string; severity?: string; tier?: string }): Map<T, string> {
  const base = (p: ReturnType<typeof parts>): string => `${p.service ? `${p.service}/` : ""}${p.name}`;
  const count = new Map<string, number>();
  for (const item of items) count.set(base(parts(item)), (count.get(base(parts(item))) ?? 0) + 1);
  return new Map(
    items.map((item) => {
      const p = parts(item);
      const single = count.get(base(p)) === 1;
      return [item, single ? base(p) : `${base(p)} ${p.severity ?? "(no severity)"}${p.tier ? ` ${p.tier}` : ""}`];
    }),
  );
}
