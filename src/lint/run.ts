/**
 * Runs the lint rules over a compiled model (or a rule-file context): severity from the
 * spec's `lint.rules` (or the rule's default), "off" skips a rule, an item's `lintDisable`
 * (with its reason) silences one rule for that item.
 */
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.js";
import type { LintLevel } from "../spec/types.js";
import type { Model } from "../model/types.js";
import { allTeams } from "../normalize/merge.js";
import { serviceContext } from "./context.js";
import { LINT_RULES, lintRule } from "./registry.js";
import type { Finding, LintContext, LintItem, LintRule } from "./types.js";

function disabledFor(item: LintItem | undefined, id: string): boolean {
  if (!item) return false;
  const map = item.kind === "alert" ? item.alert.lintDisable : item.kind === "recording" ? item.recording.lintDisable : item.slo.lintDisable;
  return map[id] !== undefined;
}

/** Runs every enabled rule over one context; `levels` overrides default severities. */
export function runRules(makeContext: (report: (f: Finding) => void) => LintContext, levels: Readonly<Record<string, LintLevel>>, rules: readonly LintRule[] = LINT_RULES): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    const level = levels[rule.meta.id] ?? rule.meta.severity;
    if (level === "off") continue;
    const findings: Finding[] = [];
    const ctx = makeContext((f) => findings.push(f));
    if (rule.meta.needsSpec && !ctx.signals) continue;
    try {
      rule.check(ctx);
    } catch (err) {
      // A rule bug must not take the compiler down: report it as an internal finding.
      findings.push({ message: `lint rule ${rule.meta.id} failed: ${(err as Error).message}` });
    }
    for (const f of findings) {
      if (disabledFor(f.item, rule.meta.id)) continue;
      const d: Diagnostic = { code: rule.meta.id, severity: level, message: f.message };
      if (f.at) d.at = f.at;
      if (f.location) d.location = f.location;
      if (f.hint) d.hint = f.hint;
      if (f.mask) d.mask = true;
      out.push(d);
    }
  }
  return out;
}

/** Lints every service of a model; also checks that lint configuration names real rules. */
export function lintModel(model: Model): Diagnostic[] {
  const out: Diagnostic[] = [];
  const routingTeams = allTeams(model.services);
  for (const service of model.services) {
    for (const id of Object.keys(service.lint.rules)) {
      if (!lintRule(id)) out.push(makeDiagnostic("VIG2021", `unknown lint rule "${id}"`, { path: ["lint", "rules", id], key: true, spec: service.spec }));
    }
    const items = [
      ...service.alerts.map((a) => ({ map: a.lintDisable, at: a.at })),
      ...service.recordings.map((r) => ({ map: r.lintDisable, at: r.at })),
      ...service.slos.map((s) => ({ map: s.lintDisable, at: s.at })),
    ];
    for (const { map, at } of items) {
      for (const id of Object.keys(map)) {
        if (!lintRule(id)) out.push(makeDiagnostic("VIG2021", `unknown lint rule "${id}"`, { ...at, path: [...at.path, "lintDisable", id], key: true }));
      }
    }
    out.push(...runRules((report) => ({ ...serviceContext(service, report), routingTeams, grafana: model.grafana }), service.lint.rules));
  }
  return out;
}
