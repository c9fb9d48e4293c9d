import { describe, expect, it } from "vitest";
import type { SloSpec } from "../../../spec/types.js";
import { lintWith, specWith } from "../../tester.js";
import { rule } from "./no-traffic.js";

const ratio: SloSpec["sli"] = { kind: "ratio", bad: { metric: "http_requests_total", matchers: { code: { op: "=~", value: "5.." } } }, total: { metric: "http_requests_total" } };
const slo = (alerting: SloSpec["alerting"], sli: SloSpec["sli"] = ratio): SloSpec => ({ name: "availability", objective: 99.9, sli, alerting });
const noNoData = { noData: { enabled: false } };

describe("slo/no-traffic", () => {
  it.each<[string, SloSpec]>([
    ["the default no-data alert", slo(undefined)],
    ["a no-data alert with its own severity", slo({ noData: { severity: "critical", for: "30m" } })],
    ["a minimum-traffic guard instead", slo({ ...noNoData, minTraffic: 0.5 })],
    ["both", slo({ minTraffic: 1 })],
  ])("valid: %s", (_, s) => {
    expect(lintWith(rule, specWith({ slos: [s] }))).toEqual([]);
  });

  // [case, SLO, hint]
  it.each<[string, SloSpec, string]>([
    ["a ratio SLO", slo(noNoData), "enable the no-data alert (alerting.noData), or set alerting.minTraffic to the events per second below which the page tier should not fire"],
    ["a latency SLO", slo(noNoData, { kind: "latency", histogram: { metric: "http_request_duration_seconds" }, threshold: 0.5 }), "enable the no-data alert (alerting.noData), or set alerting.minTraffic to the events per second below which the page tier should not fire"],
    ["a boolean SLO: only the no-data alert applies", slo(noNoData, { kind: "boolean", gauge: { metric: "up" } }), "enable the no-data alert (alerting.noData)"],
  ])("invalid: %s", (_, s, hint) => {
    const found = lintWith(rule, specWith({ slos: [s] }));
    expect(found.map((d) => d.code)).toEqual(["slo/no-traffic"]);
    expect(found[0]!.at?.path).toEqual(["slos", 0]);
    expect(found[0]!.message).toBe('SLO "availability" has neither a no-data alert nor a minimum-traffic guard: without traffic its alerts go silent');
    expect(found[0]!.hint).toBe(hint);
  });

  it("points at the SLO among several", () => {
    const found = lintWith(rule, specWith({ slos: [slo(undefined), { ...slo(noNoData), name: "second" }] }));
    expect(found.map((d) => d.at?.path)).toEqual([["slos", 1]]);
  });

  it("can be disabled for one SLO with a reason", () => {
    expect(lintWith(rule, specWith({ slos: [{ ...slo(noNoData), lintDisable: { "slo/no-traffic": "synthetic probe, always has traffic" } }] }))).toEqual([]);
  });
});
