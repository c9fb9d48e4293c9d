/**
 * Test helpers for lint rules (used by each rule's valid/invalid table test): lint a spec
 * object with one rule, and read back the text a finding points at.
 */
import type { Diagnostic } from "../diagnostics/index.js";
import type { AlertRuleModel, RecordingModel, ServiceModel } from "../model/types.js";
import { normalizeModel } from "../normalize/index.js";
import type { MonitoringSpec } from "../spec/types.js";
import { serviceContext } from "./context.js";
import { runRules } from "./run.js";
import type { LintRule } from "./types.js";

/** Findings of `rule` on `spec` (normalization errors fail loudly: fixtures must be valid specs). */
export function lintWith(rule: LintRule, spec: MonitoringSpec): Diagnostic[] {
  const { model, diagnostics } = normalizeModel([spec]);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`fixture spec does not normalize: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return model.services.flatMap((service) => runRules((report) => ({ ...serviceContext(service, report), grafana: model.grafana }), service.lint.rules, [rule]));
}

/** The characters a finding points at inside a PromQL string of the spec, or the value at its path. */
export function pointedText(spec: MonitoringSpec, d: Diagnostic): string | undefined {
  if (!d.at) return undefined;
  let value: unknown = spec;
  for (const key of d.at.path) value = (value as Record<string | number, unknown> | undefined)?.[key];
  const text = typeof value === "string" ? value : value && typeof value === "object" && "toString" in value ? String(value) : undefined;
  if (text === undefined || d.at.offset === undefined) return text;
  return text.slice(d.at.offset, d.at.offset + (d.at.length ?? 0));
}

/** A small valid spec around some alerts/recordings/SLOs, with common signals declared. */
export function specWith(parts: Partial<MonitoringSpec>): MonitoringSpec {
  return {
    service: { name: "svc", team: "team-a" },
    teams: [{ name: "team-a", receivers: [{ name: "slack", kind: "slack", channel: "#team-a", webhook: { env: "SLACK_WEBHOOK_URL" } }] }],
    signals: [
      { name: "http_requests_total", type: "counter", labels: ["code", "method"] },
      { name: "http_request_duration_seconds", type: "histogram", labels: ["route"], buckets: [0.1, 0.5, 1, 2] },
      { name: "memory_bytes", type: "gauge", labels: ["pod"] },
      { name: "up", type: "gauge" },
    ],
    ...parts,
  };
}

/** Alert `r` of a plain rule file's first group, shaped as rule-files.ts builds it. */
export function ruleFileAlert(r: number, labels: Record<string, string>, extra: Partial<AlertRuleModel> = {}): AlertRuleModel {
  const path = ["groups", 0, "rules", r];
  return {
    id: `f/A/0.${r}`,
    name: "A",
    severity: (labels.severity ?? "warning") as AlertRuleModel["severity"],
    source: { text: "up == 0", at: { path: [...path, "expr"] } },
    forMs: 0,
    team: labels.team ?? "",
    labels,
    annotations: {},
    at: { path },
    lintDisable: {},
    ...extra,
  };
}

/**
 * Findings of `rule` on a plain rule file's alerts and recordings. The service is a stand-in
 * with no team, as for `vigil lint rules.yml`; `withSpec` keeps specWith's signals and teams
 * (a rule file linted beside a spec), otherwise the rule sees no declared signals.
 */
export function lintRuleFile(
  rule: LintRule,
  rules: { alerts?: AlertRuleModel[]; recordings?: RecordingModel[] },
  options: { withSpec?: boolean; service?: Partial<ServiceModel> } = {},
): Diagnostic[] {
  const { model } = normalizeModel([specWith({})]);
  const service: ServiceModel = { ...model.services[0]!, team: "", ruleLabels: {}, alerts: rules.alerts ?? [], recordings: rules.recordings ?? [], ...options.service };
  return runRules((report) => ({ ...serviceContext(service, report), ...(options.withSpec ? {} : { signals: undefined }) }), {}, [rule]);
}
