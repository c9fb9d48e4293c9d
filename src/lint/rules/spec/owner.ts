/**
 * spec/owner: something nobody owns. Every service, alert and SLO needs a team that answers
 * for it: the team label routes its alerts, and an unowned alert is the one everybody sees
 * and nobody fixes.
 *
 * In a spec normalization fills an alert's team from the alert or the service, gives SLOs the
 * service's team, and rejects undeclared teams (VIG2008) — so a spec that compiles is fully
 * owned, and the rule is the guard for the model: a service whose team is not declared in
 * `teams`, and alerts or SLOs with an empty team. It matters for plain rule files, whose
 * alerts are owned only through a `team` label written by hand. (A rule file's service is a
 * stand-in with no team of its own; it is not reported.)
 */
import type { LintRule } from "../../types.js";

export const rule: LintRule = {
  meta: { id: "spec/owner", severity: "warning", description: "service, alert or SLO with no owning team" },
  check(ctx) {
    const service = ctx.service;
    if (!service) return;
    const teams = new Set(service.teams.map((t) => t.name));
    if (service.team.trim() !== "" && !teams.has(service.team)) {
      ctx.report({
        message: `service "${service.name}" is owned by team "${service.team}", which is not declared in teams`,
        hint: "declare the team in `teams`, or name a declared one",
        at: { path: ["service", "team"], spec: service.spec },
      });
    }
    const seen = new Set<string>();
    for (const alert of service.alerts) {
      const key = alert.at.path.join(".");
      if (seen.has(key)) continue;
      seen.add(key);
      if (alert.team.trim() !== "") continue;
      ctx.report({
        message: `alert "${alert.name}" has no owning team`,
        hint: "give it a team label (in a spec: `team` on the alert, or the service's team)",
        at: alert.at,
        item: { kind: "alert", alert },
      });
    }
    for (const slo of service.slos) {
      if (slo.team.trim() !== "") continue;
      ctx.report({ message: `SLO "${slo.name}" has no owning team`, hint: "SLOs are owned by the service's team: set `service.team`", at: slo.at, item: { kind: "slo", slo } });
    }
  },
};
