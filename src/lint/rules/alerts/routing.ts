/**
 * alerts/routing: an alert that reaches nobody. Vigil routes alerts by their `team` label (one
 * Alertmanager route per team with receivers) and then by `severity`; an alert whose final
 * `team` label is empty, names a team that `teams` does not declare, names a team without
 * receivers, or has a severity the team's escalation gives no receiver, falls to the catch-all.
 * The check uses the same routing intent the generated routing tests verify with amtool.
 *
 * A spec's alerts get `team` from the alert's `team` or the service's, and normalization
 * already rejects undeclared teams (VIG2008); the rule checks the final labels, which matters
 * for plain rule files linted alongside a spec (their labels are taken as written and the
 * declared teams come from the spec). Without a spec there is no list of teams: the rule
 * stays quiet. SLO alerts carry the SLO's team.
 */
import { intendedReceivers, routedTeams } from "../../../alertmanager/routing.js";
import { isSeverity } from "../../../model/severity.js";
import type { TeamModel } from "../../../model/types.js";
import { didYouMean } from "../../../normalize/names.js";
import type { LintRule } from "../../types.js";

export const rule: LintRule = {
  meta: { id: "alerts/routing", severity: "error", description: "alert whose team and severity labels reach no team receiver (only the catch-all)", needsSpec: true },
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

    // Receivers may be declared by another spec compiled together: route against all teams.
    const routing = ctx.routingTeams ?? service.teams;
    /** A declared team that still reaches nobody for this severity. */
    const unrouted = (team: string, severity: string, many: boolean): { message: string; hint: string } | undefined => {
      const model = routing.find((t) => t.name === team);
      // An unknown severity is alerts/severity's finding; it also lands on the catch-all.
      if (!isSeverity(severity)) return undefined;
      if (!model || intendedReceivers(routing, { team, severity })[0] !== "vigil/catch-all") return undefined;
      const they = many ? "they reach" : "it reaches";
      if (routedTeams([model]).length === 0) {
        return { message: `${many ? "are" : "is"} owned by team "${team}", which declares no receivers, so ${they} only the catch-all`, hint: receiverHint(model) };
      }
      return { message: `${many ? "have" : "has"} severity ${severity}, for which team "${team}" has no receiver, so ${they} only the catch-all`, hint: `add a receiver of a kind the ${severity} ladder uses, or set escalation.${severity}.receivers` };
    };

    const seen = new Set<string>();
    for (const alert of service.alerts) {
      const key = `${alert.at.path.join(".")}/${alert.severity}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const team = alert.labels.team;
      const labelProblem = problem(team, false);
      const p = labelProblem ?? unrouted(team ?? "", alert.labels.severity ?? "", false);
      if (!p) continue;
      // A ladder's severities can share one finding (e.g. a team without receivers).
      const said = `${alert.at.path.join(".")}:${p.message}`;
      if (seen.has(said)) continue;
      seen.add(said);
      ctx.report({
        message: `alert "${alert.name}" ${p.message}`,
        hint: p.hint,
        at: team === undefined || !labelProblem ? alert.at : { ...alert.at, path: [...alert.at.path, "labels", "team"] },
        item: { kind: "alert", alert },
      });
    }
    for (const slo of service.slos) {
      const severities = [...slo.tiers.map((t) => t.severity), ...(slo.noData ? [slo.noData.severity] : [])];
      const p = problem(slo.team, true) ?? severities.map((s) => unrouted(slo.team, s, true)).find((x) => x !== undefined);
      if (p) ctx.report({ message: `the alerts of SLO "${slo.name}" ${p.message}`, hint: p.hint, at: slo.at, item: { kind: "slo", slo } });
    }
  },
};

function receiverHint(team: TeamModel): string {
  return `declare receivers for team "${team.name}", e.g. receivers: [{ name: "slack", kind: "slack", channel: "#${team.name}", webhook: env("SLACK_WEBHOOK_URL") }]`;
}
