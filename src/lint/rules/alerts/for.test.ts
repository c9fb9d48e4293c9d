import { describe, expect, it } from "vitest";
import { lintWith, pointedText, specWith } from "../../tester.js";
import { rule } from "./for.js";

const alert = (expr: string, forText?: string) => ({
  name: "A",
  expr,
  threshold: 1,
  severity: "warning" as const,
  ...(forText === undefined ? {} : { for: forText }),
  summary: "s",
  description: "d",
});
/** An absent()-based alert: it compares by itself. */
const absentAlert = (expr: string, forText?: string) => {
  const { threshold: _, ...rest } = alert(expr, forText);
  return rest;
};

const RATE = "rate(http_requests_total[5m])";

describe("alerts/for", () => {
  it.each([
    [RATE, undefined], // the default `for` is 5m
    [RATE, "1m"],
    ["memory_bytes", "30s"],
    // No `for`, but nothing that jitters.
    ["avg_over_time(memory_bytes[10m])", "0s"],
    ["max_over_time(rate(http_requests_total[1m])[10m:1m])", "0s"],
    ["http_requests_total", "0s"], // a counter itself only grows
    ["time() - memory_bytes", "0s"], // a timestamp, e.g. process_start_time_seconds
    ["vector(1)", "0s"],
  ])("valid: %s for %s", (expr, forText) => {
    expect(lintWith(rule, specWith({ alerts: [alert(expr, forText)] }))).toEqual([]);
  });

  it.each([
    ['absent(up{job="api"})', undefined],
    ['absent(up{job="api"})', "30s"], // 2 × 15s
    ["absent_over_time(memory_bytes[5m])", "0s"], // the window covers missed scrapes
    ["absent_over_time(memory_bytes[15s])", "15s"],
    ['up{job="api"} == 0 or absent(up{job="api"})', "1m"],
  ])("valid absent(): %s for %s", (expr, forText) => {
    expect(lintWith(rule, specWith({ alerts: [absentAlert(expr, forText)] }))).toEqual([]);
  });

  it.each([
    [RATE, "rate()"],
    [`sum(irate(http_requests_total[1m]))`, "irate()"],
    ["histogram_quantile(0.99, sum by (le) (increase(http_request_duration_seconds_bucket[5m])))", "increase()"],
    ["memory_bytes", "the gauge memory_bytes"],
    ["up", "the gauge up"], // a built-in gauge
    ["1 - avg(memory_bytes / memory_bytes offset 1d)", "the gauge memory_bytes"],
  ])("invalid without for: %s", (expr, reason) => {
    const spec = specWith({ alerts: [alert(expr, "0s")] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["alerts/for"]);
    expect(found[0]?.at?.path).toEqual(["alerts", 0, "for"]);
    expect(pointedText(spec, found[0]!)).toBe("0s");
    expect(found[0]?.message).toContain(`follows ${reason},`);
  });

  it.each([
    ['absent(up{job="api"})', "0s"],
    ['absent(up{job="api"})', "29s"],
    ["(absent(memory_bytes{pod=\"a\"}))", "15s"],
    ["absent_over_time(memory_bytes[10s])", "15s"],
    ['absent(up{job="api"}) and on() vector(1)', "0s"],
  ])("invalid absent(): %s for %s", (expr, forText) => {
    const spec = specWith({ alerts: [absentAlert(expr, forText)] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => d.code)).toEqual(["alerts/for"]);
    expect(found[0]?.at?.path).toEqual(["alerts", 0, "for"]);
    expect(pointedText(spec, found[0]!)).toBe(forText);
  });

  it("follows the spec's scrape interval and says what `for` is needed", () => {
    const spec = specWith({ prometheus: { scrapeInterval: "1m" }, alerts: [absentAlert('absent(up{job="api"})', "1m")] });
    const found = lintWith(rule, spec);
    expect(found.map((d) => [d.message, d.hint])).toEqual([
      ['absent() alert "A" fires after 1m without samples, less than 2 scrape intervals (1m): one failed scrape is enough', "set `for: 2m` or longer"],
    ]);
  });

  it("checks a severity ladder once", () => {
    const spec = specWith({ alerts: [{ name: "A", expr: RATE, thresholds: { critical: 10, warning: 1 }, for: "0s", summary: "s", description: "d" }] });
    expect(lintWith(rule, spec).map((d) => d.at?.path)).toEqual([["alerts", 0, "for"]]);
  });

  it("can be disabled for one alert with a reason", () => {
    const spec = specWith({ alerts: [{ ...alert(RATE, "0s"), lintDisable: { "alerts/for": "any error at all is worth a look" } }] });
    expect(lintWith(rule, spec)).toEqual([]);
  });
});
