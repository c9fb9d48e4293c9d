/**
 * Where an alert must go, from the spec's intent alone: its `team` label picks the team, its
 * `severity` label the team's escalation entry. The generated routing tree must agree; the
 * routing tests (and `vigil routes test`, through amtool) prove that it does.
 */
import type { ReceiverModel, SeverityRouteModel, TeamModel } from "../model/types.js";
import { isSeverity } from "../model/severity.js";

/** Gets alerts no team route claims; loud by design (see `alertmanager.catchAll`). */
export const CATCH_ALL = "vigil/catch-all";
/** Gets alerts of a severity a team chose not to be notified of. */
export const DISCARD = "vigil/discard";

export function receiverName(team: TeamModel, receiver: ReceiverModel | string): string {
  return `${team.name}/${typeof receiver === "string" ? receiver : receiver.name}`;
}

/** The severity entry that routes an alert, if the team's tree has one for it. */
export function severityRoute(team: TeamModel, severity: string): SeverityRouteModel | undefined {
  if (!isSeverity(severity)) return undefined;
  const route = team.escalation[severity];
  return route.receivers.length > 0 || route.explicit ? route : undefined;
}

/** Teams that get a route: those with at least one receiver. */
export function routedTeams(teams: readonly TeamModel[]): TeamModel[] {
  return teams.filter((t) => t.receivers.length > 0);
}

/** The receivers, in tree order, an alert with these labels must reach. */
export function intendedReceivers(teams: readonly TeamModel[], labels: Readonly<Record<string, string>>): string[] {
  const team = routedTeams(teams).find((t) => t.name === labels.team);
  if (!team) return [CATCH_ALL];
  const route = severityRoute(team, labels.severity ?? "");
  if (!route) return [CATCH_ALL];
  if (route.receivers.length === 0) return [DISCARD];
  return route.receivers.map((r) => receiverName(team, r));
}
