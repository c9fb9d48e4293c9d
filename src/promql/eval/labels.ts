/** Label-set operations with Prometheus' semantics (empty value = absent label). */
import type { LabelMatcher } from "../ast.js";
import { re2FullMatch } from "../regex/match.js";
import type { Labels } from "./types.js";

export const NAME = "__name__";

export function dropName(labels: Labels): Labels {
  if (!(NAME in labels)) return labels;
  // A loop, not `{ [NAME]: _, ...rest }`: the evaluator drops names in its innermost loops.
  const rest: Record<string, string> = {};
  for (const k of Object.keys(labels)) {
    if (k === NAME) continue;
    if (k === "__proto__") Object.defineProperty(rest, k, { value: labels[k], enumerable: true, writable: true, configurable: true });
    else rest[k] = labels[k]!;
  }
  return rest;
}

export function matchesAll(labels: Labels, matchers: readonly LabelMatcher[]): boolean {
  return matchers.every((m) => matchOne(labels[m.name] ?? "", m));
}

export function matchOne(value: string, m: Pick<LabelMatcher, "op" | "value">): boolean {
  switch (m.op) {
    case "=":
      return value === m.value;
    case "!=":
      return value !== m.value;
    case "=~":
      return re2FullMatch(m.value, value);
    case "!~":
      return !re2FullMatch(m.value, value);
  }
}

/** Stable key of a label set (sorted), for grouping and de-duplication. */
export function labelsKey(labels: Labels): string {
  const keys: string[] = [];
  for (const k of Object.keys(labels)) if (labels[k] !== "") keys.push(k);
  if (keys.length > 1) keys.sort();
  let key = "";
  for (let i = 0; i < keys.length; i++) key += `${i === 0 ? "" : "\u0001"}${keys[i]}\u0000${labels[keys[i]!]}`;
  return key;
}

/** Keeps only `names` (by) or drops them (without); `without` always drops the metric name. */
export function project(labels: Labels, names: readonly string[], keep: boolean): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels)) {
    const v = labels[k]!;
    if (v === "") continue;
    if (keep ? names.includes(k) : !names.includes(k) && k !== NAME) out[k] = v;
  }
  return out;
}

/** Signature used to match two samples in a binary operation. */
export function matchSignature(labels: Labels, on: boolean, names: readonly string[]): string {
  return labelsKey(project(labels, names, on));
}

export function withLabels(labels: Labels, set: Record<string, string>): Labels {
  const out: Record<string, string> = { ...labels };
  for (const [k, v] of Object.entries(set)) {
    if (v === "") delete out[k];
    else out[k] = v;
  }
  return out;
}
