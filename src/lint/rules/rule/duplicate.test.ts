import { describe, expect, it } from "vitest";
import type { AlertRuleModel, RecordingModel } from "../../../model/types.js";
import type { AlertSpec, MonitoringSpec, SloSpec } from "../../../spec/types.js";
import { lintRuleFile, lintWith, specWith } from "../../tester.js";
import { rule } from "./duplicate.js";

const alert = (name: string, severity: AlertSpec["severity"] = "warning"): AlertSpec => ({ name, expr: "up", op: "<", threshold: 1, severity, summary: "s", description: "d" });
const slo = (name: string, extra: Partial<SloSpec> = {}): SloSpec => ({
  name,
  objective: 99.9,
  sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } },
  ...extra,
});
const recording = (record: string, labels?: Record<string, string>) => ({ record, expr: "sum(rate(http_requests_total[5m]))", ...(labels ? { labels } : {}) });

/** A plain rule file (no SLOs): `rules` in order, each an alert (`alert`) or a recording (`record`). */
function lintPlain(rules: ({ alert: string } | { record: string })[], labels: Record<string, string>[] = []) {
  const alerts: AlertRuleModel[] = [];
  const recordings: RecordingModel[] = [];
  rules.forEach((r, i) => {
    const path = ["groups", 0, "rules", i];
    const source = { text: "up", at: { path: [...path, "expr"] } };
    const l = { ...(labels[i] ?? {}) };
    if ("alert" in r) {
      const a: AlertRuleModel = { id: `f/${r.alert}/${i}`, name: r.alert, severity: "warning", source, forMs: 0, team: "", labels: l, annotations: {}, at: { path }, lintDisable: {} };
      alerts.push(a);
    } else {
      const rec: RecordingModel = { record: r.record, source, labels: l, at: { path }, lintDisable: {} };
      recordings.push(rec);
    }
  });
  return lintRuleFile(rule, { alerts, recordings });
}

describe("rule/duplicate", () => {
  it.each<[string, MonitoringSpec]>([
    ["one name, two severities", specWith({ alerts: [alert("A", "critical"), alert("A", "warning")] })],
    ["an SLO's alert name with another severity", specWith({ slos: [slo("availability")], alerts: [alert("AvailabilityErrorBudgetBurn", "info")] })],
    ["a recording under its own level", specWith({ slos: [slo("availability")], recordings: [recording("job:http_requests:rate5m")] })],
    ["one recording name, different labels", specWith({ recordings: [recording("job:x:rate5m", { a: "1" }), recording("job:x:rate5m", { a: "2" })] })],
    // A 30d SLO records its error ratio over 5m, 30m, 1h, 2h, 6h, 1d, 3d and 30d; not 7h.
    ["an slo: ratio over a window the SLO does not record", specWith({ slos: [slo("availability")], recordings: [recording("slo:sli_error:ratio_rate7h")] })],
    ["an slo: name without SLOs", specWith({ recordings: [recording("slo:objective:ratio")] })],
  ])("valid spec: %s", (_, spec) => {
    expect(lintWith(rule, spec)).toEqual([]);
  });

  // [case, spec, expected paths, text of the first message]
  it.each<[string, MonitoringSpec, (string | number)[][], string]>([
    [
      "an alert named like an SLO's page alert",
      specWith({ slos: [slo("availability")], alerts: [alert("AvailabilityErrorBudgetBurn", "critical")] }),
      [["alerts", 0, "name"]],
      'alert "AvailabilityErrorBudgetBurn" (critical) has the name and severity of the page alert of SLO "availability"',
    ],
    [
      "an alert named like an SLO's no-data alert",
      specWith({ slos: [slo("availability")], alerts: [alert("AvailabilitySLINoData", "warning")] }),
      [["alerts", 0, "name"]],
      'alert "AvailabilitySLINoData" (warning) has the name and severity of the no-data alert of SLO "availability"',
    ],
    [
      "two SLO names with one CamelCase",
      specWith({ slos: [slo("api-availability"), slo("api_availability")] }),
      [
        ["slos", 1, "alerting", "name"],
        ["slos", 1, "alerting", "name"],
        ["slos", 1, "name"],
      ],
      'the page alert of SLO "api_availability" has the name "ApiAvailabilityErrorBudgetBurn" and severity critical of the page alert of SLO "api-availability"',
    ],
    [
      "two SLOs given one alert name",
      specWith({ slos: [slo("a", { alerting: { name: "SloBurn" } }), slo("b", { alerting: { name: "SloBurn", ticket: { enabled: false } } })] }),
      [["slos", 1, "alerting", "name"]],
      'the page alert of SLO "b" has the name "SloBurn" and severity critical of the page alert of SLO "a"',
    ],
    [
      "a recording of the SLI's 5m error ratio",
      specWith({ slos: [slo("availability")], recordings: [recording("slo:sli_error:ratio_rate5m")] }),
      [["recordings", 0, "record"]],
      'recording rule "slo:sli_error:ratio_rate5m" has the name of a series Vigil records for SLO "availability"',
    ],
    ["a recording of a burn window", specWith({ slos: [slo("availability")], recordings: [recording("job:x:rate5m"), recording("slo:sli_error:ratio_rate1h")] }), [["recordings", 1, "record"]], "slo:sli_error:ratio_rate1h"],
    ["a recording of the objective", specWith({ slos: [slo("availability")], recordings: [recording("slo:objective:ratio", { kind: "mine" })] }), [["recordings", 0, "record"]], "slo:objective:ratio"],
  ])("invalid spec: %s", (_, spec, paths, text) => {
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(paths.map(() => "rule/duplicate"));
    expect(found.map((d) => d.at?.path)).toEqual(paths);
    expect(found[0]!.message).toContain(text);
  });

  it("valid rule file: one alert name with different labels, one record with different labels", () => {
    expect(lintPlain([{ alert: "A" }, { alert: "A" }, { record: "job:x:rate5m" }, { record: "job:x:rate5m" }], [{ route: "a" }, { route: "b" }, {}, { route: "b" }])).toEqual([]);
  });

  it.each<[string, ({ alert: string } | { record: string })[], Record<string, string>[], (string | number)[], string]>([
    ["two alerts", [{ alert: "A" }, { alert: "A" }], [{ severity: "critical" }, { severity: "critical" }], ["groups", 0, "rules", 1, "alert"], 'alert "A" is declared twice with the same labels (first at groups[0].rules[0])'],
    ["two recordings", [{ record: "job:x:rate5m" }, { alert: "A" }, { record: "job:x:rate5m" }], [{ env: "prod" }, {}, { env: "prod" }], ["groups", 0, "rules", 2, "record"], 'recording rule "job:x:rate5m" is declared twice with the same labels (first at groups[0].rules[0])'],
  ])("invalid rule file: %s", (_, rules, labels, path, message) => {
    const found = lintPlain(rules, labels);
    expect(found.map((d) => [d.code, d.at?.path, d.message])).toEqual([["rule/duplicate", path, message]]);
  });
});
