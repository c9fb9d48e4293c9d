/**
 * What the test synthesizer does with alerts it can only partly drive, and how it pins `for`:
 * each case compiles a spec through normalize → emit and reads the generated test file.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { counter, defineMonitoring, gauge, matches, type AlertSpec, type SloSpec } from "../../api/index.js";
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

it("a for that is not whole minutes fires at the first evaluation after it elapsed", () => {
  const { tests } = compile({ name: "MemoryHigh", expr: "process_resident_memory_bytes", threshold: 10, severity: "warning", for: "90s", summary: "s", description: "d" });
  const past = tests.find((t) => t.name.includes("past the warning threshold"))!;
  expect(past.alert_rule_test.map((a) => [a.eval_time, a.exp_alerts.length])).toEqual([
    ["1m", 0],
    ["2m", 1],
  ]);
});

describe("SLO tests", () => {
  const requests = counter("http_requests_total", { labels: ["code"] });
  function compileSlo(alerting: SloSpec["alerting"]) {
    const { model, diagnostics } = normalizeModel([
      defineMonitoring({
        service: { name: "svc", team: "t" },
        teams: [{ name: "t" }],
        signals: [requests],
        slos: [{ name: "availability", objective: 99.5, sli: { kind: "ratio", bad: requests.select({ code: matches("5..") }), total: requests.select() }, ...(alerting ? { alerting } : {}) }],
      }),
    ]);
    expect(diagnostics).toEqual([]);
    const files = emitAll(model).files;
    const read = (path: string) => {
      const file = files.find((f) => f.path === path);
      return file ? (parse(file.content) as TestFile).tests : [];
    };
    return { tests: read("prometheus/tests/svc.slo-availability.test.yml"), bursts: read("prometheus/tests/svc.slo-availability.bursts.test.yml") };
  }

  it("a tier's for is pinned: silent a minute before it elapses, firing when it has", () => {
    const { tests } = compileSlo({ ticket: { for: "10m" } });
    const past = tests.find((t) => t.name.includes("just past the ticket burn rate"))!;
    const checks = past.alert_rule_test.filter((a) => a.alertname === "AvailabilityErrorBudgetBurn");
    expect(checks.map((a) => [a.eval_time, a.exp_alerts.map((e) => e.exp_labels.tier)])).toEqual([
      ["10m", []],
      ["11m", ["ticket"]],
    ]);
  });

  it("burst tests cover every window and factor of the page tier, in tests of at most 3h; longer stories do the rest", () => {
    const { bursts: all } = compileSlo(undefined);
    const stories = all.filter((t) => t.name.includes(", then "));
    const bursts = all.filter((t) => !stories.includes(t));
    expect(bursts.length).toBeGreaterThan(2);
    for (const t of bursts) expect(Number(/of (\d+)m /.exec(t.name)![1])).toBeLessThanOrEqual(180);
    // The ticket tier's long windows need hours to days: stories, each longer than 3h.
    expect(stories.length).toBeGreaterThan(0);
    for (const t of stories) expect(t.alert_rule_test.every((a) => /^\d+(d|h)/.test(a.eval_time))).toBe(true);
    // A recovery: errors that ended before the end, so short windows read none of them.
    expect(bursts.some((t) => /ending \d+m before/.test(t.name))).toBe(true);
  });
});

it("with a ticket for, bursts expect the ticket only once its conditions held that long, as promtool finds", () => {
  const requests = counter("http_requests_total", { labels: ["code"] });
  const { model } = normalizeModel([
    defineMonitoring({
      service: { name: "svc", team: "t" },
      teams: [{ name: "t" }],
      signals: [requests],
      slos: [{ name: "availability", objective: 99.5, sli: { kind: "ratio", bad: requests.select({ code: matches("5..") }), total: requests.select() }, alerting: { ticket: { for: "10m" } } }],
    }),
  ]);
  const files = emitAll(model).files;
  const bursts = files.find((f) => f.path === "prometheus/tests/svc.slo-availability.bursts.test.yml");
  const tests = bursts ? (parse(bursts.content) as TestFile).tests : [];
  // The ticket tier takes part (it used to be kept silent): some scenario expects it, some not.
  const tiers = (t: TestFile["tests"][number]) => t.alert_rule_test.flatMap((a) => a.exp_alerts.map((e) => e.exp_labels.tier));
  expect(tests.some((t) => tiers(t).includes("ticket"))).toBe(true);
  expect(tests.some((t) => !tiers(t).includes("ticket"))).toBe(true);
  // promtool agrees with every expectation, and a for of 5m instead of 10m fails one of them.
  const dir = mkdtempSync(join(tmpdir(), "vigil-ticket-for-"));
  try {
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    const run = () => spawnSync("promtool", ["test", "rules", join(dir, "prometheus/tests/svc.slo-availability.bursts.test.yml")], { encoding: "utf8", timeout: 300_000 });
    const ok = run();
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    const rules = join(dir, "prometheus/rules/svc.slo-availability.rules.yml");
    const text = readFileSync(rules, "utf8");
    expect(text).toContain("for: 10m");
    writeFileSync(rules, text.replace("for: 10m", "for: 5m"));
    expect(run().status).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
