import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./rate-window.js";

const alert = (expr: string) => ({ name: "A", expr, threshold: 1, severity: "warning" as const, summary: "s", description: "d" });

describe("promql/rate-window", () => {
  it.each([
    "rate(http_requests_total[1m])", // 4 × 15s
    "increase(http_requests_total[5m])",
    "sum_over_time(memory_bytes[30s])", // not a rate-like function
  ])("valid: %s", (expr) => {
    expect(lintWith(rule, specWith({ alerts: [alert(expr)] }))).toEqual([]);
  });

  it.each([
    ["rate(http_requests_total[30s])", "http_requests_total[30s]"],
    ["sum(irate(http_requests_total{code=\"500\"}[45s]))", 'http_requests_total{code="500"}[45s]'],
  ])("invalid: %s", (expr, pointed) => {
    const spec = specWith({ alerts: [alert(expr)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["promql/rate-window"]);
    expect(pointedText(spec, found[0]!)).toBe(pointed);
  });

  it("follows the spec's scrape interval", () => {
    const spec = specWith({ prometheus: { scrapeInterval: "1m" }, alerts: [alert("rate(http_requests_total[2m])")] });
    expect(lintWith(rule, spec)[0]?.message).toContain("fewer than 4 samples at a 1m scrape interval");
  });

  it("can be disabled for one alert with a reason", () => {
    const spec = specWith({ alerts: [{ ...alert("rate(http_requests_total[30s])"), lintDisable: { "promql/rate-window": "the exporter is scraped every 5s" } }] });
    expect(lintWith(rule, spec)).toEqual([]);
  });
});
