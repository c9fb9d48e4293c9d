/**
 * Where each alert is delivered, from the routing cases Vigil generates (and checks with
 * amtool): the same facts whether the cases come from a model or from routing-tests.yml.
 */
import type { RoutingCase } from "../alertmanager/cases.js";
import { alertSubjects, type FactSet } from "./facts.js";

/** Labels that name an alert's case; the others (team, the spec's labels) are what routing reads. */
const IDENTITY = ["service", "alertname", "severity", "tier"];

export function routingFacts(cases: readonly RoutingCase[], facts: FactSet): void {
  const subjects = alertSubjects(cases, (c) => ({ ...(c.labels.service ? { service: c.labels.service } : {}), name: c.alert, ...(c.labels.severity ? { severity: c.labels.severity } : {}), ...(c.labels.tier ? { tier: c.labels.tier } : {}) }));
  const subject = (c: RoutingCase): string => subjects.get(c)!;
  const sorted = [...cases].sort((a, b) => (subject(a) < subject(b) ? -1 : subject(a) > subject(b) ? 1 : 0));
  for (const c of sorted) {
    const labels = Object.entries(c.labels).filter(([k]) => !IDENTITY.includes(k) && k !== "team");
    facts.add("routing", subject(c), {
      severity: c.labels.severity ?? "(none)",
      team: c.labels.team ?? "(none)",
      receivers: c.receivers.join(", ") || "(nobody)",
      ...(labels.length ? { labels: labels.map(([k, v]) => `${k}=${v}`).join(", ") } : {}),
    });
  }
}
