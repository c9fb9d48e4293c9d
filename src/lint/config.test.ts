/** Lint configuration in the spec: severities, "off", per-item disables with a reason. */
import { describe, expect, it } from "vitest";
import { normalizeModel } from "../normalize/index.js";
import { validateSpec } from "../spec/validate.js";
import type { MonitoringSpec } from "../spec/types.js";
import { lintModel } from "./run.js";
import { specWith } from "./tester.js";

const fastRate = { name: "A", expr: "rate(http_requests_total[30s])", threshold: 1, severity: "warning" as const, summary: "s", description: "d", runbook: "https://r" };

function lint(spec: MonitoringSpec) {
  const { model, diagnostics } = normalizeModel([spec]);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return lintModel(model).filter((d) => d.code === "promql/rate-window" || d.code === "VIG2021");
}

describe("lint configuration", () => {
  it("uses the rule's default severity", () => {
    expect(lint(specWith({ alerts: [fastRate] })).map((d) => [d.code, d.severity])).toEqual([["promql/rate-window", "warning"]]);
  });

  it("lets the spec raise or lower a rule's severity", () => {
    const spec = specWith({ alerts: [fastRate], lint: { rules: { "promql/rate-window": "error" } } });
    expect(lint(spec).map((d) => d.severity)).toEqual(["error"]);
  });

  it("turns a rule off project-wide", () => {
    expect(lint(specWith({ alerts: [fastRate], lint: { rules: { "promql/rate-window": "off" } } }))).toEqual([]);
  });

  it("disables a rule for one item, leaving the others", () => {
    const spec = specWith({
      alerts: [
        { ...fastRate, lintDisable: { "promql/rate-window": "scraped every 5s by a dedicated job" } },
        { ...fastRate, name: "B" },
      ],
    });
    const found = lint(spec);
    expect(found).toHaveLength(1);
    expect(found[0]!.at?.path).toEqual(["alerts", 1, "expr"]);
  });

  it("reports unknown rule ids (VIG2021) in both places", () => {
    const spec = specWith({ alerts: [{ ...fastRate, lintDisable: { "promql/no-such-rule": "because" } }], lint: { rules: { "alerts/nope": "off" } } });
    expect(lint(spec).filter((d) => d.code === "VIG2021").map((d) => d.message)).toEqual(['unknown lint rule "alerts/nope"', 'unknown lint rule "promql/no-such-rule"']);
  });

  it("requires a reason: the schema rejects an empty one", () => {
    const spec = specWith({ alerts: [{ ...fastRate, lintDisable: { "promql/rate-window": "" } }] });
    expect(validateSpec(JSON.parse(JSON.stringify(spec)), 0).map((d) => d.code)).toContain("VIG1006");
  });
});
