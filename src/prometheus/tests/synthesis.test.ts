/**
 * What the test synthesizer does with alerts it can only partly drive, and how it pins `for`:
 * each case compiles a spec through normalize → emit and reads the generated test file.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { defineMonitoring, gauge, type AlertSpec } from "../../api/index.js";
import { emitAll } from "../../emit/index.js";
import { normalizeModel } from "../../normalize/index.js";

const memory = gauge("process_resident_memory_bytes");

interface TestFile {
  tests: { name: string; alert_rule_test: { eval_time: string; alertname: string; exp_alerts: { exp_labels: Record<string, string> }[] }[] }[];
}

function compile(alert: AlertSpec) {
  const { model, diagnostics } = normalizeModel([
    defineMonitoring({ service: { name: "svc", team: "t" }, teams: [{ name: "t" }], signals: [memory], alerts: [alert] }),
  ]);
  expect(diagnostics).toEqual([]);
  const { files, diagnostics: emitted } = emitAll(model);
  const file = files.find((f) => f.path === "prometheus/tests/svc.test.yml");
  return { tests: file ? (parse(file.content) as TestFile).tests : [], diagnostics: emitted };
}

describe("a severity that cannot be driven", () => {
  it("loses its own tests only: VIG4001 names it, the other severities keep theirs", () => {
    const { tests, diagnostics } = compile({
      name: "MemoryHigh",
      expr: "clamp_max(process_resident_memory_bytes, 100)",
      thresholds: { critical: 200, warning: 50 },
      summary: "s",
      description: "d",
    });
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      expect.stringMatching(/^VIG4001 no unit test generated for alert MemoryHigh at critical: found no input series for which MemoryHigh fires at critical/),
    ]);
    expect(tests.map((t) => t.name)).toEqual([
      "alert MemoryHigh: past the warning threshold, fires warning",
      "alert MemoryHigh: on the safe side of every threshold, nothing fires",
    ]);
  });

  it("a plain {{ $value }} that cannot be exact says so, naming the cause", () => {
    const { diagnostics } = compile({
      name: "MemoryHigh",
      expr: "process_resident_memory_bytes / 3 + 0.1",
      threshold: 10,
      severity: "warning",
      summary: "s",
      description: "{{ $value }}",
    });
    // A tenth is not a dyadic rational: no input makes the value exact in every engine.
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("a template prints $value in full")]);
  });
});

describe("for is pinned", () => {
  it("a gauge past its threshold holds from the first sample: silent a minute before its for, firing at it", () => {
    const { tests } = compile({ name: "MemoryHigh", expr: "process_resident_memory_bytes", threshold: 10, severity: "warning", for: "7m", summary: "s", description: "d" });
    const past = tests.find((t) => t.name.includes("past the warning threshold"))!;
    expect(past.alert_rule_test.map((a) => [a.eval_time, a.exp_alerts.length])).toEqual([
      ["6m", 0],
      ["7m", 1],
    ]);
  });
});
