/**
 * Normalization of specs written with the authoring API: exact error budgets, the SRE
 * workbook's multiwindow burn-rate conditions (scaled to the SLO window), tier switches and
 * custom windows, severity ladders, and the SLI queries' meaning. Expected values are
 * computed by hand in the comments, never read back from the implementation.
 */
import { describe, expect, it } from "vitest";
import { counter, defineMonitoring, gauge, histogram, matches, type AlertSpec, type MonitoringSpec, type SloSpec } from "../api/index.js";
import type { BurnCondition, ServiceModel, SloModel } from "../model/types.js";
import { evaluateVector } from "../promql/eval/evaluate.js";
import type { InputSeries } from "../promql/eval/types.js";
import { parsePromQL } from "../promql/parse.js";
import { fillWindow } from "../promql/window.js";
import { objectiveRatios } from "./decimal.js";
import { normalizeModel, normalizeService } from "./index.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const requests = counter("http_requests_total", { help: "HTTP requests", labels: ["code", "route"] });
const latency = histogram("http_request_duration_seconds", { labels: ["route"], buckets: [0.1, 0.5, 2, 5] });
const memory = gauge("process_resident_memory_bytes");

const availability: SloSpec["sli"] = { kind: "ratio", bad: requests.select({ code: matches("5..") }), total: requests.select() };

function spec(parts: { slos?: SloSpec[]; alerts?: AlertSpec[] } = {}): MonitoringSpec {
  return defineMonitoring({
    service: { name: "checkout", team: "payments", environment: "production", runbookBaseUrl: "https://runbooks.example/checkout" },
    teams: [{ name: "payments" }, { name: "sre" }],
    signals: [requests, latency, memory],
    ...parts,
  });
}

function normalize(s: MonitoringSpec): { service: ServiceModel; codes: string[] } {
  const r = normalizeService(s, 0);
  if (!r.service) throw new Error("no service model");
  return { service: r.service, codes: r.diagnostics.map((d) => d.code) };
}

/** The single SLO of a spec with one SLO, with no diagnostics. */
function oneSlo(slo: Partial<SloSpec>): SloModel {
  const { service, codes } = normalize(spec({ slos: [{ name: "availability", objective: 99.9, sli: availability, ...slo }] }));
  expect(codes).toEqual([]);
  expect(service.slos).toHaveLength(1);
  return service.slos[0]!;
}

const cond = (longMs: number, shortMs: number, factor: number): BurnCondition => ({ longMs, shortMs, factor });
const conditions = (slo: SloModel, tier: "page" | "ticket") => slo.tiers.find((t) => t.tier === tier)?.conditions;

describe("objective → exact error budget text", () => {
  // 100 - objective, in percent, as a ratio; written out by hand.
  const rows: [number, string, string][] = [
    [99.9, "0.999", "0.001"],
    [99.95, "0.9995", "0.0005"],
    [99.99, "0.9999", "0.0001"],
    [99.999, "0.99999", "0.00001"],
    [99, "0.99", "0.01"],
    [95, "0.95", "0.05"],
    [99.5, "0.995", "0.005"],
    [50, "0.5", "0.5"],
    [0.1, "0.001", "0.999"],
  ];

  it.each(rows)("objective %d → ratio %s, budget %s", (objective, ratio, budget) => {
    expect(objectiveRatios(objective)).toEqual({ ratio, budget });
  });

  it.each(rows)("objective %d normalizes to the same texts and numbers", (objective, ratio, budget) => {
    // Tiers off: with budgets of 50% or more the default factors could never fire (VIG2015).
    const slo = oneSlo({ objective, alerting: { page: { enabled: false }, ticket: { enabled: false } } });
    expect(slo.objectiveRatioText).toBe(ratio);
    expect(slo.budgetText).toBe(budget);
    // The numbers are the texts' values, free of 1 - 0.999 = 0.0010000000000000009 noise.
    expect(slo.budget).toBe(Number(budget));
    expect(slo.objectiveRatio).toBe(Number(ratio));
  });

  it("an objective of 0 or 100 (or beyond) is VIG2003 and yields no SLO", () => {
    for (const objective of [0, 100, 100.5, -1]) {
      const { service, codes } = normalize(spec({ slos: [{ name: "availability", objective, sli: availability }] }));
      expect(codes, String(objective)).toEqual(["VIG2003"]);
      expect(service.slos).toEqual([]);
    }
  });
});

describe("default burn-rate conditions (SRE workbook table 5-8, scaled to the SLO window)", () => {
  it("30d: page 14.4× over 1h/5m or 6× over 6h/30m; ticket 3× over 1d/2h or 1× over 3d/6h", () => {
    const slo = oneSlo({ window: "30d" });
    expect(slo.windowMs).toBe(30 * DAY);
    expect(slo.tiers.map((t) => [t.tier, t.severity, t.forMs])).toEqual([
      ["page", "critical", 0],
      ["ticket", "warning", 0],
    ]);
    expect(conditions(slo, "page")).toEqual([cond(HOUR, 5 * MINUTE, 14.4), cond(6 * HOUR, 30 * MINUTE, 6)]);
    expect(conditions(slo, "ticket")).toEqual([cond(DAY, 2 * HOUR, 3), cond(3 * DAY, 6 * HOUR, 1)]);
  });

  it("the window defaults to 30d", () => {
    const slo = oneSlo({});
    expect(slo.windowMs).toBe(30 * DAY);
    expect(conditions(slo, "page")).toEqual([cond(HOUR, 5 * MINUTE, 14.4), cond(6 * HOUR, 30 * MINUTE, 6)]);
  });

  it("7d: windows scale by 7/30 (factors stay), with the 5m floor on the shortest", () => {
    // 1h·7/30 = 14m; 5m·7/30 = 1m10s → 1m → floor 5m; 6h·7/30 = 84m; 30m·7/30 = 7m;
    // 1d·7/30 = 336m; 2h·7/30 = 28m; 3d·7/30 = 1008m; 6h·7/30 = 84m.
    const slo = oneSlo({ window: "7d" });
    expect(conditions(slo, "page")).toEqual([cond(14 * MINUTE, 5 * MINUTE, 14.4), cond(84 * MINUTE, 7 * MINUTE, 6)]);
    expect(conditions(slo, "ticket")).toEqual([cond(336 * MINUTE, 28 * MINUTE, 3), cond(1008 * MINUTE, 84 * MINUTE, 1)]);
    // "1w" is the same window.
    expect(oneSlo({ window: "1w" }).tiers).toEqual(slo.tiers);
  });

  it("28d: windows scale by 28/30, the 5m short window rounds to whole minutes", () => {
    // 1h → 56m; 5m → 4m40s → 5m (rounded; also the floor); 6h → 336m; 30m → 28m;
    // 1d → 1344m; 2h → 112m; 3d → 4032m; 6h → 336m.
    const slo = oneSlo({ window: "28d" });
    expect(conditions(slo, "page")).toEqual([cond(56 * MINUTE, 5 * MINUTE, 14.4), cond(336 * MINUTE, 28 * MINUTE, 6)]);
    expect(conditions(slo, "ticket")).toEqual([cond(1344 * MINUTE, 112 * MINUTE, 3), cond(4032 * MINUTE, 336 * MINUTE, 1)]);
  });

  it("35d and 90d: longer windows scale up; 5m·35/30 = 5m50s rounds to 6m", () => {
    expect(conditions(oneSlo({ window: "35d" }), "page")).toEqual([cond(70 * MINUTE, 6 * MINUTE, 14.4), cond(420 * MINUTE, 35 * MINUTE, 6)]);
    // 90d = 3 × 30d: every window triples.
    const slo = oneSlo({ window: "90d" });
    expect(conditions(slo, "page")).toEqual([cond(3 * HOUR, 15 * MINUTE, 14.4), cond(18 * HOUR, 90 * MINUTE, 6)]);
    expect(conditions(slo, "ticket")).toEqual([cond(3 * DAY, 6 * HOUR, 3), cond(9 * DAY, 18 * HOUR, 1)]);
  });

  it("scaling keeps the budget share each long window guards: factor × long / window", () => {
    // Workbook at 30d: 14.4·1h/720h = 2%, 6·6h/720h = 5%, 3·24h/720h = 10%, 1·72h/720h = 10%.
    const shares = [0.02, 0.05, 0.1, 0.1];
    for (const days of [7, 14, 28, 30, 60]) {
      const slo = oneSlo({ window: `${days}d` });
      const all = [...conditions(slo, "page")!, ...conditions(slo, "ticket")!];
      all.forEach((c, k) => expect((c.factor * c.longMs) / slo.windowMs, `${days}d #${k}`).toBeCloseTo(shares[k]!, 12));
    }
  });

  // Known bug: for SLO windows shorter than 3d the scaled defaults collapse onto the 5m floor:
  // 1d: 1h/30 = 2m → 5m long, 5m/30 → 5m short, so the default page condition is 5m/5m and
  // normalize rejects its own default with VIG2014 ("short window 5m must be shorter than long
  // window 5m") although the user wrote no windows. Same for 2d (1h·2/30 = 4m → 5m).
  // Flip to `it` once fixed (or once short windows get a dedicated diagnostic).
  it("a 1d window's default conditions are valid (short < long) and raise no diagnostic", () => {
    const { service, codes } = normalize(spec({ slos: [{ name: "availability", objective: 99.9, window: "1d", sli: availability }] }));
    expect(codes).toEqual([]);
    for (const tier of service.slos[0]!.tiers) for (const c of tier.conditions) expect(c.shortMs).toBeLessThan(c.longMs);
  });

  it("a window under a day is VIG2013; 36h compiles (whole days are lint rule slo/window)", () => {
    expect(normalize(spec({ slos: [{ name: "availability", objective: 99.9, window: "12h", sli: availability }] })).codes).toEqual(["VIG2013"]);
    expect(normalize(spec({ slos: [{ name: "availability", objective: 99.9, window: "36h", sli: availability }] })).codes).toEqual([]);
  });

  it("a low objective makes the 14.4× page condition impossible: VIG2015 once", () => {
    // Budget 0.1: 14.4 × 0.1 = 1.44 ≥ 1 (error ratio cannot exceed 1); 6 × 0.1, 3 × 0.1, 1 × 0.1 are fine.
    const { codes } = normalize(spec({ slos: [{ name: "availability", objective: 90, sli: availability }] }));
    expect(codes).toEqual(["VIG2015"]);
  });
});

describe("tier switches and custom windows", () => {
  it("disabling the page tier keeps only the ticket tier", () => {
    const slo = oneSlo({ alerting: { page: { enabled: false } } });
    expect(slo.tiers.map((t) => t.tier)).toEqual(["ticket"]);
    expect(conditions(slo, "ticket")).toEqual([cond(DAY, 2 * HOUR, 3), cond(3 * DAY, 6 * HOUR, 1)]);
  });

  it("disabling both tiers leaves no burn-rate tiers (the no-data alert stays)", () => {
    const slo = oneSlo({ alerting: { page: { enabled: false }, ticket: { enabled: false } } });
    expect(slo.tiers).toEqual([]);
    expect(slo.noData).toEqual({ alertName: "AvailabilitySLINoData", forMs: 10 * MINUTE, severity: "warning" });
  });

  it("custom windows, factor and for are taken as written; the other tier keeps its defaults", () => {
    const slo = oneSlo({
      alerting: {
        page: { windows: [{ long: "2h", short: "10m", factor: 10 }], for: "5m" },
        ticket: { windows: [{ long: "1d12h", short: "3h", factor: 2.5 }] },
      },
    });
    expect(slo.tiers.map((t) => [t.tier, t.forMs, t.conditions])).toEqual([
      ["page", 5 * MINUTE, [cond(2 * HOUR, 10 * MINUTE, 10)]],
      ["ticket", 0, [cond(36 * HOUR, 3 * HOUR, 2.5)]],
    ]);
    // Custom page windows do not change the ticket defaults.
    const pageOnly = oneSlo({ alerting: { page: { windows: [{ long: "2h", short: "10m", factor: 10 }] } } });
    expect(conditions(pageOnly, "ticket")).toEqual([cond(DAY, 2 * HOUR, 3), cond(3 * DAY, 6 * HOUR, 1)]);
  });

  it("custom windows are checked: short < long, short ≥ 5m, factor > 0 (a long window beyond the SLO window is lint rule slo/window)", () => {
    const codesFor = (w: { long: string; short: string; factor: number }) =>
      normalize(spec({ slos: [{ name: "availability", objective: 99.9, window: "7d", sli: availability, alerting: { page: { windows: [w] } } }] })).codes;
    expect(codesFor({ long: "1h", short: "1h", factor: 10 })).toEqual(["VIG2014"]);
    expect(codesFor({ long: "1h", short: "1m", factor: 10 })).toEqual(["VIG2014"]);
    expect(codesFor({ long: "8d", short: "1h", factor: 1 })).toEqual([]);
    expect(codesFor({ long: "1h", short: "5m", factor: 0 })).toEqual(["VIG2014"]);
    // 1000 × 0.001 = 1: the error ratio would have to exceed 100%.
    expect(codesFor({ long: "1h", short: "5m", factor: 1000 })).toEqual(["VIG2015"]);
    expect(codesFor({ long: "1h", short: "5m", factor: 999 })).toEqual([]);
    expect(codesFor({ long: "1h", short: "5x", factor: 10 })).toContain("VIG2005");
    // Past int64 nanoseconds Prometheus says "duration out of range".
    expect(codesFor({ long: "293y", short: "5m", factor: 10 })).toContain("VIG2005");
    const r = normalizeService(spec({ slos: [{ name: "availability", objective: 99.9, window: "293y", sli: availability }] }), 0);
    expect(r.diagnostics.map((d) => d.message)).toContain('duration "293y" is out of range');
  });
});

describe("SLO naming, labels and annotations", () => {
  it("derives alert names, labels and the runbook link", () => {
    const { service } = normalize(spec({ slos: [{ name: "api-availability", objective: 99.9, sli: availability }] }));
    const slo = service.slos[0]!;
    expect(slo.id).toBe("checkout/api-availability");
    expect(slo.alertName).toBe("ApiAvailabilityErrorBudgetBurn");
    expect(slo.noData?.alertName).toBe("ApiAvailabilitySLINoData");
    expect(slo.ruleLabels).toEqual({ service: "checkout", environment: "production", slo: "api-availability" });
    expect(slo.runbookUrl).toBe("https://runbooks.example/checkout#api-availability");
  });

  it("descriptions state the budget in percent and the slowest burn that makes the tier fire", () => {
    // A tier fires when any of its conditions holds, so the only burn rate it guarantees is
    // its smallest factor. 30d: budget 0.1%; page (14.4× or 6×) → 30d / 6 = 5d; ticket
    // (3× or 1×) → 30d / 1 = 30d.
    const slo = oneSlo({});
    const page = slo.tiers[0]!.annotations.description!;
    expect(page).toContain("error budget of 0.1%");
    expect(page).toContain("(objective 99.9% over 30d)");
    expect(page).toContain("less than 5d.");
    expect(slo.tiers[1]!.annotations.description).toContain("less than 30d.");
    // 7d page: 7d / 6 = 28h → "1d 4h".
    expect(oneSlo({ window: "7d" }).tiers[0]!.annotations.description).toContain("less than 1d 4h.");
    // A single custom 14.4× condition: 30d / 14.4 = 50h → "2d 2h".
    const fast = oneSlo({ alerting: { page: { windows: [{ long: "1h", short: "5m", factor: 14.4 }] } } });
    expect(fast.tiers[0]!.annotations.description).toContain("less than 2d 2h.");
    // 99.95: budget 0.05%.
    expect(oneSlo({ objective: 99.95 }).tiers[0]!.annotations.description).toContain("error budget of 0.05%");
    // The window as the spec writes it: 28d and 7d, not Prometheus' 4w and 1w.
    expect(oneSlo({ window: "28d" }).tiers[0]!.annotations.description).toContain("(objective 99.9% over 28d)");
    expect(oneSlo({ window: "7d" }).tiers[0]!.annotations.description).toContain("(objective 99.9% over 7d)");
  });
});

describe("SLI queries mean what the SLI says (evaluated on synthetic counters)", () => {
  /** Evaluates an SLI query template at a 5m window: one unlabelled value. */
  function value(template: string, series: InputSeries[]): number {
    const parsed = parsePromQL(fillWindow(template, "5m", 300));
    if (!parsed.ok) throw new Error(`SLI query does not parse: ${template}`);
    const samples = evaluateVector(parsed.expr, { series, timeMs: 2 * HOUR, intervalMs: MINUTE, rangeMode: "closed" });
    expect(samples).toHaveLength(1);
    return samples[0]!.value;
  }
  const req = (code: string, perSecond: number): InputSeries => ({
    labels: { __name__: "http_requests_total", code, route: "/pay" },
    kind: "counter",
    value: perSecond,
  });

  it("ratio with bad events: errors are the 5xx rate, total all requests", () => {
    // 9/s 200 + 1/s 500 → errors 1/s of 10/s.
    const slo = oneSlo({});
    expect(value(slo.sli.errorQuery, [req("200", 9), req("500", 1)])).toBe(1);
    expect(value(slo.sli.totalQuery, [req("200", 9), req("500", 1)])).toBe(10);
    // No 5xx series at all must read as 0 errors, not as a missing SLI.
    expect(value(slo.sli.errorQuery, [req("200", 9)])).toBe(0);
  });

  it("ratio with good events: errors are total minus good", () => {
    // good = 2xx: 7/s of 7 + 2 + 1 = 10/s → 3/s errors.
    const slo = oneSlo({ sli: { kind: "ratio", good: requests.select({ code: matches("2..") }), total: requests.select() } });
    const series = [req("200", 7), req("404", 2), req("500", 1)];
    expect(value(slo.sli.errorQuery, series)).toBe(3);
    expect(value(slo.sli.totalQuery, series)).toBe(10);
  });

  it("latency: errors are requests slower than the threshold bucket, whichever way le is spelled", () => {
    // 10 req/s; 8/s within le=2 → 2/s slower than 2 s. Go clients write le="2", Python "2.0".
    const bucket = (le: string, perSecond: number): InputSeries => ({
      labels: { __name__: "http_request_duration_seconds_bucket", le, route: "/pay" },
      kind: "counter",
      value: perSecond,
    });
    const count: InputSeries = { labels: { __name__: "http_request_duration_seconds_count", route: "/pay" }, kind: "counter", value: 10 };
    const slo = oneSlo({ sli: { kind: "latency", histogram: latency.select(), threshold: 2 } });
    for (const le of ["2", "2.0"]) {
      const series = [bucket("0.5", 5), bucket(le, 8), bucket("5", 9), bucket("+Inf", 10), count];
      expect(value(slo.sli.errorQuery, series), le).toBe(2);
      expect(value(slo.sli.totalQuery, series), le).toBe(10);
    }
  });

  it("errorRatio: the query is the error ratio, over one event per second wherever it has a value", () => {
    // A gauge at 0.02 → its 5m average is 0.02: errors 0.02 of a total of 1, the ratio 2%.
    const gaugeAt = (v: number): InputSeries => ({ labels: { __name__: "process_resident_memory_bytes" }, kind: "gauge", value: v });
    const slo = oneSlo({ sli: { kind: "errorRatio", query: "avg_over_time(process_resident_memory_bytes[{{window}}])" } });
    expect(slo.sli.kind).toBe("errorRatio");
    expect(value(slo.sli.errorQuery, [gaugeAt(0.02)])).toBeCloseTo(0.02, 12);
    expect(value(slo.sli.totalQuery, [gaugeAt(0.02)])).toBe(1);
    // Checked like other PromQL: the query is one of the SLI's sources, at sli.query.
    expect(slo.sli.sources.map((x) => x.text)).toEqual(["avg_over_time(process_resident_memory_bytes[{{window}}])"]);
  });

  it("errorRatio without {{window}} is VIG2016; with minTraffic VIG2006 (it counts no events)", () => {
    expect(normalize(spec({ slos: [{ name: "ratio", objective: 99, sli: { kind: "errorRatio", query: "avg_over_time(process_resident_memory_bytes[5m])" } }] })).codes).toEqual(["VIG2016"]);
    const r = normalizeService(spec({ slos: [{ name: "ratio", objective: 99, alerting: { minTraffic: 1 }, sli: { kind: "errorRatio", query: "avg_over_time(process_resident_memory_bytes[{{window}}])" } }] }), 0);
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(["VIG2006 minTraffic needs an events-based SLI (ratio or latency), not an errorRatio one"]);
    expect(r.service!.slos[0]!.minTraffic).toBeUndefined();
  });

  it("a latency threshold that is not a bucket boundary is VIG2007", () => {
    const { codes } = normalize(spec({ slos: [{ name: "latency", objective: 99, sli: { kind: "latency", histogram: latency.select(), threshold: 1 } }] }));
    expect(codes).toEqual(["VIG2007"]);
  });
});

describe("threshold alerts and severity ladders", () => {
  const base = { name: "HighErrorRate", expr: "sum(rate(http_requests_total[5m]))", summary: "s", description: "d" };

  it("thresholds {critical, warning} give one rule per severity, sharing the alert name", () => {
    const { service, codes } = normalize(spec({ alerts: [{ ...base, thresholds: { critical: 0.05, warning: 0.01 } }] }));
    expect(codes).toEqual([]);
    expect(service.alerts.map((a) => [a.id, a.name, a.severity, a.comparison])).toEqual([
      ["checkout/HighErrorRate/critical", "HighErrorRate", "critical", { op: ">", threshold: 0.05 }],
      ["checkout/HighErrorRate/warning", "HighErrorRate", "warning", { op: ">", threshold: 0.01 }],
    ]);
    for (const a of service.alerts) {
      expect(a.labels).toEqual({ service: "checkout", environment: "production", severity: a.severity, team: "payments" });
      expect(a.annotations.runbook_url).toBe("https://runbooks.example/checkout#HighErrorRate");
      expect(a.forMs).toBe(5 * MINUTE); // default for
    }
  });

  it("for per severity: each rule of the ladder gets its own; one left out keeps the default", () => {
    const { service, codes } = normalize(spec({ alerts: [{ ...base, thresholds: { info: 0.001, warning: 0.01, critical: 0.05 }, for: { critical: "2m", warning: "15m" } }] }));
    expect(codes).toEqual([]);
    expect(service.alerts.map((a) => [a.severity, a.forMs])).toEqual([
      ["critical", 2 * MINUTE],
      ["warning", 15 * MINUTE],
      ["info", 5 * MINUTE],
    ]);
  });

  it("for per severity naming a severity the alert does not have is VIG2010 at that key; a bad duration is located", () => {
    const r = normalizeService(spec({ alerts: [{ ...base, thresholds: { warning: 0.01 }, for: { critical: "2m", warning: "5x" } }] }), 0);
    expect(r.diagnostics.map((d) => `${d.code} ${d.at?.path.join(".")}`)).toEqual(["VIG2010 alerts.0.for.critical", expect.stringMatching(/^VIG\d+ alerts\.0\.for\.warning$/)]);
  });

  it("a three-step ladder gives critical, warning and info rules", () => {
    const { service, codes } = normalize(spec({ alerts: [{ ...base, thresholds: { info: 0.001, warning: 0.01, critical: 0.05 } }] }));
    expect(codes).toEqual([]);
    expect(service.alerts.map((a) => [a.severity, a.comparison?.threshold])).toEqual([
      ["critical", 0.05],
      ["warning", 0.01],
      ["info", 0.001],
    ]);
  });

  it("with <, lower is worse: critical must be below warning", () => {
    const ok = normalize(spec({ alerts: [{ ...base, op: "<", thresholds: { critical: 0.1, warning: 0.5 } }] }));
    expect(ok.codes).toEqual([]);
    expect(ok.service.alerts.map((a) => a.comparison)).toEqual([
      { op: "<", threshold: 0.1 },
      { op: "<", threshold: 0.5 },
    ]);
    expect(normalize(spec({ alerts: [{ ...base, op: "<", thresholds: { critical: 0.5, warning: 0.1 } }] })).codes).toEqual(["VIG2011"]);
  });

  it("a ladder out of order for > is VIG2011", () => {
    expect(normalize(spec({ alerts: [{ ...base, thresholds: { critical: 0.01, warning: 0.05 } }] })).codes).toEqual(["VIG2011"]);
    expect(normalize(spec({ alerts: [{ ...base, thresholds: { critical: 0.05, warning: 0.05 } }] })).codes).toEqual(["VIG2011"]);
  });

  it("a single threshold with a severity gives one rule; team and for are honoured", () => {
    const { service, codes } = normalize(spec({ alerts: [{ ...base, threshold: 0.2, severity: "warning", team: "sre", for: "10m" }] }));
    expect(codes).toEqual([]);
    expect(service.alerts).toHaveLength(1);
    expect(service.alerts[0]).toMatchObject({ severity: "warning", team: "sre", forMs: 10 * MINUTE, comparison: { op: ">", threshold: 0.2 } });
    expect(service.alerts[0]!.labels.team).toBe("sre");
  });

  it("ambiguous or incomplete conditions are VIG2010", () => {
    const codes = (a: Partial<AlertSpec>) => normalize(spec({ alerts: [{ ...base, ...a }] })).codes;
    expect(codes({ thresholds: { critical: 1 }, severity: "critical" })).toEqual(["VIG2010"]);
    expect(codes({})).toEqual(["VIG2010"]); // no severity at all
    expect(codes({ thresholds: {} })).toEqual(["VIG2010"]);
    expect(codes({ op: "==", thresholds: { critical: 1, warning: 2 } })).toEqual(["VIG2010"]);
  });

  it("the same alert name and severity twice is VIG2004; different severities are fine", () => {
    const twice = normalize(
      spec({
        alerts: [
          { ...base, threshold: 0.05, severity: "critical" },
          { ...base, threshold: 0.01, severity: "warning" },
          { ...base, threshold: 0.1, severity: "critical" },
        ],
      }),
    );
    expect(twice.codes).toEqual(["VIG2004"]);
    expect(twice.service.alerts.map((a) => a.severity)).toEqual(["critical", "warning"]);
  });
});

describe("normalizeModel", () => {
  it("rejects two specs declaring the same service (VIG2017)", () => {
    const { model, diagnostics } = normalizeModel([spec(), spec()]);
    expect(diagnostics.map((d) => d.code)).toEqual(["VIG2017"]);
    expect(model.services.map((s) => s.name)).toEqual(["checkout"]);
  });

  it("rejects a service named like another's SLO, history or maintenance files (VIG2017), and SLO names differing only in case (VIG2004)", () => {
    const slos = [{ name: "availability", objective: 99.9, sli: availability }];
    const named = (name: string): MonitoringSpec => ({ ...spec(), service: { ...spec().service, name } });
    for (const name of ["checkout.slo-availability", "Checkout.History", "checkout.maintenance", "checkout.anomalies"]) {
      const { diagnostics } = normalizeModel([spec({ slos }), named(name)]);
      expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
        ["VIG2017", `service "${name}" collides with the files of service "checkout": both write prometheus/rules/${name.toLowerCase()}.rules.yml and its tests`],
      ]);
    }
    expect(normalizeModel([spec({ slos }), named("checkout.slo-latency")]).diagnostics).toEqual([]);
    const twice = normalize(spec({ slos: [...slos, { name: "Availability", objective: 99, sli: availability }] }));
    expect(twice.codes).toEqual(["VIG2004"]);
  });

  it("applies Prometheus defaults: version 2.42, 15s scrape and evaluation intervals", () => {
    const { model } = normalizeModel([spec()]);
    expect(model.services[0]!.prometheus).toEqual({ version: "2.42", scrapeIntervalMs: 15_000, evaluationIntervalMs: 15_000 });
  });
});

describe("objective precision", () => {
  it("rejects an objective that rounds to 100 at 12 significant digits (VIG2003)", async () => {
    const { normalizeModel } = await import("./index.js");
    const { defineMonitoring, counter } = await import("../api/index.js");
    const c = counter("reqs_total", { labels: ["code"] });
    const spec = defineMonitoring({
      service: { name: "svc", team: "t" },
      teams: [{ name: "t" }],
      signals: [c],
      slos: [{ name: "s", objective: 99.99999999999, sli: { kind: "ratio", bad: c.select({ code: "500" }), total: c.select() } }],
    });
    const result = normalizeModel([spec]);
    expect(result.diagnostics.map((d) => d.code)).toContain("VIG2003");
  });
});
