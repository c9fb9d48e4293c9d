/**
 * `vigil import pyrra`: Pyrra `ServiceLevelObjective` resources (pyrra.dev/v1alpha1) → a spec
 * draft, one SLO each: `target` (percent) and `window`, and the indicator as a typed selector of
 * a declared signal — `ratio` (errors over total) a ratio SLI, `latency` (the `le` bucket of
 * successes over the count) a latency SLI at that bucket, `bool_gauge` a boolean SLI — with its
 * `grouping` as `by`; `alerting.name` and `alerting.disabled` carry over. The service is the
 * resource's `namespace` unless `--service` names it.
 *
 * What cannot map is a warning: a selector without a metric name or with two matchers on one
 * label (VIG6004, the SLO is not imported), a window that is not whole days (VIG6003: 30d),
 * Pyrra's own burn rates and `absent` settings (VIG6003: Vigil's tiers and no-data alert).
 */
import { basename } from "node:path";
import { obj, type Lit } from "../cli/init-files.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { analyzePromQL } from "../promql/frontend.js";
import { parseDuration } from "../promql/duration.js";
import type { VectorSelector } from "../promql/ast.js";
import { selectorValue, type SelectorPiece } from "./draft.js";
import type { DraftResult, ImportOptions } from "./prometheus.js";
import { nameFrom } from "./prometheus.js";
import { SignalCollector } from "./promql-signals.js";
import { at, readYamlInputs, type YamlInputDoc } from "./yaml-input.js";

type Raw = Record<string, unknown>;
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const DAY_MS = 86_400_000;

interface Slo {
  doc: YamlInputDoc;
  name: string;
  namespace?: string;
  spec: Raw;
}

interface Metric {
  path: (string | number)[];
  sel: VectorSelector;
}

export function importPyrra(paths: readonly string[], options: ImportOptions): DraftResult {
  const input = readYamlInputs(paths, options.cwd);
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  const slos: Slo[] = [];
  for (const doc of input.docs) {
    const v = doc.value;
    if (!isRecord(v) || v.kind !== "ServiceLevelObjective" || typeof v.apiVersion !== "string" || !v.apiVersion.startsWith("pyrra.dev/")) {
      diagnostics.push(at(doc, makeDiagnostic("VIG6002", "not a Pyrra ServiceLevelObjective (apiVersion pyrra.dev/v1alpha1)"), { path: [] }));
      continue;
    }
    const metadata = isRecord(v.metadata) ? v.metadata : {};
    slos.push({ doc, name: String(metadata.name ?? "slo"), ...(typeof metadata.namespace === "string" ? { namespace: metadata.namespace } : {}), spec: isRecord(v.spec) ? v.spec : {} });
  }
  if (diagnostics.some((d) => d.severity === "error") || slos.length === 0) return { diagnostics };

  /** The selector of an indicator's `metric`, or undefined (with a warning). */
  const metricOf = (s: Slo, path: (string | number)[], raw: unknown): Metric | undefined => {
    const text = isRecord(raw) && typeof raw.metric === "string" ? raw.metric.trim() : undefined;
    if (!text) return undefined;
    const parsed = analyzePromQL(text);
    const sel = parsed.ok && parsed.expr.type === "vector" ? parsed.expr : undefined;
    const names = sel?.matchers.map((m) => m.name) ?? [];
    if (!sel || sel.name === undefined || names.includes("__name__") || new Set(names).size !== names.length) {
      diagnostics.push(at(s.doc, makeDiagnostic("VIG6004", `SLO "${s.name}" is not imported: ${text} is not a selector with a metric name and one matcher per label`), { path: [...path, "metric"] }));
      return undefined;
    }
    return { path, sel };
  };

  const service = options.service ?? nameFrom(slos[0]!.namespace ?? basename(input.docs[0]!.file));
  const collector = new SignalCollector(new Set());
  const built: { s: Slo; kind: "ratio" | "latency" | "boolean"; metrics: Record<string, Metric>; grouping: string[] }[] = [];
  for (const s of slos) {
    const indicator = isRecord(s.spec.indicator) ? s.spec.indicator : {};
    const base = ["spec", "indicator"];
    let entry: (typeof built)[number] | undefined;
    if (isRecord(indicator.ratio)) {
      const errors = metricOf(s, [...base, "ratio", "errors"], indicator.ratio.errors);
      const total = metricOf(s, [...base, "ratio", "total"], indicator.ratio.total);
      if (errors && total) entry = { s, kind: "ratio", metrics: { bad: errors, total }, grouping: strings(indicator.ratio.grouping) };
    } else if (isRecord(indicator.latency)) {
      const success = metricOf(s, [...base, "latency", "success"], indicator.latency.success);
      const total = metricOf(s, [...base, "latency", "total"], indicator.latency.total);
      if (success && total) entry = { s, kind: "latency", metrics: { histogram: success, total }, grouping: strings(indicator.latency.grouping) };
    } else if (isRecord(indicator.bool_gauge)) {
      const gauge = metricOf(s, [...base, "bool_gauge"], indicator.bool_gauge);
      if (gauge) entry = { s, kind: "boolean", metrics: { gauge }, grouping: strings(indicator.bool_gauge.grouping) };
    } else {
      diagnostics.push(at(s.doc, makeDiagnostic("VIG6004", `SLO "${s.name}" is not imported: its indicator is none of ratio, latency and bool_gauge`), { path: base }));
    }
    if (!entry) continue;
    const grouping = entry.grouping;
    for (const m of Object.values(entry.metrics)) {
      // Counters are read as rates, histograms by bucket: the collector learns the types from the use.
      collector.add(
        entry.kind === "boolean" ? m.sel : { type: "call", func: "rate", args: [{ type: "matrix", vector: m.sel, range: 300_000, start: m.sel.start, end: m.sel.end }], start: m.sel.start, end: m.sel.end },
        grouping,
      );
    }
    built.push(entry);
  }
  const signals = collector.signals();
  const byName = new Map(signals.map((s) => [s.name, s]));
  const piece = (sel: VectorSelector): SelectorPiece => {
    const name = sel.name!;
    const hist = [...byName.values()].find((s) => s.type === "histogram" && ["_bucket", "_count", "_sum"].some((p) => name === s.name + p));
    const part = hist ? (name.endsWith("_bucket") ? "bucket" : name.endsWith("_count") ? "count" : "sum") : "select";
    return { signal: hist ? hist.name : name, part, matchers: sel.matchers.filter((m) => !(part === "bucket" && m.name === "le")).map((m) => ({ label: m.name, op: m.op, value: m.value })) };
  };

  const out: Lit[] = [];
  for (const { s, kind, metrics, grouping } of built) {
    const entries: [string, Lit][] = [["name", nameFrom(s.name)]];
    if (typeof s.spec.description === "string") entries.push(["description", s.spec.description]);
    entries.push(["objective", Number(s.spec.target)]);
    const ms = typeof s.spec.window === "string" ? parseDuration(s.spec.window) : undefined;
    let window = "30d";
    if (ms !== undefined && ms % DAY_MS === 0 && ms >= DAY_MS && ms <= 365 * DAY_MS) window = `${ms / DAY_MS}d`;
    else diagnostics.push(at(s.doc, makeDiagnostic("VIG6003", `SLO "${s.name}": window ${String(s.spec.window)} is not whole days from 1d to 365d; imported as 30d`), { path: ["spec", "window"] }));
    entries.push(["window", window]);
    const by: [string, Lit][] = grouping.length ? [["by", [...grouping]]] : [];
    if (kind === "ratio") entries.push(["sli", obj(["kind", "ratio"], ["bad", selectorValue(piece(metrics.bad!.sel))], ["total", selectorValue(piece(metrics.total!.sel))], ...by)]);
    else if (kind === "boolean") entries.push(["sli", obj(["kind", "boolean"], ["gauge", selectorValue(piece(metrics.gauge!.sel))], ...by)]);
    else {
      const le = metrics.histogram!.sel.matchers.find((m) => m.name === "le" && m.op === "=");
      const threshold = le ? Number(le.value) : NaN;
      if (!Number.isFinite(threshold)) {
        diagnostics.push(at(s.doc, makeDiagnostic("VIG6004", `SLO "${s.name}" is not imported: its success selector has no le="<bound>" matcher`), { path: [...metrics.histogram!.path, "metric"] }));
        continue;
      }
      const h = piece(metrics.histogram!.sel);
      entries.push(["sli", obj(["kind", "latency"], ["histogram", selectorValue({ ...h, part: "select" })], ["threshold", threshold], ...by)]);
    }
    const alerting = isRecord(s.spec.alerting) ? s.spec.alerting : {};
    const a: [string, Lit][] = [];
    if (typeof alerting.name === "string") a.push(["name", alerting.name]);
    if (alerting.disabled === true) a.push(["page", obj(["enabled", false])], ["ticket", obj(["enabled", false])]);
    for (const key of ["burnrates", "absent"]) {
      if (alerting[key] === undefined) continue;
      diagnostics.push(at(s.doc, makeDiagnostic("VIG6003", `SLO "${s.name}": alerting.${key} is Pyrra's own; Vigil's page and ticket tiers and its no-data alert are used instead`), { path: ["spec", "alerting", key], key: true }));
    }
    if (a.length) entries.push(["alerting", obj(...a)]);
    out.push(obj(...entries));
  }

  const team = options.team ?? `${service}-team`;
  const header = [`Imported by \`vigil import pyrra\` from ${paths.map((p) => basename(p)).join(", ")}.`, "Review the warnings the import printed, then run `vigil compile`."];
  return { draft: { header, service: { name: service, team }, teams: [team], signals, recordings: [], alerts: [], slos: out }, diagnostics };
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}
