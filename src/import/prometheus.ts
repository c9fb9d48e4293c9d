/**
 * `vigil import prometheus`: plain Prometheus rule files and `PrometheusRule` resources
 * (monitoring.coreos.com/v1) → a spec draft. Alerts keep their name, expression, `for`, labels
 * and annotations (summary, description and runbook_url become the spec's fields); a comparison
 * with a number becomes `threshold` (and `op`), so Vigil generates the threshold tests; recording
 * rules stay recordings; the metrics the expressions read become declared signals. Whatever a
 * spec cannot say as the rule did is a VIG6003 warning saying what changed, and a rule with no
 * place in the spec a VIG6004 warning naming it: no rule is dropped silently.
 */
import { basename, relative } from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import { findSecret, secretName } from "../lint/rules/spec/secret.js";
import { RESERVED_LABELS } from "../normalize/labels.js";
import { PROMQL_ERROR_CODES, analyzePromQL } from "../promql/frontend.js";
import { parseDuration } from "../promql/duration.js";
import type { Expr } from "../promql/ast.js";
import type { DraftAlert, DraftRecording, SpecDraft } from "./draft.js";
import { promqlPieces, SignalCollector, templateLabels } from "./promql-signals.js";
import { at, readYamlInputs, type YamlInputDoc } from "./yaml-input.js";

export interface ImportOptions {
  cwd: string;
  /** The service name (default: from the first file or resource). */
  service?: string;
  /** The owning team of alerts without a `team` label (default `<service>-team`). */
  team?: string;
}

export interface DraftResult {
  draft?: SpecDraft;
  diagnostics: Diagnostic[];
}

type Path = (string | number)[];

interface RawRule {
  alert?: unknown;
  record?: unknown;
  expr?: unknown;
  for?: unknown;
  keep_firing_for?: unknown;
  labels?: unknown;
  annotations?: unknown;
}

interface FoundRule {
  doc: YamlInputDoc;
  path: Path;
  group: string;
  rule: RawRule;
  expr: Expr;
  text: string;
}

const GROUP_KEYS_LOST = ["interval", "limit", "query_offset", "partial_response_strategy"] as const;
const SEVERITIES = ["critical", "warning", "info"] as const;
type Sev = (typeof SEVERITIES)[number];

/** A service or team name from a file or resource name: lower case, letters, digits and `-`. */
export function nameFrom(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/\.(rules?\.)?ya?ml$/, "")
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return /^[a-z]/.test(name) ? name : `service${name ? `-${name}` : ""}`;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : String(v)]));
}

/** The severity a rule's labels stand for: critical, warning or info, named or implied (page, ticket). */
function severityOf(labels: Record<string, string>): { severity: Sev; exact: boolean } {
  const given = labels.severity;
  if (given !== undefined && (SEVERITIES as readonly string[]).includes(given)) return { severity: given as Sev, exact: true };
  const values = [given ?? "", ...Object.entries(labels).filter(([k]) => k !== "severity").map(([, v]) => v)].map((v) => v.toLowerCase());
  for (const v of values) {
    if (/page|critical|crit\b|high|emergency|p1\b/.test(v)) return { severity: "critical", exact: false };
    if (/ticket|warn|medium|p2\b|p3\b/.test(v)) return { severity: "warning", exact: false };
    if (/info|low|none|p4\b|p5\b/.test(v)) return { severity: "info", exact: false };
  }
  return { severity: "warning", exact: false };
}

export function importPrometheus(paths: readonly string[], options: ImportOptions): DraftResult {
  const input = readYamlInputs(paths, options.cwd);
  const diagnostics = [...input.diagnostics];
  const found: FoundRule[] = [];
  let resourceName: string | undefined;

  for (const doc of input.docs) {
    const value = doc.value as { groups?: unknown; kind?: unknown; apiVersion?: unknown; metadata?: { name?: unknown }; spec?: { groups?: unknown } };
    let base: Path;
    let groups: unknown;
    if (value && typeof value === "object" && value.kind === "PrometheusRule") {
      if (typeof value.apiVersion !== "string" || !value.apiVersion.startsWith("monitoring.coreos.com/")) {
        diagnostics.push(at(doc, makeDiagnostic("VIG6002", `a PrometheusRule of apiVersion ${JSON.stringify(value.apiVersion)}, not monitoring.coreos.com/v1`), { path: ["apiVersion"] }));
        continue;
      }
      base = ["spec", "groups"];
      groups = value.spec?.groups;
      if (typeof value.metadata?.name === "string") resourceName ??= value.metadata.name;
    } else if (value && typeof value === "object" && "groups" in value) {
      base = ["groups"];
      groups = value.groups;
    } else {
      diagnostics.push(at(doc, makeDiagnostic("VIG6002", "not a Prometheus rule file (no `groups`) or a PrometheusRule resource"), { path: [] }));
      continue;
    }
    if (!Array.isArray(groups)) {
      diagnostics.push(at(doc, makeDiagnostic("VIG6002", "`groups` is not a list"), { path: base }));
      continue;
    }
    groups.forEach((group: Record<string, unknown>, g) => {
      const gpath = [...base, g];
      const name = typeof group?.name === "string" ? group.name : `group ${g}`;
      for (const key of GROUP_KEYS_LOST) {
        if (group?.[key] === undefined) continue;
        diagnostics.push(
          at(doc, makeDiagnostic("VIG6003", `group "${name}" sets ${key}: ${String(group[key])}; the imported rules are evaluated in Vigil's groups at prometheus.evaluationInterval, without it`), { path: [...gpath, key], key: true }),
        );
      }
      const rules = group?.rules;
      if (rules === undefined || rules === null) return;
      if (!Array.isArray(rules)) {
        diagnostics.push(at(doc, makeDiagnostic("VIG6002", `group "${name}": \`rules\` is not a list`), { path: [...gpath, "rules"] }));
        return;
      }
      rules.forEach((rule: RawRule, r) => {
        const path = [...gpath, "rules", r];
        if (!rule || typeof rule !== "object" || (typeof rule.alert !== "string") === (typeof rule.record !== "string") || typeof rule.expr !== "string") {
          diagnostics.push(at(doc, makeDiagnostic("VIG6002", "a rule needs a string `alert` or `record` (one of them) and a string `expr`"), { path }));
          return;
        }
        const result = analyzePromQL(rule.expr);
        if (!result.ok) {
          const e = result.errors[0]!;
          diagnostics.push(at(doc, makeDiagnostic(PROMQL_ERROR_CODES[e.kind], `PromQL: ${e.message}`), { path: [...path, "expr"], offset: e.start, length: e.end - e.start }));
          return;
        }
        found.push({ doc, path, group: name, rule, expr: result.expr, text: rule.expr });
      });
    });
  }
  if (diagnostics.some((d) => d.severity === "error")) return { diagnostics };
  if (input.docs.length === 0) return { diagnostics };

  const first = input.docs[0]!.file;
  const service = options.service ?? nameFrom(resourceName ?? basename(first));
  const teamLabels = new Set(found.filter((f) => typeof f.rule.alert === "string").map((f) => stringRecord(f.rule.labels).team).filter((t): t is string => !!t));
  const defaultTeam = options.team ?? (teamLabels.size === 1 ? [...teamLabels][0]! : `${service}-team`);

  const recorded = new Set(found.flatMap((f) => (typeof f.rule.record === "string" ? [f.rule.record] : [])));
  const collector = new SignalCollector(recorded);
  for (const f of found) {
    const templates = typeof f.rule.alert === "string" ? [...Object.values(stringRecord(f.rule.annotations)), ...Object.values(stringRecord(f.rule.labels))] : [];
    collector.add(f.expr, templateLabels(templates));
  }
  const signals = collector.signals();

  const teams = new Set<string>([defaultTeam]);
  const alerts: DraftAlert[] = [];
  const recordings: DraftRecording[] = [];
  const alertSeen = new Map<string, FoundRule>();
  const recordSeen = new Map<string, FoundRule>();
  for (const f of found) {
    const written = f.doc.comment(f.path);
    const where = `${relative(options.cwd, f.doc.file) || basename(f.doc.file)}, group "${f.group}"${written ? `\n${written}` : ""}`;
    const labels = stringRecord(f.rule.labels);
    const kept: Record<string, string> = {};
    const isAlert = typeof f.rule.alert === "string";
    const name = (isAlert ? f.rule.alert : f.rule.record) as string;
    for (const [k, v] of Object.entries(labels)) {
      if (isAlert && (k === "severity" || k === "team")) continue;
      if (secretLike(k, v)) {
        diagnostics.push(at(f.doc, makeDiagnostic("VIG6006", `${isAlert ? "alert" : "recording rule"} "${name}": label ${k} looks like a credential; it is left out`), { path: [...f.path, "labels", k], key: true }));
        continue;
      }
      if (RESERVED_LABELS.has(k)) {
        diagnostics.push(at(f.doc, makeDiagnostic("VIG6003", `${isAlert ? "alert" : "recording rule"} "${name}": label ${k}="${v}" is one Vigil sets itself; it is left out`), { path: [...f.path, "labels", k], key: true }));
        continue;
      }
      kept[k] = v;
    }
    if (!isAlert) {
      const key = `${name}${JSON.stringify(Object.entries(kept).sort())}`;
      const earlier = recordSeen.get(key);
      if (earlier) {
        diagnostics.push(at(f.doc, makeDiagnostic("VIG6004", `recording rule "${name}" is not imported: another with the same labels comes first (${earlier.doc.locate({ path: earlier.path }).line})`), { path: [...f.path, "record"] }));
        continue;
      }
      recordSeen.set(key, f);
      recordings.push({ record: name, expr: promqlPieces(f.text.trim(), analyzedTrimmed(f), signals), labels: kept, comment: `from ${where}` });
      continue;
    }
    const { severity, exact } = severityOf(labels);
    if (!exact) {
      diagnostics.push(
        at(
          f.doc,
          makeDiagnostic("VIG6003", `alert "${name}": ${labels.severity === undefined ? "no severity label" : `severity "${labels.severity}" is not critical, warning or info`}; imported as ${severity}`),
          { path: labels.severity === undefined ? [...f.path, "alert"] : [...f.path, "labels", "severity"] },
        ),
      );
    }
    const key = `${name}/${severity}`;
    const earlier = alertSeen.get(key);
    if (earlier) {
      diagnostics.push(
        at(f.doc, makeDiagnostic("VIG6004", `alert "${name}" is not imported: an alert of that name with severity ${severity} comes first (line ${earlier.doc.locate({ path: earlier.path }).line}); a spec has one rule per alert and severity`, undefined, { hint: "merge the two expressions with `or`, or rename one" }), { path: [...f.path, "alert"] }),
      );
      continue;
    }
    alertSeen.set(key, f);
    if (f.rule.keep_firing_for !== undefined) {
      diagnostics.push(at(f.doc, makeDiagnostic("VIG6003", `alert "${name}": keep_firing_for is not part of a spec; it is left out`), { path: [...f.path, "keep_firing_for"], key: true }));
    }
    const forText = typeof f.rule.for === "string" && parseDuration(f.rule.for) !== undefined ? f.rule.for : "0s";
    const annotations = stringRecord(f.rule.annotations);
    for (const [k, v] of Object.entries(annotations)) {
      if (!secretLike(k, v)) continue;
      diagnostics.push(at(f.doc, makeDiagnostic("VIG6006", `alert "${name}": annotation ${k} looks like a credential; it is left out`), { path: [...f.path, "annotations", k], key: true }));
      delete annotations[k];
    }
    const { summary = "", description = "", runbook_url: runbook, ...rest } = annotations;
    const team = labels.team;
    if (team) teams.add(team);
    const text = f.text.trim();
    const expr = analyzedTrimmed(f);
    const alert: DraftAlert = { name, expr: promqlPieces(text, expr, signals), severity, for: forText, summary, description, labels: kept, annotations: rest, comment: `from ${where}` };
    if (runbook) alert.runbook = runbook;
    if (team && team !== defaultTeam) alert.team = team;
    const threshold = comparisonWithNumber(expr);
    if (threshold) {
      alert.expr = promqlPieces(text, expr, signals, threshold.lhs.start, threshold.lhs.end);
      alert.comparison = { op: threshold.op, threshold: threshold.value };
    }
    alerts.push(alert);
  }

  const header = [
    `Imported by \`vigil import prometheus\` from ${paths.join(", ")}.`,
    "Review the warnings the import printed, then run `vigil compile`.",
  ];
  return { draft: { header, service: { name: service, team: defaultTeam }, teams: [...teams].sort(), signals, recordings, alerts }, diagnostics };
}

/** The expression of the trimmed text (the YAML block's final newline gone), so positions line up. */
function analyzedTrimmed(f: FoundRule): Expr {
  const result = analyzePromQL(f.text.trim());
  if (!result.ok) throw new Error("an expression that parsed no longer parses once trimmed");
  return result.expr;
}

/** What the spec/secret lint rule would call a literal credential: a token in the text, or any literal under a secret's name. */
function secretLike(name: string, value: string): boolean {
  if (findSecret(value)) return true;
  return secretName(name) && value !== "" && !value.includes("{{");
}

/** `lhs op N` at the top: the alert then takes `threshold`, and Vigil generates its tests. */
function comparisonWithNumber(expr: Expr): { lhs: Expr; op: ">" | ">=" | "<" | "<=" | "==" | "!="; value: number } | undefined {
  if (expr.type !== "binary" || expr.bool || expr.matching) return undefined;
  if (!["==", "!=", ">", "<", ">=", "<="].includes(expr.op)) return undefined;
  if (expr.rhs.type !== "number" || expr.lhs.type === "number") return undefined;
  if (!Number.isFinite(expr.rhs.value)) return undefined;
  return { lhs: expr.lhs, op: expr.op as ">", value: expr.rhs.value };
}
