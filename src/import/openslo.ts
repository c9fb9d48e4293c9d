/**
 * `vigil import openslo`: OpenSLO v1 documents (`apiVersion: openslo/v1`; kinds SLO, SLI,
 * Service; others are named and skipped) → a spec draft. An SLO's ratio indicator (inline, or an
 * `indicatorRef` to an SLI document) over a Prometheus metric source becomes a ratio SLI — good
 * (or bad) over total; a query holding `{{window}}` is kept, a bare selector becomes
 * `sum(rate(<selector>[WINDOW]))`. Each objective is an SLO (`target` 0.999 → objective 99.9),
 * over the time window's whole days.
 *
 * What cannot map is a warning naming it: a metric source that is not Prometheus (VIG6004, the
 * SLO is not imported: there is no query to compile), a threshold indicator (VIG6004 at its
 * thresholdMetric: it counts when a query's value holds each objective's op and value, and no
 * spec SLI compares a value with a threshold; the message names the query and the objectives), Timeslices and RatioTimeslices budgeting (VIG6003: Vigil counts events,
 * as Occurrences does), a calendar window (VIG6003: Vigil's windows roll), a window that is not a
 * whole number of days from 1d to 365d (VIG6003: 30d), alert policies (VIG6003: Vigil's burn-rate
 * tiers stand in for them).
 */
import { basename } from "node:path";
import { obj, type Lit } from "../cli/init-files.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { analyzePromQL } from "../promql/frontend.js";
import { parseDuration } from "../promql/duration.js";
import { hasWindowPlaceholder, sameLengthWindow, WINDOW_PLACEHOLDER_PATTERN } from "../promql/window.js";
import { promqlValue } from "./draft.js";
import type { DraftResult, ImportOptions } from "./prometheus.js";
import { nameFrom } from "./prometheus.js";
import { promqlPieces, SignalCollector } from "./promql-signals.js";
import { at, readYamlInputs, type YamlInputDoc } from "./yaml-input.js";

type Raw = Record<string, unknown>;
type Path = (string | number)[];
const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const DAY_MS = 86_400_000;

interface Doc {
  doc: YamlInputDoc;
  kind: string;
  name: string;
  spec: Raw;
  metadata: Raw;
}

/** A PromQL query for `{{window}}`, from an OpenSLO metric source; or why there is none. */
function prometheusQuery(source: unknown): { text: string } | { why: string } {
  if (!isRecord(source)) return { why: "no metricSource" };
  const type = String(source.type ?? "");
  if (type.toLowerCase() !== "prometheus") return { why: `metric source type "${type || "none"}" is not Prometheus` };
  const spec = isRecord(source.spec) ? source.spec : {};
  const q = typeof spec.query === "string" ? spec.query.trim() : typeof spec.promql === "string" ? spec.promql.trim() : undefined;
  if (!q) return { why: "the Prometheus metric source has no query" };
  const text = q.replace(WINDOW_PLACEHOLDER_PATTERN, "{{window}}");
  const parsed = analyzePromQL(sameLengthWindow(text));
  if (!parsed.ok) return { why: `its query is not PromQL: ${parsed.errors[0]!.message}` };
  if (hasWindowPlaceholder(text)) return { text };
  if (parsed.expr.type === "vector") return { text: `sum(rate(${text}[{{window}}]))` };
  return { why: "its query is neither a selector nor PromQL with a {{window}} placeholder, so its rate over each window is unknown" };
}

const OPS: Record<string, string> = { lt: "<", lte: "<=", gt: ">", gte: ">=" };

/**
 * Why a threshold indicator does not map, exactly: what it counts (the time slices or samples
 * where its query's value holds each objective's `op`/`value`) and what a spec's SLIs count.
 */
function thresholdWhy(slo: string, threshold: Raw, spec: Raw): { message: string; hint?: string } {
  const source = isRecord(threshold.metricSource) ? threshold.metricSource : undefined;
  const sourceSpec = source && isRecord(source.spec) ? source.spec : {};
  const query = typeof sourceSpec.query === "string" ? sourceSpec.query.trim() : typeof sourceSpec.promql === "string" ? sourceSpec.promql.trim() : undefined;
  const type = String(source?.type ?? "none");
  const objectives = (Array.isArray(spec.objectives) ? spec.objectives.filter(isRecord) : []).map((o) => `${OPS[String(o.op)] ?? String(o.op ?? "?")} ${String(o.value ?? "?")}`);
  const slices = String(spec.budgetingMethod ?? "Occurrences").toLowerCase().includes("timeslices") ? "time slices" : "evaluations";
  const what = `${query !== undefined && type.toLowerCase() === "prometheus" ? `\`${query.replace(/\s+/g, " ")}\`` : `its ${type === "none" ? "" : `${type} `}query`}`;
  const message =
    `SLO "${slo}" is not imported: a threshold indicator counts the ${slices} where ${what} is ${objectives.length ? objectives.join(", or ") : "within its objective"}` +
    `; a spec's SLIs count events instead (a ratio SLI's bad or good over total events, a latency SLI's requests at or under a histogram bucket, a boolean SLI's samples of a 0/1 gauge selector), and none compares a query's value with a threshold` +
    (type.toLowerCase() === "prometheus" ? "" : ` (and its metric source type "${type}" is not Prometheus)`);
  const quantile = query !== undefined && /histogram_quantile\s*\(/.test(query);
  return quantile
    ? { message, hint: "a latency SLI over the histogram with the objective's value as threshold counts the requests under it, not the time its quantile is: write it by hand if that is what the SLO means" }
    : { message };
}

export function importOpenslo(paths: readonly string[], options: ImportOptions): DraftResult {
  const input = readYamlInputs(paths, options.cwd);
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  const docs: Doc[] = [];
  for (const doc of input.docs) {
    const v = doc.value;
    if (!isRecord(v) || v.apiVersion !== "openslo/v1" || typeof v.kind !== "string") {
      diagnostics.push(at(doc, makeDiagnostic("VIG6002", "not an OpenSLO v1 document (apiVersion: openslo/v1 with a kind)"), { path: isRecord(v) && "apiVersion" in v ? ["apiVersion"] : [] }));
      continue;
    }
    const metadata = isRecord(v.metadata) ? v.metadata : {};
    docs.push({ doc, kind: v.kind, name: String(metadata.name ?? ""), spec: isRecord(v.spec) ? v.spec : {}, metadata });
  }
  if (diagnostics.some((d) => d.severity === "error") || docs.length === 0) return { diagnostics };
  for (const d of docs) {
    if (!["SLO", "SLI", "Service"].includes(d.kind)) diagnostics.push(at(d.doc, makeDiagnostic("VIG6004", `${d.kind} "${d.name}" is not imported: a spec has no counterpart (Vigil's burn-rate tiers and routing stand in for alert policies and notification targets)`), { path: ["kind"] }));
  }
  const slis = new Map(docs.filter((d) => d.kind === "SLI").map((d) => [d.name, d]));
  const sloDocs = docs.filter((d) => d.kind === "SLO");
  const serviceDoc = docs.find((d) => d.kind === "Service");
  const serviceName = options.service ?? nameFrom(String(sloDocs[0]?.spec.service ?? serviceDoc?.name ?? basename(input.docs[0]!.file)));
  for (const d of sloDocs) {
    if (d.spec.service !== undefined && nameFrom(String(d.spec.service)) !== serviceName) {
      diagnostics.push(at(d.doc, makeDiagnostic("VIG6004", `SLO "${d.name}" of service "${String(d.spec.service)}" is not imported: a monitoring.ts holds one service ("${serviceName}")`), { path: ["spec", "service"] }));
    }
  }

  interface Pending { d: Doc; path: Path; sli: { good?: string; bad?: string; total: string }; }
  const pending: Pending[] = [];
  for (const d of sloDocs.filter((x) => x.spec.service === undefined || nameFrom(String(x.spec.service)) === serviceName)) {
    let indicator: Raw | undefined;
    let indicatorPath: Path = ["spec", "indicator", "spec"];
    let indicatorDoc = d.doc;
    if (isRecord(d.spec.indicator)) indicator = isRecord(d.spec.indicator.spec) ? d.spec.indicator.spec : undefined;
    else if (typeof d.spec.indicatorRef === "string") {
      const ref = slis.get(d.spec.indicatorRef);
      if (!ref) {
        diagnostics.push(at(d.doc, makeDiagnostic("VIG6004", `SLO "${d.name}" is not imported: its indicatorRef "${d.spec.indicatorRef}" names no SLI document of the input`), { path: ["spec", "indicatorRef"] }));
        continue;
      }
      indicator = ref.spec;
      indicatorPath = ["spec"];
      indicatorDoc = ref.doc;
    }
    if (!indicator) {
      diagnostics.push(at(d.doc, makeDiagnostic("VIG6004", `SLO "${d.name}" is not imported: it has no indicator`), { path: ["spec"] }));
      continue;
    }
    if (isRecord(indicator.thresholdMetric)) {
      const { message, hint } = thresholdWhy(d.name, indicator.thresholdMetric, d.spec);
      diagnostics.push(at(indicatorDoc, makeDiagnostic("VIG6004", message, undefined, hint ? { hint } : {}), { path: [...indicatorPath, "thresholdMetric"], key: true }));
      continue;
    }
    const ratio = isRecord(indicator.ratioMetric) ? indicator.ratioMetric : undefined;
    if (!ratio) {
      diagnostics.push(at(indicatorDoc, makeDiagnostic("VIG6004", `SLO "${d.name}" is not imported: its indicator is neither a ratio nor a threshold metric`), { path: indicatorPath }));
      continue;
    }
    const sli: { good?: string; bad?: string; total?: string } = {};
    const problems: string[] = [];
    for (const part of ["good", "bad", "total"] as const) {
      const p = ratio[part];
      if (p === undefined) continue;
      const q = prometheusQuery(isRecord(p) ? p.metricSource : undefined);
      if ("why" in q) problems.push(`${part}: ${q.why}`);
      else sli[part] = q.text;
    }
    if (problems.length || !sli.total || (!sli.good && !sli.bad)) {
      diagnostics.push(
        at(indicatorDoc, makeDiagnostic("VIG6004", `SLO "${d.name}" is not imported: ${problems.join("; ") || "a ratio needs total and good or bad"} (a spec's SLIs are PromQL a Prometheus evaluates)`), { path: [...indicatorPath, "ratioMetric"], key: true }),
      );
      continue;
    }
    pending.push({ d, path: indicatorPath, sli: sli as Pending["sli"] });
  }

  const collector = new SignalCollector(new Set());
  const parse = (text: string) => {
    const r = analyzePromQL(sameLengthWindow(text));
    if (!r.ok) throw new Error("a checked query no longer parses");
    return r.expr;
  };
  for (const p of pending) for (const q of [p.sli.good, p.sli.bad, p.sli.total]) if (q) collector.add(parse(q));
  const signals = collector.signals();
  const promql = (text: string) => promqlValue(promqlPieces(text, parse(text), signals));

  const slos: Lit[] = [];
  for (const { d, sli } of pending) {
    const method = String(d.spec.budgetingMethod ?? "Occurrences");
    if (method !== "Occurrences") {
      diagnostics.push(at(d.doc, makeDiagnostic("VIG6003", `SLO "${d.name}": ${method} budgeting is imported as occurrences (Vigil counts good and bad events over the window)`), { path: ["spec", "budgetingMethod"] }));
    }
    const windows = Array.isArray(d.spec.timeWindow) ? d.spec.timeWindow.filter(isRecord) : [];
    let window = "30d";
    const tw = windows[0];
    if (tw) {
      if (tw.isRolling === false || tw.calendar !== undefined) diagnostics.push(at(d.doc, makeDiagnostic("VIG6003", `SLO "${d.name}": a calendar time window is imported as a rolling one (Vigil's windows roll)`), { path: ["spec", "timeWindow", 0], key: false }));
      const ms = typeof tw.duration === "string" ? parseDuration(tw.duration) : undefined;
      if (ms !== undefined && ms % DAY_MS === 0 && ms >= DAY_MS && ms <= 365 * DAY_MS) window = `${ms / DAY_MS}d`;
      else diagnostics.push(at(d.doc, makeDiagnostic("VIG6003", `SLO "${d.name}": time window ${String(tw.duration)} is not whole days from 1d to 365d; imported as 30d`), { path: ["spec", "timeWindow", 0, "duration"] }));
    }
    if (d.spec.alertPolicies !== undefined) diagnostics.push(at(d.doc, makeDiagnostic("VIG6003", `SLO "${d.name}": alert policies are not imported; Vigil's page and ticket burn-rate tiers alert on the SLO`), { path: ["spec", "alertPolicies"], key: true }));
    const objectives = Array.isArray(d.spec.objectives) ? d.spec.objectives.filter(isRecord) : [];
    objectives.forEach((o, i) => {
      const target = o.target !== undefined ? Number(o.target) : o.targetPercent !== undefined ? Number(o.targetPercent) / 100 : NaN;
      if (!(target > 0 && target < 1)) {
        diagnostics.push(at(d.doc, makeDiagnostic("VIG6004", `SLO "${d.name}" objective ${i + 1} is not imported: its target is not between 0 and 1`), { path: ["spec", "objectives", i] }));
        return;
      }
      const name = objectives.length > 1 ? `${nameFrom(d.name)}-${nameFrom(String(o.displayName ?? i + 1))}` : nameFrom(d.name);
      const entries: [string, Lit][] = [["name", name]];
      const description = d.spec.description ?? d.metadata.displayName;
      if (typeof description === "string") entries.push(["description", description]);
      entries.push(["objective", Number((target * 100).toPrecision(12))], ["window", window]);
      const sliEntries: [string, Lit][] = [["kind", "ratio"]];
      if (sli.good) sliEntries.push(["good", promql(sli.good)]);
      else sliEntries.push(["bad", promql(sli.bad!)]);
      sliEntries.push(["total", promql(sli.total)]);
      entries.push(["sli", obj(...sliEntries)]);
      slos.push(obj(...entries));
    });
  }

  const team = options.team ?? `${serviceName}-team`;
  const header = [`Imported by \`vigil import openslo\` from ${paths.map((p) => basename(p)).join(", ")}.`, "Review the warnings the import printed, then run `vigil compile`."];
  const description = serviceDoc && typeof serviceDoc.spec.description === "string" ? serviceDoc.spec.description : undefined;
  return {
    draft: { header, service: { name: serviceName, team, ...(description ? { description } : {}) }, teams: [team], signals, recordings: [], alerts: [], slos },
    diagnostics,
  };
}
