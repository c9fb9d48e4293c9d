/** Label-set operations with Prometheus' semantics (empty value = absent label). */
import type { LabelMatcher } from "../ast.js";
import { re2FullMatch } from "../regex/match.js";
import type { Labels } from "./types.js";

export const NAME = "__name__";

export function dropName(labels: Labels): Labels {
  if (!(NAME in labels)) return labels;
  const { [NAME]: _, ...rest } = labels;
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
  return Object.keys(labels)
    .filter((k) => labels[k] !== "")
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join("\u0001");
}

/** Keeps only `names` (by) or drops them (without); `without` always drops the metric name. */
export function project(labels: Labels, names: readonly string[], keep: boolean): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
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
