import { describe, expect, it } from "vitest";
import type { ServiceModel } from "../../../model/types.js";
import { normalizeModel } from "../../../normalize/index.js";
import type { MonitoringSpec } from "../../../spec/types.js";
import { serviceContext } from "../../context.js";
import { runRules } from "../../run.js";
import { lintRuleFile, lintWith, ruleFileAlert, specWith } from "../../tester.js";
import { rule } from "./owner.js";

const alert = { name: "A", expr: "up", op: "<" as const, threshold: 1, severity: "warning" as const, summary: "s", description: "d" };
const slo = {
  name: "availability",
  objective: 99.9,
  sli: { kind: "ratio" as const, bad: { metric: "http_requests_total", matchers: { code: { op: "=~" as const, value: "5.." } } }, total: { metric: "http_requests_total" } },
};

/** The rule over a compiled spec's model after `change` (normalization would not produce these). */
function lintChanged(spec: MonitoringSpec, change: (service: ServiceModel) => void) {
  const { model } = normalizeModel([spec]);
  const service = model.services[0]!;
  change(service);
  return runRules((report) => serviceContext(service, report), {}, [rule]);
}

/** A plain rule file's alerts (its service is a stand-in with an empty team), each with `labels`. */
const lintPlain = (...labels: Record<string, string>[]) =>
  lintRuleFile(rule, { alerts: labels.map((l, r) => ruleFileAlert(r, l, { severity: "warning" })) }, { service: { teams: [] } });

describe("spec/owner", () => {
  it.each<[string, MonitoringSpec]>([
    ["the service's team everywhere", specWith({ alerts: [alert], slos: [slo] })],
    ["an alert of another declared team", specWith({ teams: [{ name: "team-a" }, { name: "team-b" }], alerts: [{ ...alert, team: "team-b" }] })],
    ["no teams list: the service's team is declared implicitly", { ...specWith({ alerts: [alert] }), teams: undefined }],
  ])("valid spec: %s", (_, spec) => {
    expect(lintWith(rule, spec)).toEqual([]);
  });

  it("valid rule file: alerts with team labels; the stand-in service is not reported", () => {
    expect(lintPlain({ team: "payments" }, { team: "search" })).toEqual([]);
  });

  it("invalid rule file: an alert without a team label", () => {
    const found = lintPlain({ team: "payments" }, { severity: "critical" });
    expect(found.map((d) => [d.code, d.at?.path, d.message])).toEqual([["spec/owner", ["groups", 0, "rules", 1], 'alert "A" has no owning team']]);
  });

  // [case, change to a compiled model, expected path, message]
  it.each<[string, (s: ServiceModel) => void, (string | number)[], string]>([
    [
      "a service team missing from teams",
      (s) => {
        s.team = "payments";
      },
      ["service", "team"],
      'service "svc" is owned by team "payments", which is not declared in teams',
    ],
    [
      "an alert with an empty team",
      (s) => {
        s.alerts[0]!.team = "";
      },
      ["alerts", 0],
      'alert "A" has no owning team',
    ],
    [
      "an SLO with an empty team",
      (s) => {
        s.slos[0]!.team = " ";
      },
      ["slos", 0],
      'SLO "availability" has no owning team',
    ],
  ])("invalid model: %s", (_, change, path, message) => {
    const found = lintChanged(specWith({ alerts: [alert], slos: [slo] }), change);
    expect(found.map((d) => [d.code, d.at?.path, d.message])).toEqual([["spec/owner", path, message]]);
  });

  it("reports a severity ladder once", () => {
    const ladder = { ...alert, threshold: undefined, severity: undefined, thresholds: { critical: 0.5, warning: 0.9 } };
    const found = lintChanged(specWith({ alerts: [ladder] }), (s) => {
      for (const a of s.alerts) a.team = "";
    });
    expect(found.map((d) => d.at?.path)).toEqual([["alerts", 0]]);
  });
});
