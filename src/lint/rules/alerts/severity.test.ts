import { describe, expect, it } from "vitest";
import type { AlertRuleModel } from "../../../model/types.js";
import { normalizeModel } from "../../../normalize/index.js";
import type { AlertSpec, MonitoringSpec } from "../../../spec/types.js";
import { serviceContext } from "../../context.js";
import { runRules } from "../../run.js";
import { lintRuleFile, lintWith, ruleFileAlert, specWith } from "../../tester.js";
import { rule } from "./severity.js";

const alert = (extra: Partial<AlertSpec> = {}): AlertSpec => ({ name: "A", expr: "up", threshold: 1, op: "<", severity: "warning", summary: "s", description: "d", ...extra });

/** The rule over a plain rule file with one alert carrying `labels` (as rule-files.ts builds it). */
const lintPlain = (labels: Record<string, string>) =>
  lintRuleFile(rule, { alerts: [ruleFileAlert(0, labels, { severity: (labels.severity ?? "") as AlertRuleModel["severity"] })] });

describe("alerts/severity", () => {
  it.each<[string, MonitoringSpec]>([
    ["a single severity", specWith({ alerts: [alert()] })],
    ["a severity ladder", specWith({ alerts: [alert({ severity: undefined, threshold: undefined, thresholds: { critical: 0.5, warning: 0.9, info: 1 } })] })],
  ])("valid spec: %s", (_, spec) => {
    expect(lintWith(rule, spec)).toEqual([]);
  });

  it.each(["critical", "warning", "info"])("valid rule file label: %s", (severity) => {
    expect(lintPlain({ severity })).toEqual([]);
  });

  // [labels, expected path, expected hint]
  it.each<[Record<string, string>, (string | number)[], string]>([
    [{}, ["groups", 0, "rules", 0], "add a severity label: critical, warning, info"],
    [{ severity: " " }, ["groups", 0, "rules", 0, "labels", "severity"], "add a severity label: critical, warning, info"],
    [{ severity: "page" }, ["groups", 0, "rules", 0, "labels", "severity"], 'use severity "critical"'],
    [{ severity: "Critical" }, ["groups", 0, "rules", 0, "labels", "severity"], 'use severity "critical"'],
    [{ severity: "P2" }, ["groups", 0, "rules", 0, "labels", "severity"], 'use severity "warning"'],
    [{ severity: "urgent" }, ["groups", 0, "rules", 0, "labels", "severity"], "use one of critical, warning, info: critical pages, warning opens a ticket, info is for the record"],
  ])("invalid rule file labels: %j", (labels, path, hint) => {
    const found = lintPlain(labels);
    expect(found.map((d) => d.code)).toEqual(["alerts/severity"]);
    expect(found[0]!.at?.path).toEqual(path);
    expect(found[0]!.hint).toBe(hint);
  });

  it("names the value in the message", () => {
    expect(lintPlain({ severity: "page" })[0]!.message).toBe('alert "A" has severity "page", which is not one of critical, warning, info');
  });

  it("checks the final labels of a spec's alerts", () => {
    // The schema and VIG2018 keep a spec from getting here; a model changed after normalization can.
    const { model } = normalizeModel([specWith({ alerts: [alert()] })]);
    const service = model.services[0]!;
    service.alerts[0]!.labels.severity = "P1";
    const found = runRules((report) => serviceContext(service, report), {}, [rule]);
    expect(found.map((d) => [d.code, d.at?.path])).toEqual([["alerts/severity", ["alerts", 0, "labels", "severity"]]]);
  });
});
