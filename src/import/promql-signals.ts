/**
 * Signals inferred from PromQL: every metric an expression reads that no recording rule of the
 * import produces (and that is not one of Prometheus' own series) becomes a declared signal, with
 * the labels its selectors match on. Its type follows from the name and the use: a `_bucket`
 * selected by `le` or read by histogram_quantile is a histogram (its `_count` and `_sum` too), a
 * `_total` or anything under rate/increase/irate/resets a counter, the rest gauges.
 *
 * `promqlPieces` then cuts an expression into text and typed selectors of those signals, so the
 * writer can print `${requests.select({ code: matches("5..") })}` where the rule said
 * `requests{code=~"5.."}` — the same PromQL once printed.
 */
import { children, type Expr, type VectorSelector } from "../promql/ast.js";
import { BUILTIN_METRICS } from "../normalize/signals.js";
import type { SignalType } from "../spec/types.js";
import type { DraftSignal, PromqlPieces } from "./draft.js";

const COUNTER_FUNCTIONS = new Set(["rate", "irate", "increase", "resets"]);

interface Seen {
  name: string;
  labels: Set<string>;
  counterUse: boolean;
  histogramUse: boolean;
  le: Set<number>;
}

export class SignalCollector {
  readonly #seen = new Map<string, Seen>();
  readonly #recorded: ReadonlySet<string>;

  constructor(recorded: ReadonlySet<string>) {
    this.#recorded = recorded;
  }

  /**
   * Reads the selectors of `expr`. The labels an aggregation groups by (or without), a binary
   * operation matches on and label_replace reads are labels of every signal below them, and so
   * are `extra` (the labels an alert's annotations read): a declared signal carries them all.
   */
  add(expr: Expr, extra: readonly string[] = []): void {
    const visit = (node: Expr, inCounterFn: boolean, inHistogramQuantile: boolean, inherited: readonly string[]) => {
      if (node.type === "vector") {
        this.#selector(node, inCounterFn, inHistogramQuantile, inherited);
        return;
      }
      const counterFn = inCounterFn || (node.type === "call" && COUNTER_FUNCTIONS.has(node.func));
      const hq = inHistogramQuantile || (node.type === "call" && node.func === "histogram_quantile");
      let labels = inherited;
      if (node.type === "aggregate") labels = [...labels, ...node.grouping];
      else if (node.type === "binary" && node.matching) labels = [...labels, ...node.matching.labels, ...node.matching.include];
      else if (node.type === "call" && node.func === "label_replace") {
        const src = node.args[3];
        if (src?.type === "string") labels = [...labels, ...src.value.split(",").filter(Boolean)];
      } else if (node.type === "call" && node.func === "label_join") {
        labels = [...labels, ...node.args.slice(3).flatMap((a) => (a.type === "string" ? [a.value] : []))];
      }
      for (const child of children(node)) visit(child, counterFn, hq, labels);
    };
    visit(expr, false, false, extra);
  }

  #selector(sel: VectorSelector, counterUse: boolean, histogramUse: boolean, inherited: readonly string[]): void {
    const name = sel.name;
    if (name === undefined || sel.matchers.some((m) => m.name === "__name__")) return;
    if (this.#recorded.has(name) || BUILTIN_METRICS[name]) return;
    let s = this.#seen.get(name);
    if (!s) this.#seen.set(name, (s = { name, labels: new Set(), counterUse: false, histogramUse: false, le: new Set() }));
    s.counterUse ||= counterUse;
    s.histogramUse ||= histogramUse;
    for (const label of inherited) if (isSignalLabel(label)) s.labels.add(label);
    for (const m of sel.matchers) {
      if (m.name === "le") {
        s.histogramUse = true;
        const v = Number(m.value);
        if (m.op === "=" && m.value !== "" && Number.isFinite(v)) s.le.add(v);
      } else if (isSignalLabel(m.name)) {
        s.labels.add(m.name);
      }
    }
  }

  /** The declared signals, sorted by name. */
  signals(): DraftSignal[] {
    const out = new Map<string, DraftSignal>();
    const histograms = new Set<string>();
    for (const s of this.#seen.values()) {
      if (s.name.endsWith("_bucket") && s.histogramUse) histograms.add(s.name.slice(0, -"_bucket".length));
    }
    for (const base of histograms) {
      const labels = new Set<string>();
      const le = new Set<number>();
      for (const part of ["_bucket", "_count", "_sum"]) {
        const s = this.#seen.get(base + part);
        s?.labels.forEach((l) => labels.add(l));
        s?.le.forEach((v) => le.add(v));
      }
      const signal: DraftSignal = { name: base, type: "histogram", labels: [...labels].sort() };
      if (le.size) signal.buckets = [...le].sort((a, b) => a - b);
      out.set(base, signal);
    }
    for (const s of this.#seen.values()) {
      if (histogramPart(s.name, histograms)) continue;
      if (histograms.has(s.name)) {
        // The base name of a histogram read as a series of its own: not a Prometheus series.
        continue;
      }
      const type: SignalType = s.name.endsWith("_total") || s.counterUse ? "counter" : "gauge";
      out.set(s.name, { name: s.name, type, labels: [...s.labels].sort() });
    }
    return [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** A label a signal declares: not a target label, `le` (a histogram's own) or an internal `__` label. */
function isSignalLabel(label: string): boolean {
  return label !== "job" && label !== "instance" && label !== "le" && !label.startsWith("__") && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label);
}

/** The labels a template reads: `$labels.name`, `$labels["name"]`, `.Labels.name`. */
export function templateLabels(texts: readonly string[]): string[] {
  const found = new Set<string>();
  for (const t of texts) {
    for (const m of t.matchAll(/(?:\$labels|\.Labels)(?:\.([a-zA-Z_][a-zA-Z0-9_]*)|\[\s*"([a-zA-Z_][a-zA-Z0-9_]*)"\s*\])/g)) found.add((m[1] ?? m[2])!);
  }
  return [...found].sort();
}

function histogramPart(name: string, histograms: ReadonlySet<string>): boolean {
  return ["_bucket", "_count", "_sum"].some((p) => name.endsWith(p) && histograms.has(name.slice(0, -p.length)));
}

/** Where a selector's own text ends (before any `offset` or `@`): after its name, or its closing brace. */
function selectorEnd(text: string, sel: VectorSelector): number {
  let p = sel.start + (sel.name?.length ?? 0);
  while (p < text.length && /\s/.test(text[p]!)) p++;
  if (text[p] !== "{") return sel.start + (sel.name?.length ?? 0);
  let quote: string | undefined;
  for (p++; p < text.length; p++) {
    const c = text[p]!;
    if (quote) {
      if (c === "\\" && quote !== "`") p++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "}") return p + 1;
  }
  return sel.end;
}

/**
 * The text of `expr` between `from` and `to` as pieces: each selector of a declared signal (by
 * name, each label matched at most once) a typed selector, the rest the text as written.
 */
export function promqlPieces(text: string, expr: Expr, signals: readonly DraftSignal[], from = 0, to = text.length): PromqlPieces {
  const byName = new Map<string, { signal: string; part: "select" | "bucket" | "count" | "sum" }>();
  for (const s of signals) {
    byName.set(s.name, { signal: s.name, part: "select" });
    if (s.type === "histogram") {
      byName.set(`${s.name}_bucket`, { signal: s.name, part: "bucket" });
      byName.set(`${s.name}_count`, { signal: s.name, part: "count" });
      byName.set(`${s.name}_sum`, { signal: s.name, part: "sum" });
    }
  }
  const selectors: VectorSelector[] = [];
  const visit = (node: Expr) => {
    if (node.type === "vector") selectors.push(node);
    else children(node).forEach(visit);
  };
  visit(expr);
  selectors.sort((a, b) => a.start - b.start);
  const pieces: PromqlPieces = [];
  let at = from;
  for (const sel of selectors) {
    if (sel.start < from || sel.end > to || sel.name === undefined) continue;
    const target = byName.get(sel.name);
    if (!target) continue;
    const names = sel.matchers.map((m) => m.name);
    if (names.includes("__name__") || new Set(names).size !== names.length) continue;
    if (target.part !== "bucket" && names.includes("le")) continue;
    if (text.slice(sel.start, sel.start + sel.name.length) !== sel.name) continue;
    if (sel.start > at) pieces.push(text.slice(at, sel.start));
    pieces.push({ ...target, matchers: sel.matchers.map((m) => ({ label: m.name, op: m.op, value: m.value })) });
    at = selectorEnd(text, sel);
  }
  if (at < to) pieces.push(text.slice(at, to));
  return pieces;
}
