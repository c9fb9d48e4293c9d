import { describe, expect, it } from "vitest";
import type { AlertSpec, MonitoringSpec, SloSpec } from "../../../spec/types.js";
import { lintRuleFile, lintWith, ruleFileAlert, specWith } from "../../tester.js";
import { rule } from "./annotations.js";

const alert = (extra: Partial<AlertSpec> = {}): AlertSpec => ({
  name: "HighErrorRate",
  expr: "rate(http_requests_total[5m])",
  threshold: 1,
  severity: "warning",
  summary: "Many errors",
  description: "More than 1 error per second",
  runbook: "https://runbooks.example/high-error-rate",
  ...extra,
});
const noRunbook = (extra: Partial<AlertSpec> = {}): AlertSpec => {
  const a = alert(extra);
  delete a.runbook;
  return a;
};
const slo = (extra: Partial<SloSpec> = {}): SloSpec => ({
  name: "availability",
  objective: 99.9,
  sli: { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } },
  ...extra,
});
const withBase = (parts: Partial<MonitoringSpec>): MonitoringSpec => {
  const spec = specWith(parts);
  return { ...spec, service: { ...spec.service, runbookBaseUrl: "https://runbooks.example/svc" } };
};

describe("alerts/annotations", () => {
  it.each<[string, MonitoringSpec]>([
    ["an alert with all three", specWith({ alerts: [alert()] })],
    ["a runbook from the service's runbookBaseUrl", withBase({ alerts: [noRunbook()] })],
    ["an SLO with a runbook", specWith({ slos: [slo({ runbook: "https://runbooks.example/availability" })] })],
    ["an SLO linked through runbookBaseUrl", withBase({ slos: [slo()] })],
    ["runbook_url given as an annotation", specWith({ alerts: [noRunbook({ annotations: { runbook_url: "https://r.example/x" } })] })],
  ])("valid: %s", (_, spec) => {
    expect(lintWith(rule, spec)).toEqual([]);
  });

  // [case, spec, expected paths, text every message contains]
  it.each<[string, MonitoringSpec, (string | number)[][], string]>([
    ["no runbook anywhere", specWith({ alerts: [noRunbook()] }), [["alerts", 0]], "no runbook_url annotation"],
    ["an empty summary", specWith({ alerts: [alert({ summary: "" })] }), [["alerts", 0]], "no summary annotation"],
    ["a blank description override, no runbook", specWith({ alerts: [noRunbook({ annotations: { description: "  " } })] }), [["alerts", 0]], "no description and runbook_url annotations"],
    ["a runbook emptied by an annotation", withBase({ alerts: [alert(), alert({ name: "B", annotations: { runbook_url: "" } })] }), [["alerts", 1]], "no runbook_url"],
    // A ladder is two rules from one spec item: reported once.
    ["a severity ladder without summary", specWith({ alerts: [alert({ summary: "", threshold: undefined, severity: undefined, thresholds: { critical: 5, warning: 1 } })] }), [["alerts", 0]], "no summary"],
    ["an SLO without runbook: once, at the SLO", specWith({ slos: [slo()] }), [["slos", 0]], 'the alerts of SLO "availability" have no runbook_url annotation'],
    ["an SLO without runbook nor no-data alert", specWith({ slos: [slo({ alerting: { noData: { enabled: false } } })] }), [["slos", 0]], "no runbook_url"],
    ["an SLO whose annotations empty the runbook", specWith({ slos: [slo({ runbook: "https://r.example", alerting: { annotations: { runbook_url: "" } } })] }), [["slos", 0]], "no runbook_url"],
    ["one tier with an empty summary", specWith({ slos: [slo({ runbook: "https://r.example", alerting: { page: { annotations: { summary: "" } } } })] }), [["slos", 0, "alerting", "page"]], 'the page alert "AvailabilityErrorBudgetBurn" of SLO "availability" has no summary annotation'],
    [
      "a runbook on one tier only",
      specWith({ slos: [slo({ alerting: { page: { annotations: { runbook_url: "https://r.example/page" } } } })] }),
      [
        ["slos", 0, "alerting", "ticket"],
        ["slos", 0, "alerting", "noData"],
      ],
      "no runbook_url",
    ],
  ])("invalid: %s", (_, spec, paths, text) => {
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(paths.map(() => "alerts/annotations"));
    expect(found.map((d) => d.at?.path)).toEqual(paths);
    for (const d of found) expect(d.message).toContain(text);
  });

  it("checks plain rule files' annotations as written", () => {
    const plain = (r: number, annotations: Record<string, string>) => ruleFileAlert(r, { severity: "warning" }, { id: `f/A/${r}`, annotations });
    const found = lintRuleFile(rule, { alerts: [plain(0, { summary: "s", description: "d", runbook_url: "https://r" }), plain(1, { summary: "s" })] }, { service: { team: "team-a" } });
    expect(found.map((d) => [d.code, d.at?.path])).toEqual([["alerts/annotations", ["groups", 0, "rules", 1]]]);
    expect(found[0]!.message).toBe('alert "A" has no description and runbook_url annotations');
  });

  it("can be disabled for one alert with a reason", () => {
    const spec = specWith({ alerts: [noRunbook({ lintDisable: { "alerts/annotations": "self-explanatory test alert" } })] });
    expect(lintWith(rule, spec)).toEqual([]);
  });
});
