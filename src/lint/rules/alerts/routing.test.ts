import { describe, expect, it } from "vitest";
import { normalizeModel } from "../../../normalize/index.js";
import type { MonitoringSpec } from "../../../spec/types.js";
import { serviceContext } from "../../context.js";
import { runRules } from "../../run.js";
import { lintRuleFile, lintWith, ruleFileAlert, specWith } from "../../tester.js";
import { rule } from "./routing.js";

const alert = { name: "A", expr: "up", threshold: 1, op: "<" as const, severity: "warning" as const, summary: "s", description: "d" };
const slo = {
  name: "availability",
  objective: 99.9,
  sli: { kind: "ratio" as const, bad: { metric: "http_requests_total", matchers: { code: { op: "=~" as const, value: "5.." } } }, total: { metric: "http_requests_total" } },
};

/** A plain rule file's one alert with `labels`, linted with (`withSpec`) or without the spec's teams. */
const lintPlain = (labels: Record<string, string>, withSpec = true) => lintRuleFile(rule, { alerts: [ruleFileAlert(0, labels)] }, { withSpec });

describe("alerts/routing", () => {
  it.each<[string, MonitoringSpec]>([
    ["the service's team", specWith({ alerts: [alert], slos: [slo] })],
    ["another declared team", specWith({ teams: [{ name: "team-a" }, { name: "team-b", receivers: [{ name: "hook", kind: "webhook", url: "https://hooks.example.com/b" }] }], alerts: [{ ...alert, team: "team-b" }] })],
  ])("valid spec: %s", (_, spec) => {
    expect(lintWith(rule, spec)).toEqual([]);
  });

  it("valid rule file: a declared team label", () => {
    expect(lintPlain({ severity: "warning", team: "team-a" })).toEqual([]);
  });

  it("stays quiet on a rule file linted without a spec (no teams to check against)", () => {
    expect(lintPlain({ severity: "warning" }, false)).toEqual([]);
  });

  // [labels, expected path, expected hint]
  it.each<[Record<string, string>, (string | number)[], string]>([
    [{ severity: "warning" }, ["groups", 0, "rules", 0], 'add a team label naming one of the declared teams ("team-a")'],
    [{ team: "" }, ["groups", 0, "rules", 0, "labels", "team"], 'add a team label naming one of the declared teams ("team-a")'],
    [{ team: "team-aa" }, ["groups", 0, "rules", 0, "labels", "team"], 'did you mean "team-a"?'],
    [{ team: "payments" }, ["groups", 0, "rules", 0, "labels", "team"], 'declare the team in `teams`, or use one of "team-a"'],
  ])("invalid rule file labels: %j", (labels, path, hint) => {
    const found = lintPlain(labels);
    expect(found.map((d) => d.code)).toEqual(["alerts/routing"]);
    expect(found[0]!.at?.path).toEqual(path);
    expect(found[0]!.hint).toBe(hint);
  });

  it("says why in the message", () => {
    expect(lintPlain({ team: "payments" })[0]!.message).toBe('alert "A" is routed to team "payments", which is not declared in teams, so it reaches no receiver');
  });

  const pager = { name: "pager", kind: "pagerduty" as const, routingKey: { env: "PD_KEY" } };
  // [case, spec, expected path, expected message]
  it.each<[string, MonitoringSpec, (string | number)[], string]>([
    [
      "a team without receivers",
      specWith({ teams: [{ name: "team-a" }], alerts: [alert] }),
      ["alerts", 0],
      'alert "A" is owned by team "team-a", which declares no receivers, so it reaches only the catch-all',
    ],
    [
      "a warning for a team that only has a pager (the ladder does not page warnings)",
      specWith({ teams: [{ name: "team-a", receivers: [pager] }], alerts: [alert] }),
      ["alerts", 0],
      'alert "A" has severity warning, for which team "team-a" has no receiver, so it reaches only the catch-all',
    ],
    [
      "an SLO whose ticket tier has no receiver",
      specWith({ teams: [{ name: "team-a", receivers: [pager] }], slos: [slo] }),
      ["slos", 0],
      'the alerts of SLO "availability" have severity warning, for which team "team-a" has no receiver, so they reach only the catch-all',
    ],
  ])("invalid spec: %s", (_, spec, path, message) => {
    const found = lintWith(rule, spec);
    expect(found.map((d) => [d.code, d.at?.path, d.message])).toEqual([["alerts/routing", path, message]]);
  });

  it.each<[string, MonitoringSpec]>([
    ["a pager-only team that routes warnings explicitly nowhere", specWith({ teams: [{ name: "team-a", receivers: [pager], escalation: { warning: { receivers: [] } } }], alerts: [alert] })],
    ["critical alerts for a pager-only team", specWith({ teams: [{ name: "team-a", receivers: [pager] }], alerts: [{ ...alert, severity: "critical" }] })],
  ])("valid spec: %s", (_, spec) => {
    expect(lintWith(rule, spec)).toEqual([]);
  });

  it("checks the team of a spec's SLO alerts", () => {
    // Normalization gives SLOs the (declared) service team; a model changed afterwards can differ.
    const { model } = normalizeModel([specWith({ slos: [slo] })]);
    const service = model.services[0]!;
    service.slos[0]!.team = "";
    const found = runRules((report) => serviceContext(service, report), {}, [rule]);
    expect(found.map((d) => [d.code, d.at?.path, d.message])).toEqual([
      ["alerts/routing", ["slos", 0], 'the alerts of SLO "availability" have no team label, so they reach no receiver'],
    ]);
  });
});
