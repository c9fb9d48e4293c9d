/**
 * Lints plain Prometheus rule files and PrometheusRule custom resources, so a team can lint
 * what it has before it migrates. The rules become a service model (alerts and recordings as
 * written, pointing into the file); rules that need declared signals use the spec's when one
 * is given, and stay quiet otherwise.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import jsyaml from "js-yaml";
import { makeDiagnostic, type Diagnostic, type SpecRef } from "../diagnostics/index.js";
import { yamlTextLocator } from "../load/yaml.js";
import type { AlertRuleModel, RecordingModel, ServiceModel } from "../model/types.js";
import { parseDuration } from "../promql/duration.js";
import { analyzePromQL, resolveTarget } from "../promql/frontend.js";
import type { LintLevel, Severity } from "../spec/types.js";
import { serviceContext } from "./context.js";
import { runRules } from "./run.js";
import type { InvalidExpr, LintExpr, LintItem } from "./types.js";

interface RawRule {
  alert?: string;
  record?: string;
  expr?: unknown;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RawGroups {
  groups?: { name?: string; rules?: RawRule[] }[];
}
interface RawResource extends RawGroups {
  kind?: string;
  spec?: RawGroups;
}

/** Whether a parsed YAML/JSON document is a rule file or PrometheusRule (rather than a Vigil spec). */
export function isRuleDocument(doc: unknown): boolean {
  if (!doc || typeof doc !== "object") return false;
  const d = doc as RawResource;
  return Array.isArray(d.groups) || d.kind === "PrometheusRule";
}

export interface RuleFileLintOptions {
  /** The service whose declared signals the spec-dependent rules use. */
  spec?: ServiceModel;
  target?: string;
  /** Lint rule severities (the config file's `lint.rules`, `--rule`); the spec's `lint.rules` win. */
  levels?: Readonly<Record<string, LintLevel>>;
  /** The values the `severity` label may take (the config file's `lint.severities`, `--severities`). */
  severities?: readonly string[];
}

export function lintRuleFile(file: string, options: RuleFileLintOptions = {}): Diagnostic[] {
  const text = readFileSync(file, "utf8");
  let doc: RawResource;
  try {
    doc = (jsyaml.load(text, { schema: jsyaml.FAILSAFE_SCHEMA }) ?? {}) as RawResource;
  } catch (err) {
    const d = makeDiagnostic("VIG1002", `rule file does not parse: ${(err as Error).message.split("\n")[0]}`);
    d.location = { file, line: 1, column: 1 };
    return [d];
  }
  const base: (string | number)[] = doc.kind === "PrometheusRule" ? ["spec"] : [];
  const groups = (doc.kind === "PrometheusRule" ? doc.spec?.groups : doc.groups) ?? [];
  const target = resolveTarget(options.target ?? options.spec?.prometheus.version);

  const alerts: AlertRuleModel[] = [];
  const recordings: RecordingModel[] = [];
  const exprs: LintExpr[] = [];
  const invalid: InvalidExpr[] = [];
  groups.forEach((group, g) => {
    (group.rules ?? []).forEach((raw, r) => {
      const path = [...base, "groups", g, "rules", r];
      const at: SpecRef = { path };
      const exprAt = (offset: number, length: number): SpecRef => ({ path: [...path, "expr"], offset, length });
      const text = typeof raw.expr === "string" ? raw.expr : "";
      const source = { text, at: { path: [...path, "expr"] } };
      let item: LintItem;
      if (raw.alert !== undefined) {
        const alert: AlertRuleModel = {
          id: `${file}/${raw.alert}/${g}.${r}`,
          name: raw.alert,
          severity: (raw.labels?.severity ?? "") as Severity,
          source,
          forMs: raw.for ? (parseDuration(raw.for) ?? 0) : 0,
          team: raw.labels?.team ?? "",
          labels: { ...(raw.labels ?? {}) },
          annotations: { ...(raw.annotations ?? {}) },
          at,
          lintDisable: {},
        };
        alerts.push(alert);
        item = { kind: "alert", alert };
      } else {
        const recording: RecordingModel = { record: raw.record ?? "", source, labels: { ...(raw.labels ?? {}) }, at, lintDisable: {} };
        recordings.push(recording);
        item = { kind: "recording", recording };
      }
      const result = analyzePromQL(text, target);
      if (result.ok) exprs.push({ item, text, expr: result.expr, at: exprAt });
      else invalid.push({ item, text, errors: result.errors, at: exprAt });
    });
  });

  const spec = options.spec;
  const service: ServiceModel = {
    id: basename(file),
    spec: 0,
    name: basename(file),
    team: "",
    ruleLabels: {},
    prometheus: spec?.prometheus ?? { version: `${target.major}.${target.minor}`, scrapeIntervalMs: 15_000, evaluationIntervalMs: 15_000 },
    teams: spec?.teams ?? [],
    signals: spec?.signals ?? [],
    slos: [],
    alerts,
    recordings,
    lint: { rules: { ...options.levels, ...spec?.lint.rules } },
    maintenance: [],
    dashboards: [],
  };
  const diagnostics = runRules((report) => {
    const ctx = serviceContext(service, report);
    return { ...ctx, exprs, invalid, ...(spec ? {} : { signals: undefined }), ...(options.severities ? { severities: options.severities } : {}) };
  }, service.lint.rules);
  const locator = yamlTextLocator(file, text);
  for (const d of diagnostics) {
    if (d.at && !d.location) d.location = locator.locate(d.at) ?? { file, line: 1, column: 1 };
    delete d.at;
  }
  return diagnostics;
}
