/**
 * alerts/routing: an alert that reaches nobody. Vigil routes alerts by their `team` label (one
 * Alertmanager route per declared team); an alert whose final `team` label is empty, or names a
 * team that `teams` does not declare, matches no route and pages no one.
 *
 * A spec's alerts get `team` from the alert's `team` or the service's, and normalization
 * already rejects undeclared teams (VIG2008); the rule checks the final labels, which matters
 * for plain rule files linted alongside a spec (their labels are taken as written and the
 * declared teams come from the spec). Without a spec there is no list of teams: the rule
 * stays quiet. SLO alerts carry the SLO's team.
 */
import { didYouMean } from "../../../normalize/names.js";
import type { LintRule } from "../../types.js";

export const rule: LintRule = {
  meta: { id: "alerts/routing", severity: "error", description: "alert whose team label names no declared team, so it reaches no receiver", needsSpec: true },
  check(ctx) {
    const service = ctx.service;
    if (!service) return;
    const teams = new Set(service.teams.map((t) => t.name));
    const declared = [...teams].map((t) => `"${t}"`).join(", ");
    /** What is wrong with a final team label, phrased for one alert or for an SLO's alerts. */
    const problem = (team: string | undefined, many: boolean): { message: string; hint: string } | undefined => {
      const [is, has, reaches] = many ? ["are", "have", "reach"] : ["is", "has", "reaches"];
      if (team === undefined || team.trim() === "") {
        return { message: `${has} no team label, so ${many ? "they" : "it"} ${reaches} no receiver`, hint: `add a team label naming one of the declared teams (${declared})` };
      }
      if (teams.has(team)) return undefined;
      return {
        message: `${is} routed to team "${team}", which is not declared in teams, so ${many ? "they" : "it"} ${reaches} no receiver`,
        hint: didYouMean(team, teams) ?? `declare the team in \`teams\`, or use one of ${declared}`,
      };
    };

    const seen = new Set<string>();
    for (const alert of service.alerts) {
      const key = alert.at.path.join(".");
      if (seen.has(key)) continue;
      seen.add(key);
      const team = alert.labels.team;
      const p = problem(team, false);
      if (!p) continue;
      ctx.report({
        message: `alert "${alert.name}" ${p.message}`,
        hint: p.hint,
        at: team === undefined ? alert.at : { ...alert.at, path: [...alert.at.path, "labels", "team"] },
        item: { kind: "alert", alert },
      });
    }
    for (const slo of service.slos) {
      const p = problem(slo.team, true);
      if (p) ctx.report({ message: `the alerts of SLO "${slo.name}" ${p.message}`, hint: p.hint, at: slo.at, item: { kind: "slo", slo } });
    }
  },
};
