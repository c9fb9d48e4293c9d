/**
 * `vigil import sloth`: Sloth SLO specs — `version: prometheus/v1` (snake_case keys) and the
 * Kubernetes `PrometheusServiceLevel` of sloth.slok.dev/v1 (camelCase) — → a spec draft: the
 * service and its labels, each SLO with its objective and description, an events SLI as a ratio
 * (error over total; `{{.window}}` becomes Vigil's `WINDOW`), alerting's name, labels and
 * annotations, per tier (page, ticket) its labels, annotations and `disable`. The metrics the
 * queries read become declared signals, selected through typed selectors.
 *
 * What differs: Vigil's tiers set `severity` (critical for page, warning for ticket), so a tier's
 * own `severity` label is left out (VIG6003); a raw SLI (an error-ratio query) becomes an
 * `errorRatio` SLI, the query as written; a plugin SLI has no counterpart in a spec (VIG6004, the
 * SLO is not imported). A monitoring.ts holds one service: others in the input are VIG6004
 * (import them with `--service`).
 */
import { basename } from "node:path";
import { obj, type Lit } from "../cli/init-files.js";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { RESERVED_LABELS } from "../normalize/labels.js";
import { analyzePromQL, PROMQL_ERROR_CODES } from "../promql/frontend.js";
import { sameLengthWindow, WINDOW_PLACEHOLDER_PATTERN } from "../promql/window.js";
import type { Expr } from "../promql/ast.js";
import { findSecret, secretName } from "../lint/rules/spec/secret.js";
import { promqlValue, type PromqlPieces } from "./draft.js";
import type { DraftResult, ImportOptions } from "./prometheus.js";
import { nameFrom } from "./prometheus.js";
import { promqlPieces, SignalCollector } from "./promql-signals.js";
import { at, readYamlInputs, type YamlInputDoc } from "./yaml-input.js";

type Path = (string | number)[];
type Raw = Record<string, unknown>;

const isRecord = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

interface SlothService {
  doc: YamlInputDoc;
  base: Path;
  /** Key spelling: prometheus/v1 uses snake_case, the CRD camelCase. */
  k8s: boolean;
  service: string;
  labels: Record<string, string>;
  slos: Raw[];
}

/** A query with `{{window}}`, parsed with the placeholder as a same-length duration. */
interface Query {
  text: string;
  expr: Expr;
}

function strings(v: unknown): Record<string, string> {
  return isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};
}

export function importSloth(paths: readonly string[], options: ImportOptions): DraftResult {
  const input = readYamlInputs(paths, options.cwd);
  const diagnostics: Diagnostic[] = [...input.diagnostics];
  const services: SlothService[] = [];
  for (const doc of input.docs) {
    const v = doc.value;
    if (isRecord(v) && v.version === "prometheus/v1" && typeof v.service === "string") {
      services.push({ doc, base: [], k8s: false, service: v.service, labels: strings(v.labels), slos: Array.isArray(v.slos) ? v.slos.filter(isRecord) : [] });
    } else if (isRecord(v) && v.kind === "PrometheusServiceLevel" && typeof v.apiVersion === "string" && v.apiVersion.startsWith("sloth.slok.dev/") && isRecord(v.spec) && typeof v.spec.service === "string") {
      const spec = v.spec;
      services.push({ doc, base: ["spec"], k8s: true, service: spec.service as string, labels: strings(spec.labels), slos: Array.isArray(spec.slos) ? spec.slos.filter(isRecord) : [] });
    } else {
      diagnostics.push(at(doc, makeDiagnostic("VIG6002", "not a Sloth spec (`version: prometheus/v1` with a `service`, or a sloth.slok.dev/v1 PrometheusServiceLevel)"), { path: [] }));
    }
  }
  if (diagnostics.some((d) => d.severity === "error") || services.length === 0) return { diagnostics };

  const wanted = options.service ?? services[0]!.service;
  const chosen = services.filter((s) => s.service === wanted);
  for (const s of services) {
    if (s.service === wanted) continue;
    diagnostics.push(at(s.doc, makeDiagnostic("VIG6004", `service "${s.service}" is not imported: a monitoring.ts holds one service ("${wanted}")`, undefined, { hint: `import it on its own: vigil import sloth ... --service ${s.service}` }), { path: [...s.base, "service"] }));
  }
  if (chosen.length === 0) {
    diagnostics.push(at(services[0]!.doc, makeDiagnostic("VIG6002", `no Sloth service "${wanted}" in the input (services: ${[...new Set(services.map((s) => s.service))].join(", ")})`), { path: [...services[0]!.base, "service"] }));
    return { diagnostics };
  }

  // Queries first: their metrics are the signals the SLOs select through.
  const queries = new Map<string, Query>();
  const parse = (doc: YamlInputDoc, path: Path, raw: unknown): Query | undefined => {
    if (typeof raw !== "string") {
      diagnostics.push(at(doc, makeDiagnostic("VIG6002", "the query is not a string"), { path }));
      return undefined;
    }
    const text = raw.trim().replace(WINDOW_PLACEHOLDER_PATTERN, "{{window}}");
    const result = analyzePromQL(sameLengthWindow(text));
    if (!result.ok) {
      const e = result.errors[0]!;
      diagnostics.push(at(doc, makeDiagnostic(PROMQL_ERROR_CODES[e.kind], `PromQL: ${e.message}`), { path }));
      return undefined;
    }
    const q = { text, expr: result.expr };
    queries.set(path.join("."), q);
    return q;
  };
  const collector = new SignalCollector(new Set());
  const keyOf = (s: SlothService, snake: string, camel: string) => (s.k8s ? camel : snake);
  for (const s of chosen) {
    s.slos.forEach((slo, i) => {
      const sli = isRecord(slo.sli) ? slo.sli : {};
      const path = [...s.base, "slos", i, "sli"];
      const events = isRecord(sli.events) ? sli.events : undefined;
      if (events) {
        for (const [snake, camel] of [["error_query", "errorQuery"], ["total_query", "totalQuery"]] as const) {
          const q = parse(s.doc, [...path, "events", keyOf(s, snake, camel)], events[keyOf(s, snake, camel)]);
          if (q) collector.add(q.expr);
        }
      } else if (isRecord(sli.raw)) {
        const key = keyOf(s, "error_ratio_query", "errorRatioQuery");
        const q = parse(s.doc, [...path, "raw", key], sli.raw[key]);
        if (q) collector.add(q.expr);
      }
    });
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  const signals = collector.signals();
  const pieces = (q: Query): PromqlPieces => promqlPieces(q.text, q.expr, signals);

  const first = chosen[0]!;
  const service = nameFrom(wanted);
  const team = options.team ?? (chosen.flatMap((s) => (s.labels.owner ? [s.labels.owner] : []))[0] ? nameFrom(first.labels.owner!) : `${service}-team`);
  const serviceLabels: Record<string, string> = {};
  for (const [k, v] of Object.entries(first.labels)) {
    if (RESERVED_LABELS.has(k) || k === "environment") {
      diagnostics.push(at(first.doc, makeDiagnostic("VIG6003", `service label ${k}="${v}" is one Vigil sets itself; it is left out`), { path: [...first.base, "labels", k], key: true }));
      continue;
    }
    serviceLabels[k] = v;
  }

  const labelsAt = (s: SlothService, path: Path, labels: Record<string, string>, what: string): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) {
      if (findSecret(v) || (secretName(k) && v !== "" && !v.includes("{{"))) {
        diagnostics.push(at(s.doc, makeDiagnostic("VIG6006", `${what}: label ${k} looks like a credential; it is left out`), { path: [...path, k], key: true }));
      } else if (RESERVED_LABELS.has(k)) {
        const note = k === "severity" ? `; Vigil's page tier is severity critical, its ticket tier warning` : "";
        diagnostics.push(at(s.doc, makeDiagnostic("VIG6003", `${what}: label ${k}="${v}" is one Vigil sets itself; it is left out${note}`), { path: [...path, k], key: true }));
      } else out[k] = v;
    }
    return out;
  };

  const slos: Lit[] = [];
  for (const s of chosen) {
    s.slos.forEach((slo, i) => {
      const path = [...s.base, "slos", i];
      const name = typeof slo.name === "string" ? slo.name : `slo-${i}`;
      const sli = isRecord(slo.sli) ? slo.sli : {};
      const entries: { key: string; value: Lit; comment?: string }[] = [{ key: "name", value: name }];
      if (typeof slo.description === "string") entries.push({ key: "description", value: slo.description });
      entries.push({ key: "objective", value: Number(slo.objective) }, { key: "window", value: "30d" });
      if (isRecord(sli.events)) {
        const e = (snake: string, camel: string) => queries.get([...path, "sli", "events", keyOf(s, snake, camel)].join("."))!;
        entries.push({ key: "sli", value: obj(["kind", "ratio"], ["bad", promqlLit(pieces(e("error_query", "errorQuery")))], ["total", promqlLit(pieces(e("total_query", "totalQuery")))]) });
      } else if (isRecord(sli.raw)) {
        const q = queries.get([...path, "sli", "raw", keyOf(s, "error_ratio_query", "errorRatioQuery")].join("."))!;
        entries.push({ key: "sli", value: obj(["kind", "errorRatio"], ["query", promqlLit(pieces(q))]) });
      } else {
        diagnostics.push(at(s.doc, makeDiagnostic("VIG6004", `SLO "${name}" is not imported: its SLI (${Object.keys(sli).join(", ") || "none"}) is neither events nor raw; a plugin SLI has no counterpart in a spec`), { path: [...path, "sli"] }));
        return;
      }
      const alerting = isRecord(slo.alerting) ? slo.alerting : {};
      const a: { key: string; value: Lit }[] = [];
      if (typeof alerting.name === "string") a.push({ key: "name", value: alerting.name });
      const common = labelsAt(s, [...path, "alerting", "labels"], strings(alerting.labels), `SLO "${name}"`);
      if (Object.keys(common).length) a.push({ key: "labels", value: sorted(common) });
      const annotations = strings(alerting.annotations);
      if (Object.keys(annotations).length) a.push({ key: "annotations", value: sorted(annotations) });
      for (const [tier, snake, camel] of [["page", "page_alert", "pageAlert"], ["ticket", "ticket_alert", "ticketAlert"]] as const) {
        const t = alerting[keyOf(s, snake, camel)];
        if (!isRecord(t)) continue;
        const tierEntries: { key: string; value: Lit }[] = [];
        if (t.disable === true) tierEntries.push({ key: "enabled", value: false });
        const labels = labelsAt(s, [...path, "alerting", keyOf(s, snake, camel), "labels"], strings(t.labels), `SLO "${name}" ${tier} alert`);
        if (Object.keys(labels).length) tierEntries.push({ key: "labels", value: sorted(labels) });
        const tierAnnotations = strings(t.annotations);
        if (Object.keys(tierAnnotations).length) tierEntries.push({ key: "annotations", value: sorted(tierAnnotations) });
        if (tierEntries.length) a.push({ key: tier, value: obj(...tierEntries) });
      }
      if (a.length) entries.push({ key: "alerting", value: obj(...a) });
      slos.push(obj(...entries));
    });
  }

  const header = [`Imported by \`vigil import sloth\` from ${paths.map((p) => basename(p)).join(", ")} (Sloth service "${wanted}").`, "Review the warnings the import printed, then run `vigil compile`."];
  return {
    draft: { header, service: { name: service, team, ...(Object.keys(serviceLabels).length ? { labels: serviceLabels } : {}) }, teams: [team], signals, recordings: [], alerts: [], slos },
    diagnostics,
  };
}

function sorted(r: Record<string, string>): Lit {
  return obj(...Object.keys(r).sort().map((k): [string, Lit] => [k, r[k]!]));
}

/** PromQL for the writer to print (a template literal, `${WINDOW}` for the window). */
function promqlLit(p: PromqlPieces): Lit {
  return promqlValue(p);
}
